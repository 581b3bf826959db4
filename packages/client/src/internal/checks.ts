/**
 * Checks of options and inputs, run before anything is sent. Each throws an
 * EvsValidationError whose message starts with the field's name and never quotes a value
 * that could be a secret.
 */
import { EvsValidationError } from "../errors.js";

/** Throws the EvsValidationError for `field`; the message starts with the field's name. */
export function invalid(field: string, problem: string): never {
  throw new EvsValidationError(field, `${field} ${problem}`);
}

/** Timers hold 32-bit milliseconds: a larger delay would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * An optional non-negative number of milliseconds (or count): `fallback` when
 * undefined; Infinity only where it means "no limit".
 */
export function checkNumber(
  field: string,
  value: unknown,
  fallback: number,
  allowInfinity = true,
  max = MAX_TIMER_MS,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0) || (!allowInfinity && value === Infinity)) {
    invalid(field, `must be a ${allowInfinity ? "" : "finite, "}non-negative number`);
  }
  if (value > max && value !== Infinity) invalid(field, `must be at most ${max}`);
  return value;
}

/**
 * An AbortSignal or nothing. Duck-typed (one of another realm will do): what the client uses
 * of it is `aborted`, `reason` and the two listener methods.
 */
export function checkSignal(signal: unknown): asserts signal is AbortSignal | null | undefined {
  if (signal == null) return;
  const { addEventListener, removeEventListener } = signal as Partial<AbortSignal>;
  if (typeof addEventListener !== "function" || typeof removeEventListener !== "function")
    invalid("signal", "must be an AbortSignal");
}

/** A non-empty string, or the EvsValidationError for `field`. */
export function checkNonEmpty(field: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value === "") invalid(field, "must be a non-empty string");
}

/**
 * C0 controls, DEL and C1 controls (never part of an ID, a name filter or a header), and
 * lone surrogates: in `u` mode a paired surrogate is one code point, so `\p{Cs}` matches
 * lone ones only.
 */
const NOT_URL_TEXT = /[\p{Cc}\p{Cs}]/u;

/**
 * Text that goes into a URL (an ID, a filter): well-formed UTF-16 (a lone surrogate makes
 * encodeURIComponent throw a URIError) and free of control characters.
 */
export function checkUrlText(field: string, value: string): void {
  if (NOT_URL_TEXT.test(value))
    invalid(field, "must not contain control characters or lone surrogates");
}

/**
 * A path parameter (snapshot or project ID). Encoding (encodeURIComponent)
 * keeps `/`, `?` and `#` from changing the path, but `.` and `..` are not
 * encoded and URL normalisation would resolve them, so they are refused.
 */
export function checkPathParameter(field: string, value: unknown): asserts value is string {
  checkNonEmpty(field, value);
  checkUrlText(field, value);
  if (value === "." || value === "..")
    invalid(field, `must not be "${value}" (URL normalisation would change the path)`);
}

/**
 * What a header value can carry without fetch refusing it (and quoting it in its error):
 * visible ASCII only. Credentials are base64 or hex text, so nothing real is refused.
 */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** A credential that goes into a header: checked without ever quoting it. */
export function checkCredential(field: string, value: unknown): asserts value is string {
  checkNonEmpty(field, value);
  if (!HEADER_SAFE.test(value)) invalid(field, "must be visible ASCII; the value is not shown");
}

/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A header value fetch accepts: no NUL, CR or LF, Latin-1 only. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * What fetch sets itself (a per-call value is dropped, or signed but not sent) or refuses
 * (a network error, which the retries would repeat).
 */
export const FETCH_HEADER_NAMES: readonly string[] = [
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "expect",
];

/**
 * Per-call headers: a plain record of valid names and values, none of them one the
 * transport owns (`reserved`, lowercase) or fetch does. Returns them with lowercase names.
 */
export function checkCallHeaders(
  value: unknown,
  reserved: readonly string[],
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    invalid("headers", "must be an object of string values");
  const out: Record<string, string> = {};
  const entries =
    value instanceof Headers ? [...value] : Object.entries(value as Record<string, unknown>);
  for (const [name, text] of entries) {
    if (text === undefined || text === null) continue;
    if (!HEADER_NAME.test(name)) invalid("headers", "has an invalid header name");
    const lower = name.toLowerCase();
    if (reserved.includes(lower))
      invalid(`headers.${lower}`, "is set by the client's auth, never per call");
    if (FETCH_HEADER_NAMES.includes(lower))
      invalid(`headers.${lower}`, "is set by fetch, never per call");
    if (typeof text !== "string") invalid(`headers.${lower}`, "must be a string");
    if (!HEADER_VALUE.test(text))
      invalid(`headers.${lower}`, "must be Latin-1 text without CR, LF or NUL");
    out[lower] = text;
  }
  return out;
}
