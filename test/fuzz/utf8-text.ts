// Text arbitraries that exercise the API's 255-BYTE limit: code points of every UTF-8 width
// (1 to 4 bytes), so that character counts and byte counts come apart.
import fc from "fast-check";

const codePointIn = (min: number, max: number) =>
  fc.integer({ min, max }).map((cp) => String.fromCodePoint(cp));

/** Printable ASCII, 2-byte, 3-byte (BMP outside the surrogates) and 4-byte (astral) characters. */
export const ONE_BYTE = codePointIn(0x20, 0x7e);
export const TWO_BYTES = codePointIn(0x80, 0x7ff);
export const THREE_BYTES = fc.oneof(codePointIn(0x800, 0xd7ff), codePointIn(0xe000, 0xfffd));
export const FOUR_BYTES = codePointIn(0x10000, 0x10ffff);
const ANY_WIDTH = fc.oneof({ arbitrary: ONE_BYTE, weight: 3 }, TWO_BYTES, THREE_BYTES, FOUR_BYTES);

export const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** Drops code points from the end until the text fits `maxBytes`. */
function fitBytes(text: string, maxBytes: number): string {
  const chars = [...text];
  while (utf8Bytes(chars.join("")) > maxBytes) chars.pop();
  return chars.join("");
}

/** Text of `minLength`..`maxLength` code points that fits `maxBytes` (when given): valid input. */
export function textWithin({
  minLength = 0,
  maxLength = 255,
  maxBytes,
}: {
  minLength?: number;
  maxLength?: number;
  maxBytes?: number | undefined;
}) {
  return fc
    .array(ANY_WIDTH, { minLength, maxLength, size: "max" })
    .map((chars) => chars.join(""))
    .map((text) => (maxBytes === undefined ? text : fitBytes(text, maxBytes)))
    .filter((text) => [...text].length >= minLength);
}

/**
 * Text around the limits: a run of one width straddling the point where that width alone
 * crosses 255 bytes, 255 characters or JSON Schema's per-width character caps, plus a
 * little ASCII. Some of it fits, most does not; the oracles decide.
 */
export const textNearTheLimit = fc.oneof(
  ...[
    { unit: ONE_BYTE, around: 255 },
    { unit: TWO_BYTES, around: 127 },
    { unit: THREE_BYTES, around: 85 },
    { unit: FOUR_BYTES, around: 63 },
  ].map(({ unit, around }) =>
    fc
      .tuple(
        fc.array(unit, { minLength: around - 2, maxLength: around + 2 }),
        fc.array(ONE_BYTE, { maxLength: 4 }),
      )
      .map(([run, pad]) => run.join("") + pad.join("")),
  ),
  fc
    .array(ANY_WIDTH, { minLength: 60, maxLength: 260, size: "max" })
    .map((chars) => chars.join("")),
);
