// Finds every example of the bundled spec together with the schema it illustrates: named
// and single examples of request and response bodies, of parameters and response headers
// (resolved through their `$ref`s, once per place they are used), and the `examples`
// keyword of every schema under components.schemas.

import type {
  ExampleObject,
  MediaTypeObject,
  OpenApiDocument,
  ResponseObject,
} from "../support/spec.js";
import { jsonPointer, listOperations, operationParameters, resolve } from "../support/spec.js";

export interface ExampleCase {
  /** Where the example is used, for the test name. */
  where: string;
  /** JSON pointer of the schema the example must satisfy. */
  schemaPointer: string;
  value: unknown;
}

interface Illustrated {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, unknown>;
}

// `examples` is a map of Example Objects on media types and parameters.
function examplesOf(spec: OpenApiDocument, pointer: string, where: string): ExampleCase[] {
  const holder = resolve<Illustrated>(spec, pointer);
  if (holder.value.schema === undefined) return [];
  const schemaPointer = `${holder.pointer}/schema`;
  const cases: ExampleCase[] = [];
  if ("example" in holder.value)
    cases.push({ where: `${where} example`, schemaPointer, value: holder.value.example });
  for (const name of Object.keys(holder.value.examples ?? {})) {
    const example = resolve<ExampleObject>(
      spec,
      `${holder.pointer}${jsonPointer("examples", name)}`,
    ).value;
    cases.push({ where: `${where} example "${name}"`, schemaPointer, value: example.value });
  }
  return cases;
}

function operationExamples(spec: OpenApiDocument): ExampleCase[] {
  return listOperations(spec).flatMap((entry) => {
    const label = entry.operationId;
    const cases = operationParameters(spec, entry).flatMap((p) =>
      examplesOf(spec, p.pointer, `${label} parameter ${p.value.name}`),
    );
    if (entry.operation.requestBody) {
      const body = resolve<{ content: Record<string, MediaTypeObject> }>(
        spec,
        `${entry.pointer}/requestBody`,
      );
      for (const type of Object.keys(body.value.content)) {
        cases.push(
          ...examplesOf(
            spec,
            `${body.pointer}${jsonPointer("content", type)}`,
            `${label} request ${type}`,
          ),
        );
      }
    }
    for (const status of Object.keys(entry.operation.responses)) {
      const response = resolve<ResponseObject>(
        spec,
        `${entry.pointer}${jsonPointer("responses", status)}`,
      );
      for (const type of Object.keys(response.value.content ?? {})) {
        cases.push(
          ...examplesOf(
            spec,
            `${response.pointer}${jsonPointer("content", type)}`,
            `${label} ${status} ${type}`,
          ),
        );
      }
      for (const header of Object.keys(response.value.headers ?? {})) {
        cases.push(
          ...examplesOf(
            spec,
            `${response.pointer}${jsonPointer("headers", header)}`,
            `${label} ${status} header ${header}`,
          ),
        );
      }
    }
    return cases;
  });
}

// In a schema, `examples` is a plain array of values for that very schema.
function schemaKeywordExamples(node: unknown, pointer: string): ExampleCase[] {
  if (node === null || typeof node !== "object") return [];
  const cases: ExampleCase[] = [];
  const schema = node as Record<string, unknown>;
  if (Array.isArray(schema.examples)) {
    schema.examples.forEach((value, i) =>
      cases.push({ where: `${pointer} examples[${i}]`, schemaPointer: pointer, value }),
    );
  }
  for (const [key, child] of Object.entries(schema)) {
    if (key === "examples" || key === "enum" || key === "const" || key === "default") continue;
    if (Array.isArray(child))
      child.forEach((item, i) =>
        cases.push(...schemaKeywordExamples(item, `${pointer}${jsonPointer(key, i)}`)),
      );
    else cases.push(...schemaKeywordExamples(child, `${pointer}${jsonPointer(key)}`));
  }
  return cases;
}

export function collectExamples(spec: OpenApiDocument): ExampleCase[] {
  return [
    ...operationExamples(spec),
    ...schemaKeywordExamples(spec.components.schemas, jsonPointer("components", "schemas")),
  ];
}
