/**
 * iterateSnapshots(client, query): every snapshot of a list, page by page. A function of its
 * own, as AWS SDK v3's paginators are, so that an application that never walks a whole list
 * does not bundle the walk and its guards.
 */
import type { CallOptions, EvsClient } from "./client.js";
import { EvsPaginationError } from "./errors.js";
import { AUTH_HEADER_NAMES } from "./internal/auth.js";
import { checkCallHeaders } from "./internal/checks.js";
import { clientInternals } from "./internal/registry.js";
import { isUsableCount, LIMIT, MAX_PAGES } from "./pagination.js";
import type {
  ListSnapshotsQuery,
  SnapshotFamily,
  SnapshotListItem,
  SnapshotPage,
} from "./types.js";
import { validateListQuery } from "./validation.js";

type AnyQuery = Record<string, unknown>;

/** FNV-1a over the UTF-16 code units: linear in the text's length, a 32-bit integer. */
export function idHash(id: string, basis = 0x811c9dc5): number {
  let hash = basis;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash;
}

/** Two 32-bit hashes (two FNV-1a bases): a 64-bit key, as a short string. */
const key64 = (text: string) => `${idHash(text)}:${idHash(text, 0x050c5d1f)}`;

/**
 * A page's ids, to skip on the next page what this one already gave and to tell a page
 * sent before: a Set of their hashes (small integers), the ids as one JSON string (parsed
 * only when a hash matches, to compare exactly), and a 64-bit key of the whole set, the
 * same in any order. Why not a Set of the id strings: built once per page, it raised the
 * sampled memory peak of a 100,000-snapshot walk by about 10 MB, to 1.25× that of raw
 * fetch + json() (measured, median of 7 interleaved runs); the hashes keep it near that of
 * raw fetch. Ids that are not strings identify nothing: they are never skipped.
 */
class PageIds {
  private readonly hashes = new Set<number>();
  private readonly json: string;
  private exact: Set<string | null> | undefined;
  /** The set of ids (order-free: sums of each id's two hashes), with `count` on the native family. */
  readonly key: string;
  constructor(snapshots: readonly { id?: unknown }[] = [], count?: unknown) {
    const ids = snapshots.map(({ id }) => (typeof id === "string" ? id : null));
    let low = 0;
    let high = 0;
    for (const id of ids) {
      if (id === null) continue;
      const hash = idHash(id);
      this.hashes.add(hash);
      low = (low + hash) | 0;
      high = (high + idHash(id, 0x050c5d1f)) | 0;
    }
    this.json = JSON.stringify(ids);
    this.key = `${low}:${high}:${ids.length}:${String(count)}`;
  }
  /** Whether this page had a snapshot with `id`. */
  has({ id }: { id?: unknown }): boolean {
    if (typeof id !== "string" || !this.hashes.has(idHash(id))) return false;
    this.exact ??= new Set(JSON.parse(this.json) as (string | null)[]);
    return this.exact.has(id);
  }
}

/**
 * Every snapshot matching `query` on the client's family, one page in memory at a time, at
 * the largest page size unless the query sets one. The query and headers are checked at
 * the call, before the first `next()`.
 *
 *   for await (const snapshot of iterateSnapshots(evs, { status: "available" })) …
 */
export function iterateSnapshots<F extends SnapshotFamily>(
  client: EvsClient<F>,
  query?: ListSnapshotsQuery<F>,
  options: CallOptions = {},
): AsyncGenerator<SnapshotListItem<F>, void, undefined> {
  const { listPage } = clientInternals(client, "iterateSnapshots");
  validateListQuery(query, client.family);
  checkCallHeaders(options.headers, AUTH_HEADER_NAMES);
  const first = { ...query, limit: query?.limit ?? LIMIT.maximum } as ListSnapshotsQuery<F>;
  return iteratePages(first, (q) => listPage(q as AnyQuery, options) as Promise<SnapshotPage<F>>);
}

/**
 * Walks every page lazily (one page in memory at a time). Stops on an empty page and when
 * there is no next page (offset >= count, or no next link). A snapshot the previous page
 * already gave is skipped: offset paging over a list that changes meanwhile (one created,
 * one deleted) shifts a few snapshots into the next page. Guards by progress, so that no
 * backend can make it page forever, and throws EvsPaginationError when one trips:
 * - a page with the same ids as an earlier page (and, on the native family, the same
 *   `count`: a bulk delete can shift a page's ids back legitimately, but it changes the
 *   count): a repeated page or a cycle of pages, of any length;
 * - a marker handed out before (a cycle of any length; 64-bit keys are remembered, not the
 *   markers, which a server can make large);
 * - more pages than the first page's `count` allows, at the page size the service answers
 *   with (at most the limit asked for), plus 10% and two pages of slack for snapshots
 *   created meanwhile; without a count (compatible family), MAX_PAGES.
 * It throws rather than ending quietly: a quiet end would pass a partial list off as whole.
 */
async function* iteratePages<F extends SnapshotFamily>(
  first: ListSnapshotsQuery<F>,
  listPage: (query: ListSnapshotsQuery<F>) => Promise<SnapshotPage<F>>,
): AsyncGenerator<SnapshotListItem<F>, void, undefined> {
  const { offset: firstOffset = 0, limit = LIMIT.default } = first as AnyQuery;
  const { marker: firstMarker } = first as AnyQuery;
  const seenMarkers = new Set<string>(typeof firstMarker === "string" ? [key64(firstMarker)] : []);
  const seenPages = new Set<string>();
  let previousPage = new PageIds();
  let budget = MAX_PAGES;
  const stop = (reason: EvsPaginationError["reason"], pages: number, why: string) =>
    new EvsPaginationError(`iterateSnapshots stopped after ${pages} page(s): ${why}`, {
      reason,
      pages,
    });
  for (let pages = 0, query: ListSnapshotsQuery<F> | undefined = first; query; ) {
    if (pages >= budget)
      throw stop("page-budget", pages, `more pages than the list's count allows (${budget})`);
    const page: SnapshotPage<F> = await listPage(query);
    pages++;
    const { snapshots } = page;
    const count = (page as { count?: unknown }).count;
    const ids = new PageIds(snapshots, count);
    if (seenPages.has(ids.key))
      throw stop("repeated-page", pages, "the service sent a page it had sent before");
    seenPages.add(ids.key);
    if (pages === 1 && isUsableCount(count)) {
      const remaining = Math.max(0, count - (firstOffset as number));
      const pageSize = Math.max(1, Math.min(limit as number, snapshots.length));
      budget = Math.min(budget, Math.ceil((remaining * 1.1) / pageSize) + 2);
    }
    const previous = previousPage;
    previousPage = ids;
    if (snapshots.some((item) => previous.has(item)))
      yield* snapshots.filter((item) => !previous.has(item));
    else yield* snapshots;
    query = page.next;
    const marker = (query as AnyQuery | undefined)?.marker;
    if (typeof marker === "string") {
      const markerKey = key64(marker);
      if (seenMarkers.has(markerKey))
        throw stop(
          "marker-cycle",
          pages,
          "the service handed out a marker it had handed out before",
        );
      seenMarkers.add(markerKey);
    }
  }
}
