/**
 * Paging. The `snapshots_links` href is built by the backend from its own view
 * of the request: it can name an internal host (port 8776) and, even on the
 * native family, the compatible one. It is therefore never followed: the next
 * page is always rebuilt on the configured endpoint and family, from `offset`
 * + `limit` against `count` (native) or from the `marker` (and `limit`) read
 * out of the href (compatible).
 */
import { createQuerySerializer } from "openapi-fetch";
import { specFacts } from "./generated/spec-facts.js";
import type { ListSnapshotsQuery, SnapshotFamily, SnapshotLink, SnapshotPage } from "./types.js";

type AnyQuery = Record<string, unknown>;

/**
 * `k=v&k=v` with encodeURIComponent; arrays repeat the key. openapi-fetch's own
 * serializer (in the bundle anyway, for `raw`), so both paths send the same query.
 */
export const serializeQuery: (query: AnyQuery | undefined) => string = createQuerySerializer();

const LIMIT = specFacts.queryParameters.limit;

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
  const links = body.snapshots_links;
  const href = (
    links?.find((item) => item.rel === "next") ?? (links?.length === 1 ? links[0] : undefined)
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
  if (marker === undefined || marker === rest.marker) return undefined;
  const linkLimit = Number(params.get("limit"));
  // The marker already says where to start, so the offset is dropped: it would skip a further page's worth.
  const next = {
    ...rest,
    marker,
    limit:
      Number.isInteger(linkLimit) && linkLimit >= LIMIT.minimum && linkLimit <= LIMIT.maximum
        ? linkLimit
        : query?.limit,
  };
  if (next.limit === undefined) delete next.limit;
  return next as ListSnapshotsQuery<F>;
}

/**
 * Walks every page lazily (one page in memory at a time). Stops on an empty
 * page, when there is no next page (offset >= count, or no next link), and on
 * a marker seen before (a backend that loops would otherwise never end).
 * Offsets need no such guard: nextQuery only ever moves them forward.
 */
export async function* iteratePages<F extends SnapshotFamily>(
  first: ListSnapshotsQuery<F>,
  listPage: (query: ListSnapshotsQuery<F>) => Promise<SnapshotPage<F>>,
): AsyncGenerator<SnapshotPage<F>["snapshots"][number], void, undefined> {
  const seenMarkers = new Set<unknown>([(first as AnyQuery).marker]);
  for (let query: ListSnapshotsQuery<F> | undefined = first; query; ) {
    const page: SnapshotPage<F> = await listPage(query);
    yield* page.snapshots;
    query = page.next;
    const marker = (query as AnyQuery | undefined)?.marker;
    if (seenMarkers.has(marker) && marker !== undefined) return;
    seenMarkers.add(marker);
  }
}
