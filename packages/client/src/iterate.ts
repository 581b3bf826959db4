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
 * there is no next page (offset >= count, or no next link). Guards by progress, so that no
 * backend can make it page forever, and throws EvsPaginationError when one trips:
 * - a page made only of the previous page's snapshots (a repeated page, whatever its
 *   `count` or marker says);
 * - a marker handed out before (a cycle of any length: every marker is remembered, one
 *   string per page);
 * - more pages than the first page's `count` allows at this page size, plus 10% and two
 *   pages of slack for snapshots created meanwhile; without a count (compatible family),
 *   MAX_PAGES.
 * It throws rather than ending quietly: a quiet end would pass a partial list off as whole.
 */
async function* iteratePages<F extends SnapshotFamily>(
  first: ListSnapshotsQuery<F>,
  listPage: (query: ListSnapshotsQuery<F>) => Promise<SnapshotPage<F>>,
): AsyncGenerator<SnapshotListItem<F>, void, undefined> {
  const { offset: firstOffset = 0, limit = LIMIT.default } = first as AnyQuery;
  const seenMarkers = new Set<unknown>([(first as AnyQuery).marker]);
  let previousIds = new Set<unknown>();
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
    if (snapshots.length > 0 && snapshots.every((item) => previousIds.has(item.id)))
      throw stop("repeated-page", pages, "the service sent the previous page again");
    previousIds = new Set(snapshots.map((item) => item.id));
    const count = (page as { count?: unknown }).count;
    if (pages === 1 && isUsableCount(count)) {
      const remaining = Math.max(0, count - (firstOffset as number));
      budget = Math.min(budget, Math.ceil((remaining * 1.1) / (limit as number)) + 2);
    }
    yield* snapshots;
    query = page.next;
    const marker = (query as AnyQuery | undefined)?.marker;
    if (marker !== undefined) {
      if (seenMarkers.has(marker))
        throw stop(
          "marker-cycle",
          pages,
          "the service handed out a marker it had handed out before",
        );
      seenMarkers.add(marker);
    }
  }
}
