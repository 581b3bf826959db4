// The mock's control API document (packages/mock/control-api.yaml) as a judge of the
// answers the control API gives: the operation and its status must be declared, the
// content type must match, and a JSON body must validate against the declared schema
// (JSON Schema 2020-12, as OpenAPI 3.1 schemas are). Also a recorder of the control
// answers a test run produces through `startMock()`'s methods, which call the global fetch.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";

export const CONTROL_API_FILE = fileURLToPath(
  new URL("../../packages/mock/control-api.yaml", import.meta.url),
);
const DOC_ID = "https://evs-snapshot-toolkit.invalid/control-api.json";
const PREFIX = "/__evs-mock";
const METHODS = ["get", "put", "post", "delete", "patch"];

type Json = Record<string, unknown>;
export interface ControlOperation {
  operationId: string;
  method: string;
  path: string;
  statuses: string[];
}
export interface ControlAnswer {
  method: string;
  /** The path under the prefix, e.g. `/faults`. */
  path: string;
  status: number;
  contentType: string | null;
  text: string;
}

const doc = parse(readFileSync(CONTROL_API_FILE, "utf8")) as Json;
const paths = doc.paths as Record<string, Record<string, Json>>;

export const CONTROL_OPERATIONS: ControlOperation[] = Object.entries(paths).flatMap(
  ([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      operationId: String(item[m]!.operationId),
      method: m.toUpperCase(),
      path,
      statuses: Object.keys(item[m]!.responses as Json),
    })),
);

const ajv = new Ajv2020({ strict: true, allErrors: true });
// The document's own fields are not schema keywords; it is registered so `$ref`s resolve.
for (const field of Object.keys(doc)) ajv.addKeyword({ keyword: field });
ajv.addSchema({ ...doc, $id: DOC_ID });
const validators = new Map<string, ValidateFunction>();

const pointer = (...segments: string[]) =>
  segments.map((s) => `/${s.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

/** The response object and its pointer, following one `$ref` into components. */
function declared(method: string, path: string, status: number): [Json, string] | undefined {
  const response = paths[path]?.[method.toLowerCase()]?.responses as Json | undefined;
  const found = response?.[String(status)] as Json | undefined;
  if (!found) return undefined;
  const ref = found.$ref;
  if (typeof ref === "string") {
    const name = ref.split("/").pop()!;
    const components = (doc.components as Json).responses as Json;
    return [components[name] as Json, pointer("components", "responses", name)];
  }
  return [found, pointer("paths", path, method.toLowerCase(), "responses", String(status))];
}

/** What is wrong with one control answer (empty: it is what the document declares). */
export function controlAnswerProblems(answer: ControlAnswer): string[] {
  const where = `${answer.method} ${PREFIX}${answer.path} -> ${answer.status}`;
  if (!paths[answer.path]?.[answer.method.toLowerCase()])
    return [`${where}: no such operation in control-api.yaml`];
  const found = declared(answer.method, answer.path, answer.status);
  if (!found) return [`${where}: status not declared for the operation`];
  const [response, at] = found;
  const content = (response.content ?? {}) as Record<string, Json>;
  const types = Object.keys(content);
  const type = answer.contentType?.split(";")[0]?.trim() ?? null;
  if (types.length === 0)
    return answer.text === "" ? [] : [`${where}: a body where the document declares none`];
  if (type === null || !types.includes(type))
    return [`${where}: content type ${type} where the document declares ${types.join(", ")}`];
  if (!content[type]!.schema) return [];
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [`${where}: the body is not JSON`];
  }
  const schemaPointer = `${at}${pointer("content", type, "schema")}`;
  let validate = validators.get(schemaPointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOC_ID}#${schemaPointer}` });
    validators.set(schemaPointer, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) => `${where}: ${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`,
  );
}

/** The operation an answer belongs to, with its status, e.g. `addFaultRule 201`. */
export function controlOutcome(answer: ControlAnswer): string {
  const operation = CONTROL_OPERATIONS.find(
    (op) => op.method === answer.method && op.path === answer.path,
  );
  return `${operation?.operationId ?? `${answer.method} ${answer.path}`} ${answer.status}`;
}

/**
 * Records every answer the global fetch gets from a control API (`…/__evs-mock/…`) until
 * `stop()`. startMock()'s methods (reset, seed, addFault, …) use the global fetch.
 */
export function recordControlAnswers(): { answers: ControlAnswer[]; stop(): void } {
  const original = globalThis.fetch;
  const answers: ControlAnswer[] = [];
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith(`${PREFIX}/`)) {
      const method = (
        init?.method ?? (input instanceof Request ? input.method : "GET")
      ).toUpperCase();
      answers.push({
        method,
        path: url.pathname.slice(PREFIX.length),
        status: response.status,
        contentType: response.headers.get("content-type"),
        text: await response.clone().text(),
      });
    }
    return response;
  };
  return {
    answers,
    stop: () => {
      globalThis.fetch = original;
    },
  };
}
