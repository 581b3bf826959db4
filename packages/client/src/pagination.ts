/**
 * Paging. The `snapshots_links` href is built by the backend from its own view
 * of the request: it can name an internal host (port 8776) and, even on the
 * native family, the compatible one. It is therefore never followed: the next
 * page is always rebuilt on the configured endpoint and family, from `offset`
 * + `limit` against `count` (native) or from the `marker` (and `limit`) read
 * out of the href (compatible).
 */
import { contract } from "./generated/contract.js";
import type { ListSnapshotsQuery, SnapshotFamily, SnapshotLink, SnapshotPage } from "./types.js";

type AnyQuery = Record<string, unknown>;

/** `k=v&k=v` with encodeURIComponent (spaces as %20, as openapi-fetch does); arrays repeat the key. */
export function serializeQuery(query: AnyQuery | undefined): string {
  if (query === undefined) return "";
  let out = "";
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      out += `${out === "" ? "" : "&"}${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`;
    }
  }
  return out;
}

/** `marker` and `limit` from a next link; its host and path are ignored on purpose. */
export function readNextLink(links: readonly SnapshotLink[] | undefined): { marker?: string; limit?: number } | undefined {
  const link = links?.find((item) => item.rel === "next") ?? (links?.length === 1 ? links[0] : undefined);
  if (!link || typeof link.href !== "string") return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(link.href, "http://next.invalid/").searchParams;
  } catch {
    return undefined;
  }
  const out: { marker?: string; limit?: number } = {};
  const marker = params.get("marker");
  if (marker) out.marker = marker;
  const limit = Number(params.get("limit"));
  if (Number.isInteger(limit) && limit >= contract.limit.minimum && limit <= contract.limit.maximum) out.limit = limit;
  return out;
}

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
  const q = (query ?? {}) as AnyQuery;
  const received = body.snapshots.length;
  if (received === 0) return undefined;

  if (family === "cloudsnapshots") {
    const offset = typeof q["offset"] === "number" ? q["offset"] : 0;
    const limit = typeof q["limit"] === "number" ? q["limit"] : contract.limit.default;
    const nextOffset = offset + received;
    const done = typeof body.count === "number" ? nextOffset >= body.count : received < limit;
    return done ? undefined : ({ ...q, offset: nextOffset } as ListSnapshotsQuery<F>);
  }

  // Compatible family: a next page exists only when the answer links to one (Cinder adds the link iff `limit` was sent and the page is full).
  const link = readNextLink(body.snapshots_links);
  if (!link) return undefined;
  const lastId = body.snapshots[received - 1]?.id;
  const marker = link.marker ?? (typeof lastId === "string" ? lastId : undefined);
  if (marker === undefined || marker === q["marker"]) return undefined;
  // The marker already says where to start; an offset would skip a further page's worth.
  const { offset: _offset, ...rest } = q;
  return { ...rest, marker, ...(link.limit !== undefined ? { limit: link.limit } : {}) } as ListSnapshotsQuery<F>;
}

/**
 * Walks every page lazily (one page in memory at a time). Stops on an empty
 * page, when there is no next page (offset >= count, or no next link), and on
 * a marker seen before (a backend that loops would otherwise never end).
 */
export async function* iteratePages<F extends SnapshotFamily>(
  family: F,
  first: ListSnapshotsQuery<F>,
  listPage: (query: ListSnapshotsQuery<F>) => Promise<SnapshotPage<F>>,
): AsyncGenerator<SnapshotPage<F>["snapshots"][number], void, undefined> {
  const seenMarkers = new Set<string>();
  const firstMarker = (first as AnyQuery)["marker"];
  if (typeof firstMarker === "string") seenMarkers.add(firstMarker);
  let lastOffset = -1;
  let query: ListSnapshotsQuery<F> | undefined = first;
  while (query !== undefined) {
    const page: SnapshotPage<F> = await listPage(query);
    yield* page.snapshots;
    const next: ListSnapshotsQuery<F> | undefined = page.next;
    if (next === undefined) return;
    const marker = (next as AnyQuery)["marker"];
    if (typeof marker === "string") {
      if (seenMarkers.has(marker)) return;
      seenMarkers.add(marker);
    }
    const offset = (next as AnyQuery)["offset"];
    if (typeof offset === "number") {
      if (offset <= lastOffset) return; // offsets must move forward
      lastOffset = offset;
    }
    query = next;
  }
}
