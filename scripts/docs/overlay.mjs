// A translation overlay (OpenAPI Overlay 1.0) checked against the English document it
// translates, then applied with openapi-format. The rules keep the translated reference the
// same contract in another language:
//
// - complete: every prose string (see prose.mjs) has a translation;
// - matched: every action's target selects exactly one object of the English document, and
//   every key it updates is a prose string there (a removed string is not translated on);
// - fresh: every action records `x-source-hash`, the fingerprint of the English it
//   translates, so an English edit fails the check until someone reviews the translation;
// - prose only: the updates are flat strings that contain Chinese and keep every code span
//   of the English (`EVS.5404`, `snapshots_links`, ...), and the applied overlay changes
//   nothing but the prose strings (field names, paths, codes and examples stay).
import { isDeepStrictEqual } from "node:util";
import openapiFormat from "openapi-format";
import { codeSpans, collectProse, fingerprint, HAN, toPointer } from "./prose.mjs";

const { openapiOverlay, resolveJsonPath } = openapiFormat;
const excerpt = (text) => JSON.stringify(text.length > 70 ? `${text.slice(0, 67)}...` : text);

/** Object identity → JSON pointer, for every object and array of the document. */
function pointersByObject(doc) {
  const map = new Map();
  const walk = (node, segments) => {
    if (node === null || typeof node !== "object") return;
    map.set(node, toPointer(segments));
    for (const [key, value] of Object.entries(node)) walk(value, [...segments, key]);
  };
  walk(doc, []);
  return map;
}

function valueAt(doc, pointer) {
  let node = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

function deleteAt(doc, pointer) {
  const segments = pointer.split("/").slice(1);
  const key = segments.pop().replaceAll("~1", "/").replaceAll("~0", "~");
  const parent = valueAt(doc, segments.map((s) => `/${s}`).join(""));
  if (parent && typeof parent === "object") delete parent[key];
}

/** The first pointer where two JSON values differ, for a readable error. */
function firstDifference(a, b, pointer = "") {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], `${pointer}${toPointer([key])}`);
      if (found !== undefined) return found;
    }
  }
  return pointer || "/";
}

/**
 * @param {object} english the English OpenAPI document (the bundle)
 * @param {object} overlay the parsed overlay document
 * @returns {{ problems: string[], translations: Map<string, string> }} translations by pointer
 */
export function checkOverlay(english, overlay) {
  const problems = [];
  const translations = new Map();
  const prose = collectProse(english);
  const proseByPointer = new Map(prose.map((p) => [p.pointer, p]));
  const objects = pointersByObject(english);

  if (!/^1\.0\.\d+$/.test(String(overlay?.overlay ?? "")))
    problems.push(`the overlay must declare "overlay: 1.0.x" (found ${overlay?.overlay})`);
  const actions = Array.isArray(overlay?.actions) ? overlay.actions : [];
  if (actions.length === 0) problems.push("the overlay has no actions");

  actions.forEach((action, index) => {
    const label = `action #${index + 1} (target ${action?.target})`;
    if (typeof action?.target !== "string" || !action.target.startsWith("$"))
      return problems.push(`${label}: target must be a JSONPath starting with "$"`);
    if (action.remove !== undefined)
      return problems.push(`${label}: a translation never removes anything`);
    const update = action.update;
    if (update === null || typeof update !== "object" || Array.isArray(update))
      return problems.push(`${label}: update must be an object of translated strings`);
    const matches = resolveJsonPath(english, action.target);
    if (matches.length === 0)
      return problems.push(`${label}: matches nothing in the English document`);
    if (matches.length > 1)
      return problems.push(`${label}: matches ${matches.length} nodes; target one object`);
    const objectPointer = objects.get(matches[0].value);
    if (objectPointer === undefined)
      return problems.push(`${label}: selects a plain value; target the object that holds it`);

    const source = {};
    for (const [key, translated] of Object.entries(update)) {
      const pointer = `${objectPointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      const entry = proseByPointer.get(pointer);
      if (!entry) {
        problems.push(`${label}: translates "${key}", which is no prose string of the English`);
        continue;
      }
      if (translations.has(pointer)) {
        problems.push(`${label}: ${pointer} is translated twice`);
        continue;
      }
      if (typeof translated !== "string") {
        problems.push(`${label}: the translation of "${key}" must be a string`);
        continue;
      }
      source[key] = entry.text;
      translations.set(pointer, translated);
      if (!HAN.test(translated))
        problems.push(`${label}: the translation of "${key}" contains no Chinese`);
      const kept = codeSpans(translated);
      for (const span of codeSpans(entry.text))
        if (!kept.includes(span))
          problems.push(`${label}: the translation of "${key}" lost the code span \`${span}\``);
    }
    if (Object.keys(source).length === 0) return;
    const expected = fingerprint(source);
    if (typeof action["x-source-hash"] !== "string")
      problems.push(`${label}: x-source-hash must be a quoted string ("${expected}")`);
    else if (action["x-source-hash"] !== expected)
      problems.push(
        `${label}: stale — the English it translates (${Object.keys(source).join(", ")}) ` +
          `has fingerprint ${expected}, the overlay recorded ${action["x-source-hash"] ?? "none"}; ` +
          `review the translation against the English, then set x-source-hash: ${expected}`,
      );
  });

  for (const { pointer, text } of prose)
    if (!translations.has(pointer))
      problems.push(`incomplete: ${pointer} has no translation (English: ${excerpt(text)})`);
  return { problems, translations };
}

/**
 * Checks the overlay, applies it with openapi-format, and proves that the result differs
 * from the English only in the prose strings. Throws with every problem found.
 */
export async function translate(english, overlay, { name = "the overlay" } = {}) {
  const { problems, translations } = checkOverlay(english, overlay);
  if (problems.length === 0) {
    const { data, resultData } = await openapiOverlay(structuredClone(english), {
      overlaySet: overlay,
    });
    for (const action of resultData.unusedActions)
      problems.push(`openapi-format applied no change for target ${action.target}`);
    for (const [pointer, text] of translations)
      if (valueAt(data, pointer) !== text)
        problems.push(`${pointer}: the applied overlay does not carry the translation`);
    const stripped = (doc) => {
      const copy = structuredClone(doc);
      for (const pointer of translations.keys()) deleteAt(copy, pointer);
      return copy;
    };
    const difference = firstDifference(stripped(english), stripped(data));
    if (difference !== undefined)
      problems.push(`${difference}: the overlay changes something other than prose`);
    if (problems.length === 0) return data;
  }
  throw new Error(`${name} is not a complete, current translation:\n- ${problems.join("\n- ")}`);
}
