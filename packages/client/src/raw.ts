/**
 * `@evs-toolkit/client/raw`: the typed openapi-fetch client over every operation of the
 * spec, through the transport of a client made by createEvsClient (same auth, retries,
 * time limits, size limit and origin guard). Only applications that import it bundle
 * openapi-fetch.
 *
 *   const raw = rawClient(client);
 *   const { data, error } = await raw.GET("/v2/{project_id}/cloudsnapshots/detail", { params: … });
 */
import type { FetchOptions, FetchResponse } from "openapi-fetch";
import createClient from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { AUTH_HEADER_NAMES } from "./internal/auth.js";
import { checkCallHeaders, checkPathParameter, checkUrlText, invalid } from "./internal/checks.js";
import { clientInternals } from "./internal/registry.js";

type Method = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
/** Paths of the spec that have `method`. */
type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];
type Operation<P extends keyof paths, M extends Method> = paths[P][M & keyof paths[P]];
type Init<P extends keyof paths, M extends Method> = FetchOptions<Operation<P, M>>;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/**
 * One method of the raw client. Unlike openapi-fetch's own signature, the options are not a
 * type parameter inferred from the call: they are the operation's exact type, so an object
 * literal is checked for excess properties (a misspelled body field is a type error).
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

const IDEMPOTENT_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];
/** Statuses whose Response must not have a body. */
const NULL_BODY_STATUSES = [101, 204, 205, 304];
const RAW_METHODS = ["GET", "PUT", "POST", "DELETE"] as const;

/**
 * Refuses what URL building would turn into another request: path parameters `.`/`..`
 * (normalisation would move the request, credentials and all, to another path), lone
 * surrogates and control characters, and query numbers that are not safe integers
 * (1e21 would go out as 1e%2B21).
 */
function checkInit(init: unknown): void {
  // Before openapi-fetch builds its Headers, whose own error would quote a bad value.
  checkCallHeaders((init as { headers?: unknown } | undefined)?.headers, AUTH_HEADER_NAMES);
  const params = (init as { params?: { path?: unknown; query?: unknown } } | undefined)?.params;
  if (params === undefined || params === null) return;
  for (const [name, value] of Object.entries((params.path ?? {}) as object))
    checkPathParameter(name, value);
  for (const [name, value] of Object.entries((params.query ?? {}) as object)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "number" && !Number.isSafeInteger(item))
        invalid(name, `must be a safe integer, got ${String(item)}`);
      if (typeof item === "string") checkUrlText(name, item);
    }
  }
}

/** The typed openapi-fetch client for `client` (made by createEvsClient). */
export function rawClient(client: object): EvsRawClient {
  const { transport, origin, basePath, baseUrl } = clientInternals(client, "rawClient");

  /** openapi-fetch hands over a Request; read its body once, check its origin, and send it through the transport. */
  async function rawFetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (
      url.origin !== origin ||
      !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))
    ) {
      // A per-call `baseUrl` could point anywhere; credentials only go to the configured endpoint.
      invalid(
        "baseUrl",
        `of raw requests must be ${baseUrl}; refusing to send credentials to ${url.origin}`,
      );
    }
    const headers = checkCallHeaders(request.headers, AUTH_HEADER_NAMES);
    const { method } = request;
    const response = await transport.send({
      method,
      path: url.pathname,
      search: url.search,
      body: request.body === null ? undefined : await request.text(),
      headers,
      signal: request.signal,
      retryable: IDEMPOTENT_METHODS.includes(method) || transport.retryCreate,
    });
    // The body is already decoded text: drop the headers that described the encoded one.
    const responseHeaders = new Headers(response.headers);
    responseHeaders.delete("content-encoding");
    responseHeaders.delete("content-length");
    // An answer that is not a success becomes openapi-fetch's `error`: redacted like every error.
    const text = response.status >= 300 ? redactBody(response.text) : response.text;
    return new Response(NULL_BODY_STATUSES.includes(response.status) ? null : text, {
      status: response.status,
      statusText: transport.redactor.text(response.statusText),
      headers: responseHeaders,
    });
  }

  function redactBody(text: string): string {
    try {
      return JSON.stringify(transport.redactor.json(JSON.parse(text)));
    } catch {
      return transport.redactor.text(text);
    }
  }

  const raw = createClient<paths>({ baseUrl, fetch: rawFetch });
  const checked = {} as Record<(typeof RAW_METHODS)[number], unknown>;
  for (const name of RAW_METHODS) {
    const method = raw[name] as (url: string, init?: unknown) => Promise<unknown>;
    checked[name] = async (url: string, init?: unknown) => {
      checkInit(init);
      return method(url, init);
    };
  }
  return checked as unknown as EvsRawClient;
}
