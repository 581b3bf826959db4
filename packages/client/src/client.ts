/**
 * createEvsClient: the four convenience methods, the waiter and `raw`.
 *
 * The convenience methods build their URLs directly (paths from contract.ts,
 * parameters through encodeURIComponent, as openapi-fetch does) and call the
 * transport: skipping openapi-fetch's Request construction keeps the token
 * path close to a bare fetch. `raw` is a real openapi-fetch client whose
 * fetch is an adapter onto the same transport, so it gets the same auth,
 * retries, time limits and origin guard.
 */
import createClient from "openapi-fetch";
import type { Client } from "openapi-fetch";
import { contract } from "./generated/contract.js";
import type { paths } from "./generated/openapi.js";
import { resolveEndpoint } from "./endpoint.js";
import type { EndpointOption } from "./endpoint.js";
import { EvsApiError, EvsValidationError, parseApiError } from "./errors.js";
import { iteratePages, nextQuery, serializeQuery } from "./pagination.js";
import { AUTH_HEADER_NAMES, createTransport, isAkSk } from "./transport.js";
import type { EvsAuth, FetchLike, RetryOptions, Transport, TransportResponse } from "./transport.js";
import type {
  CreateSnapshotInput,
  ListSnapshotsQuery,
  Snapshot,
  SnapshotFamily,
  SnapshotListItem,
  SnapshotPage,
  UpdateSnapshotInput,
} from "./types.js";
import { checkPathParameter, validateCreate, validateListQuery, validateUpdate } from "./validation.js";
import { waitForSnapshot } from "./waiter.js";
import type { WaitForSnapshotOptions } from "./waiter.js";

export interface EvsClientOptions<F extends SnapshotFamily = "cloudsnapshots"> {
  /** `https://evs.<region>.myhuaweicloud.com`, or `{ cloud: "huaweicloud" | "otc", region }`. */
  endpoint: EndpointOption;
  /** IAM project ID (goes in every path, and in X-Project-Id when signing). */
  projectId: string;
  /** `{ token }` (X-Auth-Token) or `{ accessKey, secretKey, securityToken? }` (AK/SK signing). */
  auth: EvsAuth;
  /** `cloudsnapshots` (native, default) or `snapshots` (OpenStack-compatible paths). */
  family?: F;
  /** Time limit of each attempt, body included (default 30 000 ms; 0 disables). */
  timeoutMs?: number;
  /** Retries of idempotent calls (list, update). */
  retry?: RetryOptions;
  /** Allow names starting with the reserved `autobk_snapshot_` prefix on every call. */
  allowReservedName?: boolean;
  /** Injectable fetch (tests, proxies); defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CreateCallOptions extends CallOptions {
  /** Retry this create on network errors and retryable statuses (may create a second snapshot). */
  retry?: boolean;
  allowReservedName?: boolean;
}

export interface UpdateCallOptions extends CallOptions {
  allowReservedName?: boolean;
}

export interface EvsClient<F extends SnapshotFamily = "cloudsnapshots"> {
  readonly family: F;
  readonly projectId: string;
  /** Base URL requests go to (credentials never go anywhere else). */
  readonly endpoint: string;
  /** Starts a snapshot; it comes back in status `creating` (see waitForSnapshot). Not retried unless opted in. */
  createSnapshot(body: CreateSnapshotInput, options?: CreateCallOptions): Promise<Snapshot>;
  /** One page of the list; `next` is the query for the following page. */
  listSnapshots(query?: ListSnapshotsQuery<F>, options?: CallOptions): Promise<SnapshotPage<F>>;
  /** Every snapshot matching the query, page by page (one page in memory at a time). */
  iterateSnapshots(query?: ListSnapshotsQuery<F>, options?: CallOptions): AsyncGenerator<SnapshotListItem<F>, void, undefined>;
  /** Renames a snapshot and/or changes its description. */
  updateSnapshot(snapshotId: string, body: UpdateSnapshotInput, options?: UpdateCallOptions): Promise<Snapshot>;
  /** Polls until the snapshot has the status (default `available`); see WaitForSnapshotOptions. */
  waitForSnapshot(snapshotId: string, options?: WaitForSnapshotOptions): Promise<SnapshotListItem<F>>;
  /** Typed openapi-fetch client over all six operations, through the same transport. */
  readonly raw: Client<paths>;
}

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
/** Statuses whose Response must not have a body. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

function checkAuth(auth: unknown): asserts auth is EvsAuth {
  if (typeof auth !== "object" || auth === null) {
    throw new EvsValidationError("auth", "auth is required: { token } or { accessKey, secretKey, securityToken? }");
  }
  // Messages name the field, never its value.
  if (isAkSk(auth as EvsAuth)) {
    const { accessKey, secretKey, securityToken } = auth as Record<string, unknown>;
    if (typeof accessKey !== "string" || accessKey === "") throw new EvsValidationError("auth.accessKey", "auth.accessKey must be a non-empty string");
    if (typeof secretKey !== "string" || secretKey === "") throw new EvsValidationError("auth.secretKey", "auth.secretKey must be a non-empty string");
    if (securityToken !== undefined && (typeof securityToken !== "string" || securityToken === "")) {
      throw new EvsValidationError("auth.securityToken", "auth.securityToken must be a non-empty string when given");
    }
    return;
  }
  const token = (auth as Record<string, unknown>)["token"];
  if (typeof token !== "string" || token === "") {
    throw new EvsValidationError("auth.token", "auth needs a non-empty token, or accessKey and secretKey");
  }
}

export function createEvsClient<F extends SnapshotFamily = "cloudsnapshots">(options: EvsClientOptions<F>): EvsClient<F> {
  if (typeof options !== "object" || options === null) throw new EvsValidationError("options", "createEvsClient needs an options object");
  const family = (options.family ?? "cloudsnapshots") as F;
  if (!Object.hasOwn(contract.listQuery, family)) {
    throw new EvsValidationError("family", `family must be "cloudsnapshots" or "snapshots", got ${JSON.stringify(family)}`);
  }
  checkPathParameter("projectId", options.projectId);
  checkAuth(options.auth);
  const projectId = options.projectId;
  const endpoint = resolveEndpoint(options.endpoint);
  const transport: Transport = createTransport({
    origin: endpoint.origin,
    auth: options.auth,
    projectId,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
  });
  const clientAllowsReserved = options.allowReservedName === true;

  const suffix = family === "snapshots" ? "Compatible" : "Native";
  const projectSegment = encodeURIComponent(projectId);
  const pathOf = (key: "createSnapshot" | "listSnapshots" | "updateSnapshot") =>
    endpoint.basePath + contract.operations[`${key}${suffix}`].path.replace("{project_id}", projectSegment);
  const createPath = pathOf("createSnapshot");
  const listPath = pathOf("listSnapshots");
  const updatePathTemplate = pathOf("updateSnapshot");
  const { origin } = endpoint;

  /** Parses a 2xx JSON answer, or throws the EvsApiError for anything else. */
  function readJson(response: TransportResponse, method: string, path: string): Record<string, unknown> {
    if (response.status < 200 || response.status > 299) {
      throw parseApiError({ ...response, method, path });
    }
    let data: unknown;
    try {
      data = JSON.parse(response.text);
    } catch {
      data = undefined;
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw unexpected(response, method, path, "the answer is not a JSON object");
    }
    return data as Record<string, unknown>;
  }

  function unexpected(response: TransportResponse, method: string, path: string, what: string): EvsApiError {
    const error = parseApiError({ ...response, method, path });
    return new EvsApiError({
      status: response.status,
      statusText: response.statusText,
      kind: "unknown",
      code: String(response.status),
      serverMessage: `unexpected answer: ${what}`,
      requestId: error.requestId,
      body: error.body,
      method,
      path,
    });
  }

  function snapshotFrom(response: TransportResponse, method: string, path: string): Snapshot {
    const data = readJson(response, method, path);
    const snapshot = data["snapshot"];
    if (typeof snapshot !== "object" || snapshot === null) throw unexpected(response, method, path, "no `snapshot` object");
    return snapshot as Snapshot;
  }

  async function createSnapshot(body: CreateSnapshotInput, callOptions: CreateCallOptions = {}): Promise<Snapshot> {
    validateCreate(body, callOptions.allowReservedName ?? clientAllowsReserved);
    const response = await transport.send({
      method: "POST",
      url: origin + createPath,
      path: createPath,
      body: JSON.stringify({ snapshot: body }),
      signal: callOptions.signal,
      retryable: callOptions.retry ?? transport.retryCreate,
    });
    return snapshotFrom(response, "POST", createPath);
  }

  async function updateSnapshot(snapshotId: string, body: UpdateSnapshotInput, callOptions: UpdateCallOptions = {}): Promise<Snapshot> {
    checkPathParameter("snapshot_id", snapshotId);
    validateUpdate(body, callOptions.allowReservedName ?? clientAllowsReserved);
    const path = updatePathTemplate.replace("{snapshot_id}", encodeURIComponent(snapshotId));
    const response = await transport.send({
      method: "PUT",
      url: origin + path,
      path,
      body: JSON.stringify({ snapshot: body }),
      signal: callOptions.signal,
      retryable: true,
    });
    return snapshotFrom(response, "PUT", path);
  }

  /** One page, already validated. */
  async function fetchPage(query: ListSnapshotsQuery<F> | undefined, signal: AbortSignal | undefined): Promise<SnapshotPage<F>> {
    const search = serializeQuery(query as Record<string, unknown> | undefined);
    const response = await transport.send({
      method: "GET",
      url: search === "" ? origin + listPath : `${origin}${listPath}?${search}`,
      path: listPath,
      signal,
      retryable: true,
    });
    const data = readJson(response, "GET", listPath);
    const snapshots = data["snapshots"];
    if (!Array.isArray(snapshots)) throw unexpected(response, "GET", listPath, "no `snapshots` array");
    const body = data as { count?: unknown; snapshots: SnapshotListItem<F>[]; snapshots_links?: never };
    const page: SnapshotPage<F> = { snapshots: body.snapshots };
    if (typeof body.count === "number") page.count = body.count;
    const next = nextQuery(family, query, body);
    if (next !== undefined) page.next = next;
    return page;
  }

  async function listSnapshots(query?: ListSnapshotsQuery<F>, callOptions: CallOptions = {}): Promise<SnapshotPage<F>> {
    validateListQuery(query, family);
    return fetchPage(query, callOptions.signal);
  }

  function iterateSnapshots(query?: ListSnapshotsQuery<F>, callOptions: CallOptions = {}): AsyncGenerator<SnapshotListItem<F>, void, undefined> {
    validateListQuery(query, family); // throws at the call, before the first next()
    const first = { ...query, limit: query?.limit ?? contract.limit.maximum } as ListSnapshotsQuery<F>;
    return iteratePages(family, first, (q) => fetchPage(q, callOptions.signal));
  }

  async function findSnapshot(id: string, signal: AbortSignal, volumeId: string | undefined): Promise<SnapshotListItem<F> | undefined> {
    const narrow = volumeId === undefined ? {} : { volume_id: volumeId };
    if (family === "cloudsnapshots") {
      const page = await fetchPage({ ...narrow, id: [id] } as ListSnapshotsQuery<F>, signal);
      return page.snapshots.find((snapshot) => snapshot.id === id);
    }
    const first = { ...narrow, limit: contract.limit.maximum } as ListSnapshotsQuery<F>;
    for await (const snapshot of iteratePages(family, first, (q) => fetchPage(q, signal))) {
      if (snapshot.id === id) return snapshot;
    }
    return undefined;
  }

  /** openapi-fetch hands over a Request; read its body once, check its origin, and send it through the transport. */
  async function rawFetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const insideBase = url.pathname === endpoint.basePath || url.pathname.startsWith(`${endpoint.basePath}/`);
    if (url.origin !== origin || !insideBase) {
      // A per-call `baseUrl` could point anywhere; credentials only go to the configured endpoint.
      throw new EvsValidationError("baseUrl", `raw requests must target ${endpoint.baseUrl}; refusing to send credentials to ${url.origin}`);
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!AUTH_HEADER_NAMES.has(name)) headers[name] = value;
    });
    const body = request.body === null ? undefined : await request.text();
    const method = request.method;
    const response = await transport.send({
      method,
      url: url.href,
      path: url.pathname,
      body,
      headers,
      signal: request.signal,
      retryable: IDEMPOTENT_METHODS.has(method) || transport.retryCreate,
    });
    // The body is already decoded text: drop the headers that described the encoded one.
    const responseHeaders = new Headers(response.headers);
    responseHeaders.delete("content-encoding");
    responseHeaders.delete("content-length");
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : response.text, {
      status: response.status,
      statusText: response.statusText,
      headers: responseHeaders,
    });
  }

  const raw = createClient<paths>({ baseUrl: endpoint.baseUrl, fetch: rawFetch });

  return {
    family,
    projectId,
    endpoint: endpoint.baseUrl,
    createSnapshot,
    listSnapshots,
    iterateSnapshots,
    updateSnapshot,
    waitForSnapshot: (snapshotId, waitOptions) => waitForSnapshot(findSnapshot, snapshotId, waitOptions),
    raw,
  };
}
