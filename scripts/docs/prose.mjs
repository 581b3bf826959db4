// The human-readable strings of an OpenAPI document: what a translation must cover.
// Everything else (field names, paths, codes, example values, enums) is contract and stays
// as it is in every language.
//
// A prose string is a `summary`, `description` or `title` string of any OpenAPI or JSON
// Schema object, plus `info.contact.name` and the display name of each tag: a tag's `name`
// is an identifier that operations refer to, so its translation goes to `x-displayName`,
// which Redoc shows instead of the name.
import { createHash } from "node:crypto";

const PROSE_KEYS = new Set(["summary", "description", "title"]);
// Subtrees that hold API data, not prose: example payloads, defaults, enums, constants.
const DATA_KEYS = new Set(["value", "example", "default", "enum", "const", "externalValue"]);

/** RFC 6901 pointer from path segments. */
export function toPointer(segments) {
  return segments.map((s) => `/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/**
 * Every prose string of `doc`, in document order.
 * @returns {{ pointer: string, objectPointer: string, key: string, text: string }[]}
 */
export function collectProse(doc) {
  const found = [];
  const add = (segments, key, text) =>
    found.push({
      pointer: toPointer([...segments, key]),
      objectPointer: toPointer(segments),
      key,
      text,
    });
  const walk = (node, segments) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, [...segments, i]);
      });
      return;
    }
    if (node === null || typeof node !== "object") return;
    const inTags = segments.length === 2 && segments[0] === "tags";
    if (inTags && typeof node.name === "string")
      add(segments, "x-displayName", node["x-displayName"] ?? node.name);
    for (const [key, value] of Object.entries(node)) {
      if (DATA_KEYS.has(key) || key.startsWith("x-")) continue;
      // A schema's `examples` is a list of payloads (an Example Object map is a plain object).
      if (key === "examples" && Array.isArray(value)) continue;
      if (PROSE_KEYS.has(key) && typeof value === "string") add(segments, key, value);
      else walk(value, [...segments, key]);
    }
  };
  walk(doc, []);
  if (typeof doc.info?.contact?.name === "string")
    add(["info", "contact"], "name", doc.info.contact.name);
  return found;
}

/**
 * The fingerprint an overlay action records of the English it translates: the first 12 hex
 * digits of SHA-256 over the translated keys and their English text, keys sorted.
 */
export function fingerprint(englishByKey) {
  const entries = Object.entries(englishByKey).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex").slice(0, 12);
}

/**
 * The code spans of a Markdown string (`like this`), which a translation must keep verbatim;
 * a line break inside a span counts as a space, as Markdown renders it.
 */
export function codeSpans(text) {
  return [...text.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((m) =>
    m[2].replace(/\s+/g, " ").trim(),
  );
}

/** Characters of the Han script (CJK ideographs), the measure of "is this Chinese". */
export const HAN = /\p{Script=Han}/u;

const quote = (text) => `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

/**
 * A JSONPath for the object at `objectPointer`, as an overlay action's target. Tags and
 * servers are selected by name and URL rather than by position, so reordering them does not
 * move a translation onto another tag.
 */
export function jsonPathOf(doc, objectPointer) {
  const segments = objectPointer
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  let path = "$";
  let node = doc;
  segments.forEach((segment, i) => {
    const parentKey = segments[i - 1];
    if (Array.isArray(node) && i === 1 && (parentKey === "tags" || parentKey === "servers")) {
      const field = parentKey === "tags" ? "name" : "url";
      path += `[?(@.${field} == ${quote(node[Number(segment)][field])})]`;
    } else if (Array.isArray(node)) path += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) path += `.${segment}`;
    else path += `[${quote(segment)}]`;
    node = node[Array.isArray(node) ? Number(segment) : segment];
  });
  return path;
}
