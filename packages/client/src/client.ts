/**
 * createEvsClient: the convenience methods and the waiter.
 *
 * The methods build their URLs directly (paths from spec-facts.ts, parameters
 * through encodeURIComponent, as openapi-fetch does) and call the transport:
 * skipping openapi-fetch's Request construction keeps the token path close to a
 * bare fetch, and keeps openapi-fetch out of apps that never use `raw`. The typed
 * openapi-fetch client is `rawClient(client)` from `@evs-toolkit/client/raw`, and
 * AK/SK signing is `akSk()` from `@evs-toolkit/client/aksk`: both reach the same
 * transport, so only what an application imports is bundled.
 */

import type { EndpointOption } from "./endpoint.js";
import { resolveEndpoint } from "./endpoint.js";
import { parseApiError } from "./errors.js";
import { specFacts } from "./generated/spec-facts.js";
import {
  checkCallHeaders,
  checkCredential,
  checkPathParameter,
  invalid,
} from "./internal/checks.js";
import { isPlainObject } from "./internal/objects.js";
import { registerClient } from "./internal/registry.js";
import { isUsableCount, iteratePages, nextQuery, serializeQuery } from "./pagination.js";
import type {
  EvsAuth,
  FetchLike,
  RetryOptions,
  Transport,
  TransportResponse,
} from "./transport.js";
import { AUTH_HEADER_NAMES, createTransport } from "./transport.js";
import type {
  CreateSnapshotInput,
  ListSnapshotsQuery,
  Snapshot,
  SnapshotFamily,
  SnapshotListItem,
  SnapshotPage,
  UpdateSnapshotInput,
} from "./types.js";
import { validateCreate, validateListQuery, validateUpdate } from "./validation.js";
import type { WaitForSnapshotOptions } from "./waiter.js";
import { waitForSnapshot } from "./waiter.js";

export interface EvsClientOptions<F extends SnapshotFamily = "cloudsnapshots"> {
  /** `https://evs.<region>.myhuaweicloud.com`, or `{ cloud: "huaweicloud" | "otc", region }`. */
  endpoint: EndpointOption;
  /** IAM project ID (goes in every path, and in X-Project-Id when signing). */
  projectId: string;
  /** `{ token }` (X-Auth-Token), or `akSk({ accessKey, secretKey, securityToken? })` from `@evs-toolkit/client/aksk`. */
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
  /**
   * Largest answer body read, in decoded bytes (default 32 MiB, some 60 full 1,000-item
   * pages). A larger answer stops the read with EvsResponseTooLargeError, not retried.
   */
  maxResponseBytes?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Extra request headers for this call (e.g. `Prefer` for the mock, tracing IDs). The auth
   * headers (X-Auth-Token, Authorization, X-Sdk-Date, X-Project-Id, X-Security-Token) are
   * the client's: setting one here is refused.
   */
  headers?: Record<string, string>;
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
}

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
  // It also goes in the X-Project-Id header when signing.
  checkCredential("projectId", projectId);
  const endpoint = resolveEndpoint(options.endpoint);
  const { origin, basePath } = endpoint;
  // The transport reads auth, projectId, fetch, timeoutMs, retry and maxResponseBytes from the client's options.
  const transport: Transport = createTransport({ ...options, origin });
  const { redactor } = transport;

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
      retryable,
      options,
    }: { search?: string; body?: unknown; retryable: boolean; options: CallOptions },
  ): Promise<Record<string, unknown>> {
    const response: TransportResponse = await transport.send({
      method,
      path,
      search: search && `?${search}`,
      body: body === undefined ? undefined : JSON.stringify({ snapshot: body }),
      headers: checkCallHeaders(options.headers, AUTH_HEADER_NAMES),
      signal: options.signal,
      retryable,
    });
    const parts = { ...response, method, path };
    if (response.status < 200 || response.status > 299) throw parseApiError(parts, redactor);
    let data: unknown;
    try {
      data = JSON.parse(response.text);
    } catch {
      // refused below
    }
    if (!isPlainObject(data))
      throw parseApiError(parts, redactor, "the answer is not a JSON object");
    const value = data[key];
    if (key === "snapshots" ? !Array.isArray(value) : !isPlainObject(value)) {
      throw parseApiError(
        parts,
        redactor,
        `no \`${key}\` ${key === "snapshots" ? "array" : "object"}`,
      );
    }
    // The native count drives paging and is typed as present: an answer without a usable one is refused.
    if (key === "snapshots" && family === "cloudsnapshots" && !isUsableCount(data.count))
      throw parseApiError(parts, redactor, "`count` is not a non-negative integer");
    return data;
  }

  async function createSnapshot(
    body: CreateSnapshotInput,
    callOptions: CreateCallOptions = {},
  ): Promise<Snapshot> {
    validateCreate(body, callOptions.allowReservedName ?? clientAllowsReserved);
    const retryable = callOptions.retry ?? transport.retryCreate;
    return (await call("POST", createPath, "snapshot", { body, retryable, options: callOptions }))
      .snapshot as Snapshot;
  }

  async function updateSnapshot(
    snapshotId: string,
    body: UpdateSnapshotInput,
    callOptions: UpdateCallOptions = {},
  ): Promise<Snapshot> {
    checkPathParameter("snapshot_id", snapshotId);
    validateUpdate(body, callOptions.allowReservedName ?? clientAllowsReserved);
    const path = updatePathTemplate.replace("{snapshot_id}", encodeURIComponent(snapshotId));
    return (await call("PUT", path, "snapshot", { body, retryable: true, options: callOptions }))
      .snapshot as Snapshot;
  }

  /** One page, already validated. */
  async function fetchPage(
    query: ListSnapshotsQuery<F> | undefined,
    options: CallOptions,
  ): Promise<SnapshotPage<F>> {
    const search = serializeQuery(query as Record<string, unknown> | undefined);
    const data = (await call("GET", listPath, "snapshots", {
      search,
      retryable: true,
      options,
    })) as { count?: unknown; snapshots: SnapshotListItem<F>[] };
    const page = { snapshots: data.snapshots } as SnapshotPage<F> & { count?: number };
    if (family === "cloudsnapshots") page.count = data.count as number;
    const next = nextQuery(family, query, data);
    if (next !== undefined) page.next = next;
    return page;
  }

  async function listSnapshots(
    query?: ListSnapshotsQuery<F>,
    callOptions: CallOptions = {},
  ): Promise<SnapshotPage<F>> {
    validateListQuery(query, family);
    checkCallHeaders(callOptions.headers, AUTH_HEADER_NAMES);
    return fetchPage(query, callOptions);
  }

  /** Every snapshot matching `query`, the largest page size unless the query sets one. */
  const walk = (query: ListSnapshotsQuery<F> | undefined, options: CallOptions) =>
    iteratePages(
      {
        ...query,
        limit: query?.limit ?? specFacts.queryParameters.limit.maximum,
      } as ListSnapshotsQuery<F>,
      (q) => fetchPage(q, options),
    );

  function iterateSnapshots(
    query?: ListSnapshotsQuery<F>,
    callOptions: CallOptions = {},
  ): AsyncGenerator<SnapshotListItem<F>, void, undefined> {
    // Both throw at the call, before the first next().
    validateListQuery(query, family);
    checkCallHeaders(callOptions.headers, AUTH_HEADER_NAMES);
    return walk(query, callOptions);
  }

  async function findSnapshot(
    id: string,
    signal: AbortSignal,
    volumeId: string | undefined,
    headers: Record<string, string> | undefined,
  ): Promise<SnapshotListItem<F> | undefined> {
    const narrow = (volumeId === undefined ? {} : { volume_id: volumeId }) as ListSnapshotsQuery<F>;
    const options: CallOptions = headers === undefined ? { signal } : { signal, headers };
    if (family === "cloudsnapshots") {
      const page = await fetchPage({ ...narrow, id: [id] }, options);
      return page.snapshots.find((snapshot) => snapshot.id === id);
    }
    for await (const snapshot of walk(narrow, options)) {
      if (snapshot.id === id) return snapshot;
    }
    return undefined;
  }

  const client: EvsClient<F> = {
    family,
    projectId,
    endpoint: endpoint.baseUrl,
    createSnapshot,
    listSnapshots,
    iterateSnapshots,
    updateSnapshot,
    waitForSnapshot: (snapshotId, waitOptions) => {
      const headers = checkCallHeaders(waitOptions?.headers, AUTH_HEADER_NAMES);
      return waitForSnapshot(
        (id, signal, volumeId) => findSnapshot(id, signal, volumeId, headers),
        snapshotId,
        waitOptions,
      );
    },
  };
  registerClient(client, { transport, origin, basePath, baseUrl: endpoint.baseUrl });
  return client;
}
