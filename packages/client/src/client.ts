/**
 * createEvsClient: a convenience method per operation of the spec, the waiters and `raw`.
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
import type { EvsErrorKind } from "./errors.js";
import { EvsApiError, isPlainObject, parseApiError } from "./errors.js";
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
  RollbackSnapshotInput,
  RollbackSnapshotResult,
  Snapshot,
  SnapshotFamily,
  SnapshotListItem,
  SnapshotOperationName,
  SnapshotPage,
  UpdateSnapshotInput,
} from "./types.js";
import {
  checkPathParameter,
  invalid,
  validateCreate,
  validateListQuery,
  validateRollback,
  validateUpdate,
} from "./validation.js";
import type { WaitForSnapshotDeletedOptions, WaitForSnapshotOptions } from "./waiter.js";
import { waitForSnapshot, waitForSnapshotDeleted } from "./waiter.js";

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
  /** Retries of idempotent calls (show, list, update, delete). */
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

export interface RollbackCallOptions extends CallOptions {
  /** Retry this rollback on network errors and retryable statuses (default false: it is not idempotent). */
  retry?: boolean;
}

/** The body rollbackSnapshot takes on family F: none on the compatible family, which has no rollback. */
export type RollbackInputOn<F extends SnapshotFamily> = {
  [K in SnapshotFamily]: "rollbackSnapshot" extends SnapshotOperationName<K>
    ? RollbackSnapshotInput
    : never;
}[F];

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
  /** The snapshot as it is now (one request); a missing snapshot is an EvsApiError with status 404. */
  getSnapshot(snapshotId: string, options?: CallOptions): Promise<Snapshot>;
  /**
   * Starts deleting a snapshot (allowed while `available` or `error`); it shows `deleting`
   * until it is gone (see waitForSnapshotDeleted). Retried like update: deleting twice
   * deletes once, though a retry after a lost answer may meet a 404.
   */
  deleteSnapshot(snapshotId: string, options?: CallOptions): Promise<void>;
  /**
   * Rolls the snapshot's source disk (`volume_id`) back to it; the snapshot shows
   * `rollbacking`, then `available` again. Native family only: on the compatible family it
   * is refused before sending. Not retried unless opted in.
   */
  rollbackSnapshot(
    snapshotId: string,
    body: RollbackInputOn<F>,
    options?: RollbackCallOptions,
  ): Promise<RollbackSnapshotResult>;
  /** Polls with show until the snapshot has the status (default `available`); see WaitForSnapshotOptions. */
  waitForSnapshot(snapshotId: string, options?: WaitForSnapshotOptions): Promise<Snapshot>;
  /** Polls with show until the snapshot is gone (404); fails fast on `error_deleting` or `error`. */
  waitForSnapshotDeleted(
    snapshotId: string,
    options?: WaitForSnapshotDeletedOptions,
  ): Promise<void>;
  /** Typed openapi-fetch client over every operation of the spec, through the same transport. */
  readonly raw: Client<paths>;
}

/** Error envelopes of a 404 that EVS itself sent: the snapshot does not exist. */
const GONE_KINDS: readonly EvsErrorKind[] = ["error", "itemNotFound"];
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

  // The family's routes, from the spec: method and path per operation, by client method name.
  const routes: Partial<Record<SnapshotOperationName, { method: string; path: string }>> =
    specFacts.familyOperations[family];
  const routeOf = (operation: SnapshotOperationName, snapshotId?: string) => {
    const route = routes[operation];
    if (!route) {
      const families = Object.entries(specFacts.familyOperations)
        .filter(([, operations]) => Object.hasOwn(operations, operation))
        .map(([name]) => name);
      invalid(
        "family",
        `${family} has no ${operation}; it exists in the ${families.join(", ")} family only`,
      );
    }
    let path = basePath + route.path.replace("{project_id}", encodeURIComponent(projectId));
    if (snapshotId !== undefined)
      path = path.replace("{snapshot_id}", encodeURIComponent(snapshotId));
    return { method: route.method, path };
  };
  const createRoute = routeOf("createSnapshot");
  const listRoute = routeOf("listSnapshots");

  /**
   * Sends one call and reads its answer: the JSON object of a 2xx answer whose `key`
   * holds a `snapshot` or `rollback` object or a `snapshots` array (no key: the body is
   * not read, as delete answers none), or else the EvsApiError (the service's error, or
   * an unexpected 2xx answer). A request body is sent as `{ [bodyKey]: body }`.
   */
  async function call(
    { method, path }: { method: string; path: string },
    key: "snapshot" | "snapshots" | "rollback" | undefined,
    {
      search = "",
      body,
      bodyKey = "snapshot",
      signal,
      retryable,
    }: {
      search?: string;
      body?: unknown;
      bodyKey?: "snapshot" | "rollback";
      signal: AbortSignal | undefined;
      retryable: boolean;
    },
  ): Promise<Record<string, unknown>> {
    const response: TransportResponse = await transport.send({
      method,
      path,
      search: search && `?${search}`,
      body: body === undefined ? undefined : JSON.stringify({ [bodyKey]: body }),
      signal,
      retryable,
    });
    const parts = { ...response, method, path };
    if (response.status < 200 || response.status > 299) throw parseApiError(parts);
    if (key === undefined) return {};
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
    return (await call(createRoute, "snapshot", { body, signal: callOptions.signal, retryable }))
      .snapshot as Snapshot;
  }

  async function updateSnapshot(
    snapshotId: string,
    body: UpdateSnapshotInput,
    callOptions: UpdateCallOptions = {},
  ): Promise<Snapshot> {
    checkPathParameter("snapshot_id", snapshotId);
    validateUpdate(body, callOptions.allowReservedName ?? clientAllowsReserved);
    const route = routeOf("updateSnapshot", snapshotId);
    return (await call(route, "snapshot", { body, signal: callOptions.signal, retryable: true }))
      .snapshot as Snapshot;
  }

  async function getSnapshot(snapshotId: string, callOptions: CallOptions = {}): Promise<Snapshot> {
    checkPathParameter("snapshot_id", snapshotId);
    const route = routeOf("getSnapshot", snapshotId);
    return (await call(route, "snapshot", { signal: callOptions.signal, retryable: true }))
      .snapshot as Snapshot;
  }

  async function deleteSnapshot(snapshotId: string, callOptions: CallOptions = {}): Promise<void> {
    checkPathParameter("snapshot_id", snapshotId);
    const route = routeOf("deleteSnapshot", snapshotId);
    await call(route, undefined, { signal: callOptions.signal, retryable: true });
  }

  async function rollbackSnapshot(
    snapshotId: string,
    body: RollbackSnapshotInput,
    callOptions: RollbackCallOptions = {},
  ): Promise<RollbackSnapshotResult> {
    checkPathParameter("snapshot_id", snapshotId);
    const route = routeOf("rollbackSnapshot", snapshotId); // refuses the compatible family first
    validateRollback(body);
    const retryable = callOptions.retry ?? false;
    const data = await call(route, "rollback", {
      body,
      bodyKey: "rollback",
      signal: callOptions.signal,
      retryable,
    });
    return data.rollback as RollbackSnapshotResult;
  }

  /**
   * Show for the waiters: undefined when EVS itself answers 404 (the native `EVS.…` error
   * or the `itemNotFound` fault). A 404 in any other shape (the API gateway's, a proxy's
   * HTML page for a wrong endpoint) says nothing about the snapshot and is thrown, so a
   * misconfigured endpoint can never pass for a finished deletion.
   */
  async function showOrMissing(id: string, signal: AbortSignal): Promise<Snapshot | undefined> {
    try {
      return await getSnapshot(id, { signal });
    } catch (error) {
      if (error instanceof EvsApiError && error.status === 404 && GONE_KINDS.includes(error.kind))
        return undefined;
      throw error;
    }
  }

  /** One page, already validated. */
  async function fetchPage(
    query: ListSnapshotsQuery<F> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<SnapshotPage<F>> {
    const search = serializeQuery(query as Record<string, unknown> | undefined);
    const data = (await call(listRoute, "snapshots", {
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
    getSnapshot,
    deleteSnapshot,
    rollbackSnapshot: rollbackSnapshot as EvsClient<F>["rollbackSnapshot"],
    waitForSnapshot: (snapshotId, waitOptions) =>
      waitForSnapshot(showOrMissing, snapshotId, waitOptions),
    waitForSnapshotDeleted: (snapshotId, waitOptions) =>
      waitForSnapshotDeleted(showOrMissing, snapshotId, waitOptions),
    raw: createClient<paths>({ baseUrl: endpoint.baseUrl, fetch: rawFetch }),
  };
}
