/**
 * One handler per operation of the spec, chosen by the operation's name without its family
 * suffix (`listSnapshotsNative` → `listSnapshots`). Both families share the handler and the
 * store; what differs between them (list filters, paging, `count`, error envelopes) is read
 * from the operation the request was routed to.
 */
import {
  byteLimitBreach,
  type Json,
  type JsonObject,
  type Spec,
  type SpecOperation,
} from "../spec.js";
import type { Envelopes, ErrorAnswer } from "./envelopes.js";
import { GONE, type Store, StoredSnapshot } from "./store.js";
import { formatTimestamp } from "./time.js";

export interface Call {
  operation: SpecOperation;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, when the operation has one. */
  body: unknown;
  requestId: string;
}

export interface Answer {
  status: number;
  /** undefined: an empty body (delete answers 202 without one). */
  body?: Json | undefined;
  headers?: Record<string, string>;
}

export type Handler = (call: Call) => Answer;

export interface HandlerContext {
  spec: Spec;
  store: Store;
  envelopes: Envelopes;
}

type Filter = (snapshot: StoredSnapshot, value: string) => boolean;

/** How each documented list filter matches; a filter the spec adds must be taught here (a test checks). */
export const LIST_FILTERS: Record<string, Filter> = {
  name: (s, v) => s.name === v,
  status: (s, v) => s.status === v,
  volume_id: (s, v) => s.volumeId === v,
  availability_zone: (s, v) => s.availabilityZone === v,
  dedicated_storage_name: (s, v) => s.dedicatedStorageName === v,
  dedicated_storage_id: (s, v) => s.dedicatedStorageId === v,
  service_type: (s, v) => s.serviceType === v,
  // `all_granted_eps` means every enterprise project the caller may see: all of them here.
  enterprise_project_id: (s, v) => v === "all_granted_eps" || s.enterpriseProjectId === v,
};
/** Matched against a set of values (`id=a&id=b`). */
export const MULTI_VALUE_FILTERS = new Set(["id"]);
export const PAGING_PARAMETERS = new Set(["offset", "limit", "marker"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function snapshotJson(snapshot: StoredSnapshot, withStorage: boolean): JsonObject {
  const json: JsonObject = {
    id: snapshot.id,
    status: snapshot.status,
    name: snapshot.name,
    description: snapshot.description,
    created_at: formatTimestamp(snapshot.createdAt),
    updated_at: snapshot.updatedAt === null ? null : formatTimestamp(snapshot.updatedAt),
    metadata: snapshot.metadata as JsonObject,
    volume_id: snapshot.volumeId,
    size: snapshot.size,
    "os-extended-snapshot-attributes:project_id": snapshot.projectId,
    "os-extended-snapshot-attributes:progress": snapshot.status === "creating" ? "0%" : "100%",
  };
  if (withStorage) {
    json.service_type = snapshot.serviceType;
    if (snapshot.dedicatedStorageId !== null)
      json.dedicated_storage_id = snapshot.dedicatedStorageId;
    if (snapshot.dedicatedStorageName !== null)
      json.dedicated_storage_name = snapshot.dedicatedStorageName;
  }
  return json;
}

/** `https://172.28.9.185:8776/v2/{project_id}/snapshots/detail`, from the list's own example. */
function nextLinkTemplate(spec: Spec, operation: SpecOperation): string {
  for (const name of spec.exampleNames(operation, operation.successStatus)) {
    const example = spec.example(operation, operation.successStatus, name);
    const links = isObject(example) ? example.snapshots_links : undefined;
    const href = Array.isArray(links) && isObject(links[0]) ? links[0].href : undefined;
    if (typeof href !== "string") continue;
    const url = new URL(href);
    const segments = url.pathname.split("/");
    segments[2] = "{project_id}"; // /v2/<project>/…
    return `${url.origin}${segments.join("/")}`;
  }
  throw new Error(
    `${operation.operationId}: no example shows snapshots_links to model the next link on`,
  );
}

export function createHandlers({
  spec,
  store,
  envelopes,
}: HandlerContext): Record<string, Handler> {
  const nameSchema = spec.schema("SnapshotName");
  const reservedPrefix =
    typeof nameSchema?.["x-reserved-prefix"] === "string"
      ? nameSchema["x-reserved-prefix"]
      : undefined;

  const notFound = (call: Call, id: string) =>
    envelopes.notFound(call.operation, `Snapshot ${id} could not be found.`, call.requestId);
  const bad = (call: Call, message: string) =>
    envelopes.badRequest(message, call.requestId, call.operation);

  const find = (call: Call): StoredSnapshot | ErrorAnswer => {
    const id = call.params.snapshot_id ?? "";
    return store.get(call.params.project_id ?? "", id) ?? notFound(call, id);
  };
  /** The body's single top-level object (`snapshot`, `rollback`), or a 400. */
  const member = (call: Call, key: string): Record<string, unknown> | ErrorAnswer => {
    const value = isObject(call.body) ? call.body[key] : undefined;
    if (!isObject(value))
      return bad(call, `Invalid input received: the body must be {"${key}": {...}}.`);
    const breach = byteLimitBreach(spec, call.operation.requestBodySchema, call.body);
    if (breach) return bad(call, `Invalid input received: ${breach}.`);
    return value;
  };
  const isError = (value: unknown): value is ErrorAnswer =>
    isObject(value) &&
    typeof value.status === "number" &&
    "body" in value &&
    !(value instanceof StoredSnapshot);
  const reserved = (call: Call, snapshot: StoredSnapshot): ErrorAnswer | undefined =>
    reservedPrefix && snapshot.name?.startsWith(reservedPrefix)
      ? bad(
          call,
          `Invalid snapshot: snapshots named ${reservedPrefix}… are made by disk backups and cannot be operated on.`,
        )
      : undefined;
  const text = (value: unknown) =>
    typeof value === "string" || value === null ? value : undefined;

  const create: Handler = (call) => {
    const input = member(call, "snapshot");
    if (isError(input)) return input;
    if (typeof input.volume_id !== "string" || input.volume_id.trim() === "")
      return bad(call, "Invalid input received: snapshot.volume_id is required.");
    const projectId = call.params.project_id ?? "";
    const metadata = isObject(input.metadata)
      ? (input.metadata as Record<string, string>)
      : undefined;
    const added = store.add(
      projectId,
      {
        volumeId: input.volume_id,
        name: text(input.name),
        description: text(input.description),
        metadata: metadata ? { ...metadata } : undefined,
      },
      true,
    );
    if (added === "quota" || added === "full") {
      const limit = added === "quota" ? store.options.quota : store.options.maxStored;
      const answer = envelopes.fault(413, "", call.requestId, call.operation);
      const body = answer.body as Record<string, { message: string }>;
      const detail = Object.values(body)[0]!;
      const template = spec.example(call.operation, 413, "fault") as
        | Record<string, { message: string }>
        | undefined;
      const exampleMessage = template ? Object.values(template)[0]?.message : undefined;
      detail.message = (
        exampleMessage ?? "Maximum number of snapshots allowed (0) exceeded."
      ).replace(/\(\d+\)/, `(${limit})`);
      return answer;
    }
    store.transition(added, "creating", "available");
    added.updatedAt = null;
    return { status: call.operation.successStatus, body: { snapshot: snapshotJson(added, false) } };
  };

  const update: Handler = (call) => {
    const snapshot = find(call);
    if (isError(snapshot)) return snapshot;
    const input = member(call, "snapshot");
    if (isError(input)) return input;
    if (!("name" in input) && !("description" in input))
      return bad(call, "Invalid input received: give snapshot.name, snapshot.description or both.");
    const refused = reserved(call, snapshot);
    if (refused) return refused;
    if ("name" in input) snapshot.name = text(input.name) ?? snapshot.name;
    if ("description" in input) snapshot.description = text(input.description) ?? null;
    store.touch(snapshot);
    return {
      status: call.operation.successStatus,
      body: { snapshot: snapshotJson(snapshot, false) },
    };
  };

  const show: Handler = (call) => {
    const snapshot = find(call);
    if (isError(snapshot)) return snapshot;
    return {
      status: call.operation.successStatus,
      body: { snapshot: snapshotJson(snapshot, false) },
    };
  };

  const listTemplates = new Map<string, string>();
  /** What a list operation's spec says, worked out once per operation (not per request). */
  interface ListFacts {
    withCount: boolean;
    declared: Set<string>;
    limits: Map<string, { min: number; max: number }>;
    limitDefault: number;
  }
  const listFacts = new Map<string, ListFacts>();
  const factsOf = (operation: SpecOperation): ListFacts => {
    let facts = listFacts.get(operation.operationId);
    if (facts) return facts;
    // `count` only where the list's schema has it (the native family).
    const listSchema = spec.responseSchema(operation, operation.successStatus);
    const limits = new Map<string, { min: number; max: number }>();
    for (const name of ["limit", "offset"]) {
      const schema = spec.parameter(operation, name) ?? {};
      limits.set(name, {
        min: typeof schema.minimum === "number" ? schema.minimum : Number.NEGATIVE_INFINITY,
        max: typeof schema.maximum === "number" ? schema.maximum : Number.POSITIVE_INFINITY,
      });
    }
    const limitDefault = spec.parameter(operation, "limit")?.default;
    facts = {
      withCount: Array.isArray(listSchema?.required) && listSchema.required.includes("count"),
      declared: new Set(
        operation.parameters.filter((p) => p.in === "query").map((p) => String(p.name)),
      ),
      limits,
      limitDefault: typeof limitDefault === "number" ? limitDefault : 1000,
    };
    listFacts.set(operation.operationId, facts);
    return facts;
  };

  const list: Handler = (call) => {
    const { operation, query } = call;
    const native = operation.family === "native";
    const { withCount, declared, limits, limitDefault } = factsOf(operation);
    const integer = (name: string, fallback: number): number | ErrorAnswer => {
      const raw = query.get(name);
      if (raw === null) return fallback;
      const { min, max } = limits.get(name)!;
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw) || value < min || value > max)
        return bad(
          call,
          `Invalid input received: ${name} must be an integer from ${min} to ${max}, got ${raw}.`,
        );
      return value;
    };
    const limit = integer("limit", limitDefault);
    if (isError(limit)) return limit;
    const offset = integer("offset", 0);
    if (isError(offset)) return offset;

    const tests: Filter[] = [];
    const values: string[] = [];
    for (const name in LIST_FILTERS) {
      const value = declared.has(name) ? query.get(name) : null;
      if (value !== null) {
        tests.push(LIST_FILTERS[name]!);
        values.push(value);
      }
    }
    const filters = tests.length;
    const ids = declared.has("id") && query.has("id") ? new Set(query.getAll("id")) : undefined;
    // A plain loop: it runs once per stored snapshot on a filtered list of 100,000.
    const matches = (s: StoredSnapshot) => {
      if (ids && !ids.has(s.id)) return false;
      for (let i = 0; i < filters; i++) if (!tests[i]!(s, values[i]!)) return false;
      return true;
    };

    const projectId = call.params.project_id ?? "";
    const items = store.all(projectId);
    const marker = declared.has("marker") ? query.get("marker") : null;
    let below = Number.POSITIVE_INFINITY; // only items older than the marker
    if (marker !== null) {
      const at = store.get(projectId, marker);
      if (!at) return bad(call, `Invalid input received: marker ${marker} could not be found.`);
      below = at.seq;
    }

    const page: StoredSnapshot[] = [];
    let count = 0;
    if (filters === 0 && !ids && below === Number.POSITIVE_INFINITY) {
      // The common case, with 100,000 stored: no scan, only the page is touched.
      count = items.length;
      for (let i = items.length - 1 - offset; i >= 0 && page.length < limit; i--)
        page.push(items[i]!);
    } else {
      let skipped = 0;
      for (let i = items.length - 1; i >= 0; i--) {
        const s = items[i]!;
        if (!matches(s)) continue;
        count++;
        if (s.seq >= below) continue;
        if (skipped < offset) skipped++;
        else if (page.length < limit) page.push(s);
        else if (!withCount) break;
      }
    }

    const body: JsonObject = {};
    if (withCount) body.count = count;
    body.snapshots = page.map((s) => snapshotJson(s, native));
    // The backend links a next page whenever a page given a limit is full (it does not look
    // ahead), with its own internal address and the compatible family's path, keeping every
    // parameter it was sent (offset too) and setting marker to the last item.
    if (query.has("limit") && page.length === limit && page.length > 0) {
      let template = listTemplates.get(operation.operationId);
      if (!template)
        listTemplates.set(operation.operationId, (template = nextLinkTemplate(spec, operation)));
      const params = new URLSearchParams();
      for (const [key, value] of query) if (key !== "marker") params.append(key, value);
      params.append("marker", page[page.length - 1]!.id);
      body.snapshots_links = [
        {
          href: `${template.replace("{project_id}", encodeURIComponent(projectId))}?${params}`,
          rel: "next",
        },
      ];
    }
    return { status: operation.successStatus, body };
  };

  /** The state's status in the spec's own refusal wording ("…, but current status is: creating."). */
  const currentStatus = (status: string) => (template: string) =>
    template.replace(/current status is: .*$/, `current status is: ${status}.`);

  const remove: Handler = (call) => {
    const snapshot = find(call);
    if (isError(snapshot)) return snapshot;
    const refused = reserved(call, snapshot);
    if (refused) return refused;
    if (snapshot.status !== "available" && snapshot.status !== "error")
      return envelopes.named("snapshotStatus", currentStatus(snapshot.status), call.operation);
    store.transition(snapshot, "deleting", GONE);
    return { status: call.operation.successStatus };
  };

  const rollback: Handler = (call) => {
    const snapshot = find(call);
    if (isError(snapshot)) return snapshot;
    const input = member(call, "rollback");
    if (isError(input)) return input;
    const refused = reserved(call, snapshot);
    if (refused) return refused;
    if (typeof input.volume_id !== "string" || input.volume_id === "")
      return bad(call, "Invalid input received: rollback.volume_id is required.");
    if (input.volume_id !== snapshot.volumeId)
      return envelopes.named("rollbackOtherDisk", (message) => message, call.operation);
    if (snapshot.status !== "available")
      return envelopes.named(
        "snapshotStatus",
        (template) =>
          currentStatus(snapshot.status)(template.replace("available or error", "available")),
        call.operation,
      );
    const disk = store.diskStatus(snapshot.projectId, snapshot.volumeId);
    if (disk !== "available" && disk !== "error_rollbacking")
      return envelopes.named("rollbackVolumeStatus", currentStatus(disk), call.operation);
    store.transition(snapshot, "rollbacking", "available");
    return {
      status: call.operation.successStatus,
      body: { rollback: { volume_id: snapshot.volumeId } },
    };
  };

  return {
    createSnapshot: create,
    listSnapshots: list,
    updateSnapshot: update,
    getSnapshot: show,
    deleteSnapshot: remove,
    rollbackSnapshot: rollback,
  };
}
