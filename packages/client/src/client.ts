/**
 * createEvsClient: the four convenience methods, the waiter and `raw`.
 *
 * The convenience methods build their URLs directly (paths from spec-facts.ts,
 * parameters through encodeURIComponent, as openapi-fetch does) and call the
 * transport: skipping openapi-fetch's Request construction keeps the token
 * path close to a bare fetch. `raw` is a real openapi-fetch client whose
 * fetch is an adapter onto the same transport, so it gets the same auth,
 * retries, time limits and origin guard.
 */

import type { Client } from "openapi-fetch";
import createClient from "openapi-fetch";
import type { EndpointOption } from "./endpoint.js";
import { resolveEndpoint } from "./endpoint.js";
import { isPlainObject, parseApiError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { specFacts } from "./generated/spec-facts.js";
import { iteratePages, nextQuery, serializeQuery } from "./pagination.js";
import type {
  EvsAuth,
  FetchLike,
  RetryOptions,
  Transport,
  TransportResponse,
} from "./transport.js";
import { createTransport } from "./transport.js";
import type {
  CreateSnapshotInput,
  ListSnapshotsQuery,
  Snapshot,
  SnapshotFamily,
  SnapshotListItem,
  SnapshotPage,
  UpdateSnapshotInput,
} from "./types.js";
import {
  checkPathParameter,
  invalid,
  validateCreate,
  validateListQuery,
  validateUpdate,
} from "./validation.js";
import type { WaitForSnapshotOptions } from "./waiter.js";
import { waitForSnapshot } from "./waiter.js";

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
  iterateSnapshots(
    query?: ListSnapshotsQuery<F>,
    options?: CallOptions,
  ): AsyncGenerator<SnapshotListItem<F>, void, undefined>;
  /** Renames a snapshot and/or changes its description. */
  updateSnapshot(
    snapshotId: string,
    body: UpdateSnapshotInput,
    options?: UpdateCallOptions,
  ): Promise<Snapshot>;
  /** Polls until the snapshot has the status (default `available`); see WaitForSnapshotOptions. */
  waitForSnapshot(
    snapshotId: string,
    options?: WaitForSnapshotOptions,
  ): Promise<SnapshotListItem<F>>;
  /** Typed openapi-fetch client over all six operations, through the same transport. */
  readonly raw: Client<paths>;
}

const IDEMPOTENT_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];
/** Statuses whose Response must not have a body. */
const NULL_BODY_STATUSES = [101, 204, 205, 304];

export function createEvsClient<F extends SnapshotFamily = "cloudsnapshots">(
  options: EvsClientOptions<F>,
): EvsClient<F> {
  if (typeof options !== "object" || options === null)
    invalid("options", "must be an object (the options of createEvsClient)");
  const family = (options.family ?? "cloudsnapshots") as F;
  if (!Object.hasOwn(specFacts.listQuery, family)) {
    invalid(
      "family",
      `must be "${Object.keys(specFacts.listQuery).join('" or "')}", got ${JSON.stringify(family)}`,
    );
  }
  const { projectId, allowReservedName: clientAllowsReserved = false } = options;
  checkPathParameter("projectId", projectId);
  const endpoint = resolveEndpoint(options.endpoint);
  const { origin, basePath } = endpoint;
  // The transport reads auth, projectId, fetch, timeoutMs and retry from the client's options.
  const transport: Transport = createTransport({ ...options, origin });

  const suffix = family === "snapshots" ? "Compatible" : "Native";
  const pathOf = (operation: "createSnapshot" | "listSnapshots" | "updateSnapshot") =>
    basePath +
    specFacts.operations[`${operation}${suffix}`].replace(
      "{project_id}",
      encodeURIComponent(projectId),
    );
  const createPath = pathOf("createSnapshot");
  const listPath = pathOf("listSnapshots");
  const updatePathTemplate = pathOf("updateSnapshot");

  /**
   * Sends one of the four calls and reads its answer: the JSON object of a 2xx
   * answer whose `key` holds a `snapshot` object or a `snapshots` array, or
   * else the EvsApiError (the service's error, or an unexpected 2xx answer).
   */
  async function call(
    method: string,
    path: string,
    key: "snapshot" | "snapshots",
    {
      search = "",
      body,
      signal,
      retryable,
    }: { search?: string; body?: unknown; signal: AbortSignal | undefined; retryable: boolean },
  ): Promise<Record<string, unknown>> {
    const response: TransportResponse = await transport.send({
      method,
      path,
      search: search && `?${search}`,
      body: body === undefined ? undefined : JSON.stringify({ snapshot: body }),
      signal,
      retryable,
    });
    const parts = { ...response, method, path };
    if (response.status < 200 || response.status > 299) throw parseApiError(parts);
    let data: unknown;
    try {
      data = JSON.parse(response.text);
    } catch {
      // refused below
    }
    if (!isPlainObject(data)) throw parseApiError(parts, "the answer is not a JSON object");
    const value = data[key];
    if (key === "snapshots" ? !Array.isArray(value) : !isPlainObject(value)) {
      throw parseApiError(parts, `no \`${key}\` ${key === "snapshots" ? "array" : "object"}`);
    }
    return data;
  }

  async function createSnapshot(
    body: CreateSnapshotInput,
    callOptions: CreateCallOptions = {},
  ): Promise<Snapshot> {
    validateCreate(body, callOptions.allowReservedName ?? clientAllowsReserved);
    const retryable = callOptions.retry ?? transport.retryCreate;
    return (
      await call("POST", createPath, "snapshot", { body, signal: callOptions.signal, retryable })
    ).snapshot as Snapshot;
  }

  async function updateSnapshot(
    snapshotId: string,
    body: UpdateSnapshotInput,
    callOptions: UpdateCallOptions = {},
  ): Promise<Snapshot> {
    checkPathParameter("snapshot_id", snapshotId);
    validateUpdate(body, callOptions.allowReservedName ?? clientAllowsReserved);
    const path = updatePathTemplate.replace("{snapshot_id}", encodeURIComponent(snapshotId));
    return (
      await call("PUT", path, "snapshot", { body, signal: callOptions.signal, retryable: true })
    ).snapshot as Snapshot;
  }

  /** One page, already validated. */
  async function fetchPage(
    query: ListSnapshotsQuery<F> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<SnapshotPage<F>> {
    const search = serializeQuery(query as Record<string, unknown> | undefined);
    const data = (await call("GET", listPath, "snapshots", {
      search,
      signal,
      retryable: true,
    })) as { count?: unknown; snapshots: SnapshotListItem<F>[] };
    const page: SnapshotPage<F> = { snapshots: data.snapshots };
    if (typeof data.count === "number") page.count = data.count;
    const next = nextQuery(family, query, data);
    if (next !== undefined) page.next = next;
    return page;
  }

  async function listSnapshots(
    query?: ListSnapshotsQuery<F>,
    callOptions: CallOptions = {},
  ): Promise<SnapshotPage<F>> {
    validateListQuery(query, family);
    return fetchPage(query, callOptions.signal);
  }

  /** Every snapshot matching `query`, the largest page size unless the query sets one. */
  const walk = (query: ListSnapshotsQuery<F> | undefined, signal: AbortSignal | undefined) =>
    iteratePages(
      {
        ...query,
        limit: query?.limit ?? specFacts.queryParameters.limit.maximum,
      } as ListSnapshotsQuery<F>,
      (q) => fetchPage(q, signal),
    );

  function iterateSnapshots(
    query?: ListSnapshotsQuery<F>,
    callOptions: CallOptions = {},
  ): AsyncGenerator<SnapshotListItem<F>, void, undefined> {
    validateListQuery(query, family); // throws at the call, before the first next()
    return walk(query, callOptions.signal);
  }

  async function findSnapshot(
    id: string,
    signal: AbortSignal,
    volumeId: string | undefined,
  ): Promise<SnapshotListItem<F> | undefined> {
    const narrow = (volumeId === undefined ? {} : { volume_id: volumeId }) as ListSnapshotsQuery<F>;
    if (family === "cloudsnapshots") {
      const page = await fetchPage({ ...narrow, id: [id] }, signal);
      return page.snapshots.find((snapshot) => snapshot.id === id);
    }
    for await (const snapshot of walk(narrow, signal)) {
      if (snapshot.id === id) return snapshot;
    }
    return undefined;
  }

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
        `of raw requests must be ${endpoint.baseUrl}; refusing to send credentials to ${url.origin}`,
      );
    }
    const headers: Record<string, string> = Object.fromEntries(request.headers); // the transport drops auth headers
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
    return new Response(NULL_BODY_STATUSES.includes(response.status) ? null : response.text, {
      status: response.status,
      statusText: response.statusText,
      headers: responseHeaders,
    });
  }

  return {
    family,
    projectId,
    endpoint: endpoint.baseUrl,
    createSnapshot,
    listSnapshots,
    iterateSnapshots,
    updateSnapshot,
    waitForSnapshot: (snapshotId, waitOptions) =>
      waitForSnapshot(findSnapshot, snapshotId, waitOptions),
    raw: createClient<paths>({ baseUrl: endpoint.baseUrl, fetch: rawFetch }),
  };
}
