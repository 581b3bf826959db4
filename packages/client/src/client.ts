/**
 * createEvsClient: a convenience method per operation of the spec. The waiters and the
 * paginator are functions of their own (waiter.ts, iterate.ts), as in AWS SDK v3, so an
 * application bundles only the ones it calls.
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
import { EvsApiError, isSnapshotGone, parseApiError, parseBody } from "./errors.js";
import * as specFacts from "./generated/spec-facts.js";
import {
  checkCallHeaders,
  checkCredential,
  checkPathParameter,
  invalid,
} from "./internal/checks.js";
import { isPlainObject } from "./internal/objects.js";
import type { ClientInternals } from "./internal/registry.js";
import { registerClient } from "./internal/registry.js";
import { isUsableCount, nextQuery, serializeQuery } from "./pagination.js";
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
  RollbackSnapshotInput,
  RollbackSnapshotResult,
  Snapshot,
  SnapshotFamily,
  SnapshotListItem,
  SnapshotOperationName,
  SnapshotPage,
  UpdateSnapshotInput,
} from "./types.js";
import { bodyText, validateListQuery } from "./validation.js";

export interface EvsClientOptions<F extends SnapshotFamily = "cloudsnapshots"> {
  /** `https://evs.<region>.myhuaweicloud.com`; `evsEndpoint({ cloud, region })` makes one. */
  endpoint: EndpointOption;
  /** IAM project ID (goes in every path, and in X-Project-Id when signing). */
  projectId: string;
  /** `{ token }` (X-Auth-Token), or `akSk({ accessKey, secretKey, securityToken? })` from `@evs-toolkit/client/aksk`. */
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
  /** One page of the list; `next` is the query for the following page (every page: iterateSnapshots). */
  listSnapshots(query?: ListSnapshotsQuery<F>, options?: CallOptions): Promise<SnapshotPage<F>>;
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
   * until it is gone (see waitForSnapshotDeleted). Retried like update. A retry can meet
   * the effect of an attempt whose answer was lost: the snapshot already `deleting` (so the
   * service refuses the delete) or already gone (404). After a retry, such an answer is
   * checked with one show, and a snapshot that is `deleting` or gone counts as deleted.
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
}

export function createEvsClient<F extends SnapshotFamily = "cloudsnapshots">(
  options: EvsClientOptions<F>,
): EvsClient<F> {
  if (typeof options !== "object" || options === null) invalid("options", "must be an object");
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

  // The family's routes, from the spec: method and path per operation, by client method name.
  const routes: Partial<Record<SnapshotOperationName, { method: string; path: string }>> =
    specFacts.familyOperations[family];
  const routeOf = (operation: SnapshotOperationName, snapshotId?: string) => {
    const route = routes[operation];
    if (!route) invalid("family", `${family} has no ${operation}`);
    let path = basePath + route.path.replace("{project_id}", encodeURIComponent(projectId));
    if (snapshotId !== undefined) {
      checkPathParameter("snapshot_id", snapshotId);
      path = path.replace("{snapshot_id}", encodeURIComponent(snapshotId));
    }
    return { method: route.method, path };
  };
  const createRoute = routeOf("createSnapshot");
  const listRoute = routeOf("listSnapshots");

  /**
   * Sends one call and reads its answer: the JSON object of a 2xx answer whose `key`
   * holds a `snapshot` or `rollback` object or a `snapshots` array (no key: the body is
   * not read, as delete answers none), or else the EvsApiError (the service's error, or
   * an unexpected 2xx answer). `body` is the JSON text from bodyText().
   */
  async function call(
    { method, path }: { method: string; path: string },
    key: "snapshot" | "snapshots" | "rollback" | undefined,
    {
      search = "",
      body,
      retryable,
      options,
      outcome,
    }: {
      search?: string;
      body?: string;
      retryable: boolean;
      options: CallOptions;
      /** Told whether an earlier attempt was sent (set before the answer is judged). */
      outcome?: { retried: boolean };
    },
  ): Promise<Record<string, unknown>> {
    const response: TransportResponse = await transport.send({
      method,
      path,
      search: search && `?${search}`,
      body,
      headers: checkCallHeaders(options.headers, AUTH_HEADER_NAMES),
      signal: options.signal,
      retryable,
    });
    if (outcome) outcome.retried = response.retried === true;
    const parts = { ...response, method, path };
    if (response.status < 200 || response.status > 299) throw parseApiError(parts, redactor);
    if (key === undefined) return {};
    const data = parseBody(response.text);
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
    const text = bodyText(
      "createSnapshot",
      body,
      callOptions.allowReservedName ?? clientAllowsReserved,
    );
    const retryable = callOptions.retry ?? transport.retryCreate;
    return (await call(createRoute, "snapshot", { body: text, retryable, options: callOptions }))
      .snapshot as Snapshot;
  }

  async function updateSnapshot(
    snapshotId: string,
    body: UpdateSnapshotInput,
    callOptions: UpdateCallOptions = {},
  ): Promise<Snapshot> {
    const route = routeOf("updateSnapshot", snapshotId);
    const text = bodyText(
      "updateSnapshot",
      body,
      callOptions.allowReservedName ?? clientAllowsReserved,
    );
    return (await call(route, "snapshot", { body: text, retryable: true, options: callOptions }))
      .snapshot as Snapshot;
  }

  async function getSnapshot(snapshotId: string, callOptions: CallOptions = {}): Promise<Snapshot> {
    const route = routeOf("getSnapshot", snapshotId);
    return (await call(route, "snapshot", { retryable: true, options: callOptions }))
      .snapshot as Snapshot;
  }

  async function deleteSnapshot(snapshotId: string, callOptions: CallOptions = {}): Promise<void> {
    const route = routeOf("deleteSnapshot", snapshotId);
    const outcome = { retried: false };
    try {
      await call(route, undefined, { retryable: true, options: callOptions, outcome });
    } catch (error) {
      // Only a retried call can meet its own earlier attempt's effect; a first answer stands.
      const maybeOwnEffect =
        outcome.retried && error instanceof EvsApiError && [400, 404, 409].includes(error.status);
      if (!maybeOwnEffect) throw error;
      const now = await getSnapshot(snapshotId, callOptions).then(
        (snapshot) => snapshot.status,
        (showError: unknown) => {
          if (isSnapshotGone(showError)) return "gone";
          throw error; // the show says nothing: the delete's own answer stands
        },
      );
      if (now !== "gone" && now !== "deleting") throw error;
    }
  }

  async function rollbackSnapshot(
    snapshotId: string,
    body: RollbackSnapshotInput,
    callOptions: RollbackCallOptions = {},
  ): Promise<RollbackSnapshotResult> {
    const route = routeOf("rollbackSnapshot", snapshotId); // refuses the compatible family first
    const data = await call(route, "rollback", {
      body: bodyText("rollbackSnapshot", body),
      retryable: callOptions.retry ?? false,
      options: callOptions,
    });
    return data.rollback as RollbackSnapshotResult;
  }

  /** One page, already validated. */
  async function fetchPage(
    query: ListSnapshotsQuery<F> | undefined,
    options: CallOptions,
  ): Promise<SnapshotPage<F>> {
    const search = serializeQuery(query as Record<string, unknown> | undefined);
    const data = (await call(listRoute, "snapshots", {
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
    validateListQuery(query, family); // the headers are checked in call(), before sending
    return fetchPage(query, callOptions);
  }

  const client: EvsClient<F> = {
    family,
    projectId,
    endpoint: endpoint.baseUrl,
    createSnapshot,
    listSnapshots,
    updateSnapshot,
    getSnapshot,
    deleteSnapshot,
    rollbackSnapshot: rollbackSnapshot as EvsClient<F>["rollbackSnapshot"],
  };
  registerClient(client, {
    transport,
    origin,
    basePath,
    baseUrl: endpoint.baseUrl,
    listPage: fetchPage as ClientInternals["listPage"],
  });
  return client;
}
