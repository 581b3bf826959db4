// List queries per family: valid ones generated from the operation's query parameters in
// the bundled spec, then (mostly) mutated; and their wire form, as the client sends it.

import type { Arbitrary } from "fast-check";
import fc from "fast-check";
import type { OpenApiDocument, ParameterObject } from "../support/spec.js";
import { findOperation, operationParameters, resolve } from "../support/spec.js";
import { schemaArbitrary } from "./schema-arbitrary.js";
import { textNearTheLimit } from "./utf8-text.js";

export interface QueryCase {
  mutation: string;
  query: Record<string, unknown>;
}

export function queryParameters(spec: OpenApiDocument, operationId: string): ParameterObject[] {
  return operationParameters(spec, findOperation(spec, operationId))
    .map((p) => p.value)
    .filter((p) => p.in === "query");
}

interface ValueSchema {
  $ref?: string;
  type?: string;
  anyOf?: ValueSchema[];
  items?: ValueSchema;
}

/** Whether the parameter's values are text: a string, a status (known or any string), an array of strings. */
function takesText(spec: OpenApiDocument, schema: ValueSchema): boolean {
  if (schema.$ref) return takesText(spec, resolve<ValueSchema>(spec, schema.$ref.slice(1)).value);
  if (schema.anyOf) return schema.anyOf.some((branch) => takesText(spec, branch));
  if (schema.type === "array") return schema.items !== undefined && takesText(spec, schema.items);
  return schema.type === "string";
}

export function textParameters(spec: OpenApiDocument, operationId: string): string[] {
  return queryParameters(spec, operationId)
    .filter((p) => takesText(spec, p.schema as ValueSchema))
    .map((p) => p.name);
}

/** `k=v&k=v`, encodeURIComponent, arrays repeating the key: the client's serialisation. */
export function wireQuery(query: Record<string, unknown>): string {
  return Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (item) => `${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`,
      ),
    )
    .join("&");
}

type Mutation = { label: string; apply: (query: Record<string, unknown>) => void };
const set = (label: string, key: string, value: unknown): Mutation => ({
  label,
  apply: (query) => void (query[key] = value),
});

/** `otherNames`: the other family's parameters, the most likely unknown keys in practice. */
export function queryCases(
  spec: OpenApiDocument,
  operationId: string,
  otherNames: string[],
): Arbitrary<QueryCase> {
  const parameters = queryParameters(spec, operationId);
  const names = parameters.map((p) => p.name);
  const model = Object.fromEntries(
    parameters.map((p) => [
      p.name,
      schemaArbitrary(spec, p.schema as object, `${operationId} ${p.name}`),
    ]),
  );
  const stringNames = parameters
    .filter((p) => (p.schema as ValueSchema).type === "string")
    .map((p) => p.name);
  const unknownName = fc
    .oneof(
      fc.constantFrom(...otherNames, "sort_key", "details"),
      fc.string({ minLength: 1, maxLength: 8 }),
    )
    .filter((name) => !names.includes(name));

  const mutations: Arbitrary<Mutation>[] = [
    fc.constant({ label: "none", apply: () => undefined }),
    fc
      .oneof(fc.constantFrom(0, 1, 1000, 1001, -1), fc.integer({ min: -5000, max: 5000 }))
      .map((limit) => set("limit out of range", "limit", limit)),
    fc
      .oneof(fc.constantFrom(-1, 0), fc.integer({ min: -5000, max: -1 }))
      .map((offset) => set("offset out of range", "offset", offset)),
    fc
      .tuple(
        fc.constantFrom(...names),
        fc.oneof(
          fc.boolean(),
          fc.constantFrom(1.5, "abc", ""),
          fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 2 }),
        ),
      )
      .map(([name, value]) => set(`wrong type: ${name}`, name, value)),
    fc
      .tuple(fc.constantFrom(...stringNames), textNearTheLimit)
      .map(([name, text]) => set(`long text: ${name}`, name, text)),
    // Any parameter sent with nothing after `=`; how judges read `limit=` is what this probes.
    fc.constantFrom(...names).map((name) => set(`empty: ${name}`, name, "")),
    fc
      .tuple(unknownName, fc.string({ maxLength: 6 }))
      .map(([name, value]) => set("unknown parameter", name, value)),
  ];

  return fc
    .tuple(fc.record(model, { requiredKeys: [] }), fc.oneof(...mutations))
    .map(([valid, mutation]) => {
      const query = structuredClone(valid) as Record<string, unknown>;
      mutation.apply(query);
      return { mutation: mutation.label, query };
    });
}
