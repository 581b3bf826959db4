// Reads the bundled OpenAPI document (the file Prism, the docs and the client consume) and
// walks it: operations by operationId, local `$ref`s, JSON pointers. Only the parts of
// OpenAPI the tests read are typed.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BUNDLED_SPEC_JSON = fileURLToPath(
  new URL("../../openapi/bundled/evs-snapshots.json", import.meta.url),
);

export interface Reference {
  $ref: string;
}
export interface ExampleObject {
  summary?: string;
  value?: unknown;
}
export interface MediaTypeObject {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, ExampleObject | Reference>;
}
export interface ParameterObject {
  name: string;
  in: "query" | "header" | "path" | "cookie";
  required?: boolean;
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, ExampleObject | Reference>;
}
export interface HeaderObject {
  schema?: unknown;
  example?: unknown;
}
export interface RequestBodyObject {
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | Reference>;
  content?: Record<string, MediaTypeObject>;
}
export interface OperationObject {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: (ParameterObject | Reference)[];
  requestBody?: RequestBodyObject | Reference;
  responses: Record<string, ResponseObject | Reference>;
}
export type PathItemObject = { parameters?: (ParameterObject | Reference)[] } & Partial<
  Record<HttpMethod, OperationObject>
>;
export interface OpenApiDocument {
  paths: Record<string, PathItemObject>;
  components: Record<string, Record<string, unknown>>;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationEntry {
  operationId: string;
  method: HttpMethod;
  path: string;
  /** JSON pointer of the operation object in the document. */
  pointer: string;
  operation: OperationObject;
  pathItem: PathItemObject;
}

/** A value found in the document, with the JSON pointer where it actually lives (after `$ref`s). */
export interface Located<T> {
  value: T;
  pointer: string;
}

export function loadBundledSpec(file: string = BUNDLED_SPEC_JSON): OpenApiDocument {
  return JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
}

export function jsonPointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

function valueAt(spec: OpenApiDocument, pointer: string): unknown {
  let node: unknown = spec;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !(key in node))
      throw new Error(`nothing at ${pointer} in the bundled spec`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const isReference = (value: unknown): value is Reference =>
  value !== null && typeof value === "object" && typeof (value as Reference).$ref === "string";

/** Follows local `$ref`s from `pointer` until it reaches a value that is not a reference. */
export function resolve<T>(spec: OpenApiDocument, pointer: string): Located<T> {
  const seen = new Set<string>();
  let at = pointer;
  let value = valueAt(spec, at);
  while (isReference(value)) {
    if (!value.$ref.startsWith("#/"))
      throw new Error(`${at}: only local references are expected in the bundle, got ${value.$ref}`);
    if (seen.has(at)) throw new Error(`${pointer}: circular $ref`);
    seen.add(at);
    at = value.$ref.slice(1);
    value = valueAt(spec, at);
  }
  return { value: value as T, pointer: at };
}

export function listOperations(spec: OpenApiDocument): OperationEntry[] {
  return Object.entries(spec.paths).flatMap(([path, pathItem]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = pathItem[method];
      return operation
        ? [
            {
              operationId: operation.operationId,
              method,
              path,
              pointer: jsonPointer("paths", path, method),
              operation,
              pathItem,
            },
          ]
        : [];
    }),
  );
}

export function findOperation(spec: OpenApiDocument, operationId: string): OperationEntry {
  const found = listOperations(spec).find((entry) => entry.operationId === operationId);
  if (!found) throw new Error(`the bundled spec has no operation ${operationId}`);
  return found;
}

/** The operation's parameters (path-level ones first, as OpenAPI merges them), each resolved. */
export function operationParameters(
  spec: OpenApiDocument,
  entry: OperationEntry,
): Located<ParameterObject>[] {
  const pathLevel = (entry.pathItem.parameters ?? []).map((_, i) =>
    resolve<ParameterObject>(spec, jsonPointer("paths", entry.path, "parameters", i)),
  );
  const own = (entry.operation.parameters ?? []).map((_, i) =>
    resolve<ParameterObject>(spec, `${entry.pointer}${jsonPointer("parameters", i)}`),
  );
  // An operation-level parameter overrides a path-level one with the same name and location.
  const overridden = (p: Located<ParameterObject>) =>
    own.some((o) => o.value.name === p.value.name && o.value.in === p.value.in);
  return [...pathLevel.filter((p) => !overridden(p)), ...own];
}

/** Pointer of the JSON request body's media type object of an operation. */
export function requestBodyMediaPointer(spec: OpenApiDocument, entry: OperationEntry): string {
  const body = resolve<RequestBodyObject>(spec, `${entry.pointer}/requestBody`);
  if (!body.value.content["application/json"])
    throw new Error(`${entry.operationId} has no application/json request body`);
  return `${body.pointer}${jsonPointer("content", "application/json")}`;
}

/** Pointer of the JSON body's media type object of one response of an operation. */
export function responseMediaPointer(
  spec: OpenApiDocument,
  entry: OperationEntry,
  status: string,
): string {
  if (!(status in entry.operation.responses))
    throw new Error(`${entry.operationId} declares no ${status} response`);
  const response = resolve<ResponseObject>(
    spec,
    `${entry.pointer}${jsonPointer("responses", status)}`,
  );
  if (!response.value.content?.["application/json"])
    throw new Error(`${entry.operationId} ${status} has no application/json body`);
  return `${response.pointer}${jsonPointer("content", "application/json")}`;
}

/** The named examples of a media type object, each resolved to its value. */
export function namedExamples(spec: OpenApiDocument, mediaPointer: string): Map<string, unknown> {
  const media = resolve<MediaTypeObject>(spec, mediaPointer).value;
  return new Map(
    Object.keys(media.examples ?? {}).map((name) => [
      name,
      resolve<ExampleObject>(spec, `${mediaPointer}${jsonPointer("examples", name)}`).value.value,
    ]),
  );
}
