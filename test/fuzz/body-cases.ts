// Request bodies for create and update: valid ones generated from the spec's option schema,
// then (mostly) mutated. Which fields are required, which carry the byte limit and which
// the reserved prefix is read from the spec, not restated here.

import type { Arbitrary } from "fast-check";
import fc from "fast-check";
import type { OpenApiDocument } from "../support/spec.js";
import { resolve } from "../support/spec.js";
import { anyJsonValue } from "./any-json.js";
import { schemaArbitrary } from "./schema-arbitrary.js";
import { textNearTheLimit } from "./utf8-text.js";

export interface BodyCase {
  mutation: string;
  body: Record<string, unknown>;
}

interface OptionSchema {
  properties: Record<string, object>;
  required?: string[];
}

/** Whether a schema, through $refs and anyOf branches, carries `keyword`. */
function carries(spec: OpenApiDocument, schema: Record<string, unknown>, keyword: string): boolean {
  if (keyword in schema) return true;
  if (
    typeof schema.$ref === "string" &&
    carries(spec, resolve<Record<string, unknown>>(spec, schema.$ref.slice(1)).value, keyword)
  )
    return true;
  return (
    Array.isArray(schema.anyOf) &&
    (schema.anyOf as Record<string, unknown>[]).some((branch) => carries(spec, branch, keyword))
  );
}

/**
 * The reserved prefix of the first property that declares one. SnapshotName is itself a
 * `$ref` (to Utf8Text255) with `x-reserved-prefix` beside it, so the component is read
 * as it stands rather than resolved to the end of its chain.
 */
export function reservedPrefix(spec: OpenApiDocument, schemaName: string): string | undefined {
  const components = spec.components.schemas as Record<string, Record<string, unknown>>;
  const option = resolve<OptionSchema>(spec, `/components/schemas/${schemaName}`).value;
  for (const property of Object.values(option.properties)) {
    const ref = (property as { $ref?: string }).$ref;
    const prefix = ref ? components[ref.split("/").pop() ?? ""]?.["x-reserved-prefix"] : undefined;
    if (typeof prefix === "string") return prefix;
  }
  return undefined;
}

type Mutation = { label: string; apply: (body: Record<string, unknown>) => void };

export function bodyCases(spec: OpenApiDocument, schemaName: string): Arbitrary<BodyCase> {
  const option = resolve<OptionSchema>(spec, `/components/schemas/${schemaName}`).value;
  const fields = Object.keys(option.properties);
  const required = option.required ?? [];
  const textFields = fields.filter((f) =>
    carries(spec, option.properties[f] as Record<string, unknown>, "x-max-utf8-bytes"),
  );
  const prefix = reservedPrefix(spec, schemaName);
  const field = fc.constantFrom(...fields);

  const mutations: Arbitrary<Mutation>[] = [
    fc.constant({ label: "none", apply: () => undefined }),
    // Without required fields, "required" is minProperties: dropping everything breaks it.
    fc.constant({
      label: "drop required field",
      apply: (body) =>
        (required.length > 0 ? required : Object.keys(body)).forEach((name) => delete body[name]),
    }),
    fc.tuple(field, anyJsonValue).map(([name, value]) => ({
      label: `wrong type: ${name}`,
      apply: (body) => void (body[name] = value),
    })),
    fc.tuple(fc.constantFrom(...textFields), textNearTheLimit).map(([name, text]) => ({
      label: `long text: ${name}`,
      apply: (body) => void (body[name] = text),
    })),
    fc
      .constantFrom(...textFields)
      .map((name) => ({ label: `null: ${name}`, apply: (body) => void (body[name] = null) })),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 8 }).filter((key) => !fields.includes(key)),
        anyJsonValue,
      )
      .map(([key, value]) => ({
        label: "unknown field",
        apply: (body) => void (body[key] = value),
      })),
  ];
  if (fields.includes("metadata")) {
    mutations.push(
      fc
        .tuple(
          fc.string({ maxLength: 6 }),
          anyJsonValue.filter((value) => typeof value !== "string"),
        )
        .map(([key, value]) => ({
          label: "non-string metadata value",
          apply: (body) => void (body.metadata = { ...(body.metadata as object), [key]: value }),
        })),
    );
  }
  if (prefix !== undefined) {
    mutations.push(
      fc.string({ maxLength: 10 }).map((rest) => ({
        label: "reserved name prefix",
        apply: (body) => void (body.name = prefix + rest),
      })),
    );
  }

  return fc
    .tuple(
      schemaArbitrary(spec, { $ref: `#/components/schemas/${schemaName}` }, schemaName),
      fc.oneof(...mutations),
    )
    .map(([valid, mutation]) => {
      const body = structuredClone(valid) as Record<string, unknown>;
      mutation.apply(body);
      return { mutation: mutation.label, body };
    });
}
