/**
 * `@evs-toolkit/client/raw`: every operation of the spec, typed by the spec's `paths`, in
 * openapi-fetch's call shape (`raw.GET(path, { params, body, headers })` answers
 * `{ data, error, response }`), sent through the transport of a client made by
 * createEvsClient (same auth, retries, time limits, size limit, redirect and origin guard).
 *
 *   const raw = rawClient(client);
 *   const { data, error } = await raw.GET("/v2/{project_id}/cloudsnapshots/detail", { params: … });
 *
 * Why not openapi-fetch's own runtime: a request would be built twice (openapi-fetch builds a
 * Request, the transport must read it back to sign and retry it) and its answer three times
 * (the transport has already read the body under the size limit), for a runtime of 2.8 KB
 * min+gzip whose options beyond these (serializers, middleware, another `baseUrl` or
 * `fetch`) would each bypass a guarantee of the transport. The spec's parameters are all
 * `style: form, explode: true` or simple path segments, which is what this encodes.
 * openapi-fetch's types are kept, so results narrow exactly as they do there.
 */
import type { FetchResponse, RequestBodyOption } from "openapi-fetch";
import { parseApiError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { familyOperations } from "./generated/spec-facts.js";
import { AUTH_HEADER_NAMES } from "./internal/auth.js";
import { checkCallHeaders, checkPathParameter, checkUrlText, invalid } from "./internal/checks.js";
import { isPlainObject } from "./internal/objects.js";
import type { Redactor } from "./internal/redact.js";
import { clientInternals } from "./internal/registry.js";
import { inertText } from "./internal/text.js";
import { serializeQuery } from "./pagination.js";
import { checkKnownKeys } from "./validation.js";

type Method = "get" | "put" | "post" | "delete";
/** Paths of the spec that have `method`. */
type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];
type Operation<P extends keyof paths, M extends Method> = paths[P][M & keyof paths[P]];

/** What a raw call takes besides the operation's `params` and `body`. */
export interface RawCallOptions {
  /** Extra request headers (e.g. `Prefer` for the mock); the auth headers are the client's. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/**
 * openapi-fetch's `params` without `header` and `cookie`: the spec's header parameters are
 * the auth headers, which are the transport's, and it has no cookies.
 */
type RawParams<O> = O extends { parameters: infer Parameters }
  ? Omit<Parameters, "header" | "cookie">
  : never;
type ParamsOf<O> =
  RequiredKeys<RawParams<O>> extends never ? { params?: RawParams<O> } : { params: RawParams<O> };
type Init<P extends keyof paths, M extends Method> = ParamsOf<Operation<P, M>> &
  RequestBodyOption<Operation<P, M>> &
  RawCallOptions;

/**
 * One method of the raw client. The options are the operation's exact type (not a type
 * parameter inferred from the call), so an object literal is checked for excess properties:
 * a misspelled body field is a type error.
 */
export type RawMethod<M extends Method> = <P extends PathsWith<M>>(
  url: P,
  ...init: RequiredKeys<Init<P, M>> extends never ? [Init<P, M>?] : [Init<P, M>]
) => Promise<FetchResponse<Operation<P, M> & object, Init<P, M>, `${string}/${string}`>>;

export interface EvsRawClient {
  GET: RawMethod<"get">;
  PUT: RawMethod<"put">;
  POST: RawMethod<"post">;
  DELETE: RawMethod<"delete">;
}

const RAW_METHODS = ["GET", "PUT", "POST", "DELETE"] as const;
const INIT_KEYS = ["params", "body", "headers", "signal"];
const PARAM_KEYS = ["path", "query"];
/**
 * `METHOD path` of every operation of the spec: each is a client operation on one of the
 * families (test/client/raw.test.ts proves the spec has no other). A call outside them is
 * refused, so no path template can move a request, with its credentials, to another path.
 */
const ROUTES = new Set(
  Object.values(familyOperations).flatMap((operations) =>
    Object.values(operations).map(({ method, path }) => `${method} ${path}`),
  ),
);
/** Methods whose operations take no body: fetch would refuse one for GET (a network error, retried). */
const BODYLESS_METHODS = ["GET", "DELETE"];

/** An object (or nothing: `{}`), or the EvsValidationError for `field`. */
function record(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) invalid(field, "must be an object");
  return value;
}

/** An object of options (or nothing), refused when it has a key outside `keys`. */
function options(value: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
  const object = record(value, field);
  checkKnownKeys(object, keys, `an option of ${field}`);
  return object;
}

/**
 * The query as the transport will send it (form, exploded): read once (a getter cannot
 * answer the check one thing and the request another), refused first where encoding would
 * throw or change it: lone surrogates and controls in names or values, numbers that are not
 * safe integers (1e21 would go out as 1e%2B21), objects, and null or undefined inside an
 * array (openapi-fetch would send an empty pair). A value of null or undefined is left out.
 */
function checkedQuery(query: unknown): Record<string, unknown> {
  const entries = Object.entries(record(query, "params.query"));
  for (const [name, value] of entries) {
    checkUrlText("params.query", name);
    for (const item of Array.isArray(value) ? value : value == null ? [] : [value]) {
      if (typeof item === "string") checkUrlText(name, item);
      else if (typeof item === "number" ? !Number.isSafeInteger(item) : typeof item !== "boolean")
        invalid(name, `must be a string, a boolean or a safe integer, got ${typeof item}`);
    }
  }
  return Object.fromEntries(entries);
}

/**
 * The answer's headers for the Response raw hands out; a failure's values redacted, like
 * everything of an error (a server may echo a credential in any of them), a success's as
 * sent, like its data (an ETag that is a SHA-256 digest stays one). A Response also needs a
 * status of 200-599 (another is an unexpected answer) and a Latin-1 reason phrase (made
 * inert): see the call below.
 */
function responseHeaders(headers: Headers, redactor: Redactor | undefined): Headers {
  const copy = new Headers();
  for (const [name, value] of headers) {
    // The body is already decoded text: the headers that described the encoded one go.
    if (name !== "content-encoding" && name !== "content-length")
      copy.append(name, redactor ? redactor.text(value) : value);
  }
  return copy;
}

/** The typed raw client for `client` (made by createEvsClient). */
export function rawClient(client: object): EvsRawClient {
  const { transport, basePath } = clientInternals(client, "rawClient");
  const { redactor } = transport;

  const call =
    (method: (typeof RAW_METHODS)[number]) => async (template: unknown, init?: unknown) => {
      if (typeof template !== "string" || !ROUTES.has(`${method} ${template}`))
        invalid("url", `must be a path of the spec that has ${method}`);
      const { params, body, headers, signal } = options(init, "raw", INIT_KEYS);
      const { path, query } = options(params, "params", PARAM_KEYS);
      const pathValues = record(path, "params.path");
      const url =
        basePath +
        template.replace(/\{(\w+)\}/g, (_slot, name: string) => {
          const value = pathValues[name];
          checkPathParameter(name, value);
          return encodeURIComponent(value);
        });
      const search = serializeQuery(checkedQuery(query));
      if (body !== undefined && BODYLESS_METHODS.includes(method))
        invalid("body", `is not taken by ${method}`);
      let text: string | undefined;
      try {
        text = body === undefined ? undefined : JSON.stringify(body);
      } catch {
        // refused below
      }
      // JSON.stringify throws on cycles and BigInt, and gives undefined for a function.
      if (body !== undefined && text === undefined) invalid("body", "must be serialisable as JSON");
      const response = await transport.send({
        method,
        path: url,
        search: search && `?${search}`,
        body: text,
        headers: checkCallHeaders(headers, AUTH_HEADER_NAMES),
        signal: signal as AbortSignal | undefined,
        // Create and rollback may have taken effect when their answer was lost.
        retryable: method !== "POST" || transport.retryCreate,
      });

      const { status } = response;
      const parts = { ...response, method, path: url };
      if (status < 200 || status > 599)
        throw parseApiError(parts, redactor, `status ${status} is outside 200-599`);
      const ok = status < 300;
      let parsed: unknown;
      if (response.text !== "") {
        try {
          parsed = JSON.parse(response.text);
        } catch {
          if (ok) throw parseApiError(parts, redactor, "the answer is not JSON");
          parsed = response.text;
        }
      }
      // A failure's body is `error`, redacted like every error; its Response has none (as
      // openapi-fetch's has none left to read), so no unredacted copy is handed out.
      if (!ok) parsed = redactor.json(parsed, response.text);
      const answer = new Response((ok && response.text) || null, {
        status,
        statusText: inertText(redactor.text(response.statusText), 64).replace(/[^\x20-\xff]/g, "?"),
        headers: responseHeaders(response.headers, ok ? undefined : redactor),
      });
      return ok ? { data: parsed, response: answer } : { error: parsed, response: answer };
    };

  const raw = {} as Record<(typeof RAW_METHODS)[number], unknown>;
  for (const method of RAW_METHODS) raw[method] = call(method);
  return raw as unknown as EvsRawClient;
}
