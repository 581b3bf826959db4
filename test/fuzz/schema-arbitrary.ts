// Valid values for a schema of the bundled spec, as fast-check arbitraries. Covers the
// keywords the spec's request schemas and query parameters use; anything else throws, so a
// new keyword in the spec cannot be silently ignored by the generator.

import type { Arbitrary } from "fast-check";
import fc from "fast-check";
import type { OpenApiDocument } from "../support/spec.js";
import { resolve } from "../support/spec.js";
import { textWithin } from "./utf8-text.js";

interface Schema {
  $ref?: string;
  type?: string | string[];
  anyOf?: Schema[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  "x-max-utf8-bytes"?: number;
}

// Keywords that describe but do not constrain (`default` needs nothing).
const DESCRIPTIVE = new Set([
  "description",
  "examples",
  "title",
  "default",
  "x-reserved-prefix",
  "x-failure-statuses",
]);
const HANDLED = new Set([
  "$ref",
  "type",
  "anyOf",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "minProperties",
  "items",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "pattern",
  "x-max-utf8-bytes",
  "x-max-json-bytes",
]);

function checkSupported(schema: Schema, where: string): void {
  for (const keyword of Object.keys(schema)) {
    if (!HANDLED.has(keyword) && !DESCRIPTIVE.has(keyword))
      throw new Error(`${where}: the fuzz generator does not support "${keyword}"`);
  }
}

// Valid strings stay short: the length limits are probed by the "long text" mutations, and
// many long multi-byte query values in a row crash Prism's log printer (prism-cli 5.14).
const VALID_TEXT_MAX_LENGTH = 40;

// A pattern is met by filtering: the spec's patterns (Utf8Text255's, implied by its byte
// limit, and `\S` on volume_id) reject only a sliver of the generated strings.
function stringArbitrary(schema: Schema): Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? VALID_TEXT_MAX_LENGTH, VALID_TEXT_MAX_LENGTH);
  const text = textWithin({
    minLength: schema.minLength ?? 0,
    maxLength,
    maxBytes: schema["x-max-utf8-bytes"],
  });
  if (schema.pattern === undefined) return text;
  const pattern = new RegExp(schema.pattern, "u");
  return text.filter((value) => pattern.test(value));
}

function objectArbitrary(
  spec: OpenApiDocument,
  schema: Schema,
  where: string,
): Arbitrary<Record<string, unknown>> {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, property]) => [
      name,
      schemaArbitrary(spec, property, `${where}.${name}`),
    ]),
  );
  if (typeof schema.additionalProperties === "object") {
    // A map (Metadata): ASCII keys, values of the declared schema. At most 4 short entries,
    // so it always meets Metadata's `x-max-json-bytes` (1 MiB as JSON).
    return fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }),
      schemaArbitrary(spec, schema.additionalProperties, `${where}.*`),
      { maxKeys: 4 },
    );
  }
  const record = fc.record(properties, { requiredKeys: schema.required ?? [] });
  const minProperties = schema.minProperties ?? 0;
  return minProperties > 0
    ? record.filter((value) => Object.keys(value).length >= minProperties)
    : record;
}

export function schemaArbitrary(
  spec: OpenApiDocument,
  schema: Schema,
  where: string,
): Arbitrary<unknown> {
  checkSupported(schema, where);
  if (schema.$ref) {
    if (!schema.$ref.startsWith("#/")) throw new Error(`${where}: only local $refs are expected`);
    const target = resolve<Schema>(spec, schema.$ref.slice(1)).value;
    // Sibling keywords of $ref (SnapshotName's x-reserved-prefix, description) only document.
    return schemaArbitrary(spec, target, schema.$ref);
  }
  if (schema.anyOf)
    return fc.oneof(
      ...schema.anyOf.map((branch, i) => schemaArbitrary(spec, branch, `${where}.anyOf[${i}]`)),
    );
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return fc.oneof(
    ...types.map((type): Arbitrary<unknown> => {
      switch (type) {
        case "string":
          return stringArbitrary(schema);
        case "boolean":
          return fc.boolean();
        case "null":
          return fc.constant(null);
        case "integer":
          return fc.integer({
            min: schema.minimum ?? Number.MIN_SAFE_INTEGER,
            max: schema.maximum ?? Number.MAX_SAFE_INTEGER,
          });
        case "array":
          return fc.array(schemaArbitrary(spec, schema.items ?? {}, `${where}[]`), {
            minLength: 1,
            maxLength: 3,
          });
        case "object":
          return objectArbitrary(spec, schema, where);
        default:
          throw new Error(`${where}: no generator for type ${String(type)}`);
      }
    }),
  );
}
