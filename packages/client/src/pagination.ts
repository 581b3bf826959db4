/**
 * Paging. The `snapshots_links` href is built by the backend from its own view
 * of the request: it can name an internal host (port 8776) and, even on the
 * native family, the compatible one. It is therefore never followed: the next
 * page is always rebuilt on the configured endpoint and family, from `offset`
 * + `limit` against `count` (native) or from the `marker` (and `limit`) read
 * out of the href (compatible).
 */
import * as specFacts from "./generated/spec-facts.js";
import type { ListSnapshotsQuery, SnapshotFamily, SnapshotLink } from "./types.js";

type AnyQuery = Record<string, unknown>;

/**
 * `k=v&k=v` with encodeURIComponent; arrays repeat the key; undefined is left out. The
 * same output as openapi-fetch's default serializer (test/client/raw.test.ts compares
 * them on generated queries).
 */
export function serializeQuery(query: AnyQuery | undefined): string {
  let out = "";
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const name = encodeURIComponent(key);
    for (const item of Array.isArray(value) ? value : [value])
      out += `${out ? "&" : ""}${name}=${encodeURIComponent(String(item))}`;
  }
  return out;
}

/**
 * A usable native `count`: a non-negative integer no larger than any project can hold
 * (2^31 - 1). Anything else (a string, 1e308, a fraction) is not an answer to page by.
 */
export function isUsableCount(count: unknown): count is number {
  return Number.isSafeInteger(count) && (count as number) >= 0 && (count as number) <= MAX_COUNT;
}
const MAX_COUNT = 2 ** 31 - 1;
/**
 * No list has more pages than this (at the largest page size: 2^31 snapshots). Computed in
 * a call marked pure, so that a bundler drops it from apps that never call iterateSnapshots
 * (its only reader): a bare property read of specFacts would count as a side effect.
 */
export const MAX_PAGES = /* @__PURE__ */ (() =>
  Math.ceil(MAX_COUNT / specFacts.listQuery.cloudsnapshots.limit.maximum))();

/** The `limit` rule: the same in both families (the spec-facts generation checks it). */
export const LIMIT = specFacts.listQuery.cloudsnapshots.limit;

interface ListBody {
  count?: unknown;
  snapshots: { id?: unknown }[];
  snapshots_links?: SnapshotLink[];
}

/** The query for the page after `body`, or undefined when `body` was the last one. */
export function nextQuery<F extends SnapshotFamily>(
  family: F,
  query: ListSnapshotsQuery<F> | undefined,
  body: ListBody,
): ListSnapshotsQuery<F> | undefined {
  const { offset = 0, limit = LIMIT.default, ...rest } = (query ?? {}) as AnyQuery;
  const received = body.snapshots.length;
  if (received === 0) return undefined;

  if (family === "cloudsnapshots") {
    const nextOffset = (offset as number) + received;
    const done =
      typeof body.count === "number" ? nextOffset >= body.count : received < (limit as number);
    return done ? undefined : ({ ...query, offset: nextOffset } as ListSnapshotsQuery<F>);
  }

  // Compatible family: a next page exists only when the answer links to one (Cinder adds the
  // link iff `limit` was sent and the page is full). Only `marker` and `limit` are read from
  // the link; its host and path are ignored on purpose.
  // The links are the server's: anything but an array of link objects is no next link.
  const links: unknown[] = Array.isArray(body.snapshots_links) ? body.snapshots_links : [];
  const href = (
    (links.find((item) => (item as SnapshotLink | null)?.rel === "next") ??
      (links.length === 1 ? links[0] : undefined)) as SnapshotLink | null | undefined
  )?.href;
  if (typeof href !== "string") return undefined;
  let params: URLSearchParams | undefined;
  try {
    params = new URL(href, "http://next.invalid/").searchParams;
  } catch {
    return undefined; // not a URL at all: no next page
  }
  const lastId = body.snapshots[received - 1]?.id;
  const marker = params.get("marker") || (typeof lastId === "string" ? lastId : undefined);
  // A marker equal to this page's own is left to iterateSnapshots' cycle guard (it throws).
  if (marker === undefined) return undefined;
  const linkLimit = Number(params.get("limit"));
  const nextLimit =
    Number.isInteger(linkLimit) && linkLimit >= LIMIT.minimum && linkLimit <= LIMIT.maximum
      ? linkLimit
      : query?.limit;
  // The marker already says where to start, so the offset is dropped: it would skip a further page's worth.
  return {
    ...rest,
    marker,
    ...(nextLimit !== undefined && { limit: nextLimit }),
  } as ListSnapshotsQuery<F>;
}
