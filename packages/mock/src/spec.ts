/**
 * The bundled contract, read once: the operations (for routing), the examples of each
 * response (for error envelopes, `Prefer` and fault rules) and the limits JSON Schema
 * cannot state (`x-max-utf8-bytes`, `x-max-json-bytes`). Nothing the spec says is restated
 * in the emulator; it asks this module.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where the build copies `openapi/bundled/` (see build.mjs); the package ships it. */
export const SPEC_YAML = fileURLToPath(new URL("../spec/evs-snapshots.yaml", import.meta.url));
export const SPEC_JSON = fileURLToPath(new URL("../spec/evs-snapshots.json", import.meta.url));

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Family = "native" | "compatible";

export interface SpecOperation {
  operationId: string;
  method: string;
  /** e.g. `/v2/{project_id}/cloudsnapshots/{snapshot_id}` */
  path: string;
  family: Family;
  /** The operation's name without its family suffix, e.g. `updateSnapshot`: it picks the handler. */
  action: string;
  /** The one 2xx status the operation answers with. */
  successStatus: number;
  statuses: number[];
  requestBodySchema: JsonObject | undefined;
  parameters: JsonObject[];
  /** Matches a request path; groups are the path parameters in `pathParameters` order. */
  pattern: RegExp;
  pathParameters: string[];
}

export interface Spec {
  document: JsonObject;
  operations: SpecOperation[];
  resolve(value: Json | undefined): Json | undefined;
  /** The named example of a response (or its first one), resolved; undefined when there is none. */
  example(operation: SpecOperation, status: number, name?: string): Json | undefined;
  exampleNames(operation: SpecOperation, status: number): string[];
  /**
   * The example a response names in `x-family-example`: the shape the operation's family
   * answers with at that status (native `EVS.5404`, compatible `itemNotFound` at 404).
   */
  familyExample(operation: SpecOperation, status: number): string | undefined;
  /** The one status at which the operation documents an example of that name. */
  exampleStatus(operation: SpecOperation, name: string): number;
  /** The schema of a query parameter of the operation, resolved. */
  parameter(operation: SpecOperation, name: string): JsonObject | undefined;
  /** Headers the response at this status declares, with their example values. */
  responseHeaderExamples(operation: SpecOperation, status: number): Record<string, string>;
  /** The JSON schema of a response, resolved one level. */
  responseSchema(operation: SpecOperation, status: number): JsonObject | undefined;
  /** A component schema by name, resolved one level. */
  schema(name: string): JsonObject | undefined;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function familyOf(operationId: string, path: string): Family {
  if (operationId.endsWith("Native")) return "native";
  if (operationId.endsWith("Compatible")) return "compatible";
  return path.includes("/cloudsnapshots") ? "native" : "compatible";
}

function pathPattern(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      const match = /^\{(.+)\}$/.exec(segment);
      if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(match[1]!);
      return "([^/]+)";
    })
    .join("/");
  return { pattern: new RegExp(`^${source}$`), names };
}

export function loadSpec(file = SPEC_JSON): Spec {
  const document = JSON.parse(readFileSync(file, "utf8")) as JsonObject;

  const resolve = (value: Json | undefined): Json | undefined => {
    let current = value;
    for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
      if (hops > 32) throw new Error(`$ref loop at ${current.$ref}`);
      const ref: string = current.$ref;
      if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported: ${ref}`);
      let target: Json | undefined = document;
      for (const part of ref.slice(2).split("/")) {
        const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
        target = isObject(target) ? target[key] : undefined;
      }
      if (target === undefined) throw new Error(`unresolvable $ref ${ref}`);
      current = target;
    }
    return current;
  };

  const operations: SpecOperation[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(rawItem);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation) || typeof operation.operationId !== "string") continue;
      const responses = isObject(operation.responses) ? operation.responses : {};
      const statuses = Object.keys(responses)
        .filter((code) => /^\d{3}$/.test(code))
        .map(Number);
      const successStatus = statuses.find((status) => status >= 200 && status < 300);
      if (successStatus === undefined)
        throw new Error(`${operation.operationId} declares no 2xx response`);
      const body = resolve(operation.requestBody);
      const content = isObject(body) && isObject(body.content) ? body.content : {};
      const json = content["application/json"];
      const { pattern, names } = pathPattern(path);
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        family: familyOf(operation.operationId, path),
        action: operation.operationId.replace(/(Native|Compatible)$/, ""),
        successStatus,
        statuses,
        requestBodySchema: isObject(json) && isObject(json.schema) ? json.schema : undefined,
        parameters: [...shared, ...own].map(resolve).filter(isObject),
        pattern,
        pathParameters: names,
      });
    }
  }

  const response = (operation: SpecOperation, status: number): JsonObject | undefined => {
    const item = resolve(paths[operation.path]);
    const op = isObject(item) ? item[operation.method.toLowerCase()] : undefined;
    const responses = isObject(op) && isObject(op.responses) ? op.responses : {};
    const found = resolve(responses[String(status)]);
    return isObject(found) ? found : undefined;
  };
  const examplesOf = (operation: SpecOperation, status: number): JsonObject => {
    const content = response(operation, status)?.content;
    const json = isObject(content) ? content["application/json"] : undefined;
    return isObject(json) && isObject(json.examples) ? json.examples : {};
  };

  return {
    document,
    operations,
    resolve,
    exampleNames: (operation, status) => Object.keys(examplesOf(operation, status)),
    familyExample(operation, status) {
      const name = response(operation, status)?.["x-family-example"];
      return typeof name === "string" ? name : undefined;
    },
    exampleStatus(operation, name) {
      const found = operation.statuses.filter((status) => name in examplesOf(operation, status));
      if (found.length !== 1)
        throw new Error(
          `${operation.operationId} documents the example ${name} at ${found.length === 0 ? "no status" : `${found.length} statuses (${found.join(", ")})`}, not one`,
        );
      return found[0]!;
    },
    example(operation, status, name) {
      const examples = examplesOf(operation, status);
      const chosen = name === undefined ? Object.values(examples)[0] : examples[name];
      const example = resolve(chosen);
      if (!isObject(example) || !("value" in example)) return undefined;
      return structuredClone(example.value);
    },
    parameter(operation, name) {
      const found = operation.parameters.find((p) => p.name === name && p.in === "query");
      const schema = found ? resolve(found.schema) : undefined;
      return isObject(schema) ? schema : undefined;
    },
    responseHeaderExamples(operation, status) {
      const headers = response(operation, status)?.headers;
      const out: Record<string, string> = {};
      if (!isObject(headers)) return out;
      for (const [name, raw] of Object.entries(headers)) {
        const header = resolve(raw);
        if (isObject(header) && header.example !== undefined) out[name] = String(header.example);
      }
      return out;
    },
    responseSchema(operation, status) {
      const content = response(operation, status)?.content;
      const json = isObject(content) ? content["application/json"] : undefined;
      const schema = isObject(json) ? resolve(json.schema) : undefined;
      return isObject(schema) ? schema : undefined;
    },
    schema(name) {
      const components = isObject(document.components) ? document.components : {};
      const schemas = isObject(components.schemas) ? components.schemas : {};
      const schema = resolve(schemas[name]);
      return isObject(schema) ? schema : undefined;
    },
  };
}

export interface RouteMatch {
  operation: SpecOperation;
  params: Record<string, string>;
}

/**
 * Finds the operation for a method and an (encoded) path. `pathKnown` tells a wrong method
 * on a known path (405) from an unknown path (404).
 */
export function createRouter(unordered: SpecOperation[]) {
  // Literal segments win over parameters (`…/detail` is not a snapshot id).
  const operations = [...unordered].sort(
    (a, b) => a.pathParameters.length - b.pathParameters.length,
  );
  return (method: string, path: string): { match: RouteMatch | undefined; pathKnown: boolean } => {
    let pathKnown = false;
    for (const operation of operations) {
      const groups = operation.pattern.exec(path);
      if (!groups) continue;
      pathKnown = true;
      if (operation.method !== method) continue;
      const params: Record<string, string> = {};
      operation.pathParameters.forEach((name, i) => {
        params[name] = safeDecode(groups[i + 1]!);
      });
      return { match: { operation, params }, pathKnown };
    }
    return { match: undefined, pathKnown };
  };
}

/** decodeURIComponent that never throws: a malformed escape stays as it was sent. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every `x-max-utf8-bytes` / `x-max-json-bytes` the request body schema states, checked
 * against a body: the rules JSON Schema cannot express, which Prism therefore cannot judge.
 * Returns the first breach as `path: what`, or undefined.
 */
export function byteLimitBreach(
  spec: Spec,
  schema: Json | undefined,
  value: unknown,
): string | undefined {
  const walk = (
    raw: Json | undefined,
    current: unknown,
    where: string,
    depth: number,
  ): string | undefined => {
    if (depth > 16) return undefined;
    const node = spec.resolve(raw);
    if (!isObject(node)) return undefined;
    const maxBytes = node["x-max-utf8-bytes"];
    if (typeof maxBytes === "number" && typeof current === "string") {
      const bytes = Buffer.byteLength(current, "utf8");
      if (bytes > maxBytes) return `${where} is ${bytes} bytes of UTF-8, more than ${maxBytes}`;
    }
    const maxJson = node["x-max-json-bytes"];
    if (typeof maxJson === "number" && current !== undefined) {
      const bytes = Buffer.byteLength(JSON.stringify(current), "utf8");
      if (bytes > maxJson) return `${where} is ${bytes} bytes as JSON, more than ${maxJson}`;
    }
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      const list = node[key];
      if (Array.isArray(list))
        for (const sub of list) {
          const found = walk(sub, current, where, depth + 1);
          if (found) return found;
        }
    }
    if (isObject(node.properties) && typeof current === "object" && current !== null) {
      for (const [name, sub] of Object.entries(node.properties)) {
        const found = walk(
          sub,
          (current as Record<string, unknown>)[name],
          `${where}.${name}`,
          depth + 1,
        );
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(schema, value, "body", 0);
}
