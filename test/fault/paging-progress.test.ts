// Issue 9, point 5: pagination always ends. Generated hostile backends (repeated pages
// with odd counts, counts that grow, fresh markers on the same page, marker cycles of any
// length, fresh IDs forever) are walked with iterateSnapshots: each walk ends or throws a
// clear error after a bounded number of requests, never pages forever.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { FetchLike, SnapshotFamily } from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsApiError,
  EvsPaginationError,
  iterateSnapshots,
} from "../../packages/client/src/index.js";
import { idHash } from "../../packages/client/src/iterate.js";
import { json, recordingFetch, snapshot } from "../support/client-kit.js";

const SEED = 5_5;
/** Far more than any guard allows for these pages: reaching it means the walk did not stop. */
const HARD_STOP = 500;

type Backend =
  | { kind: "same page"; count: unknown; size: number }
  | { kind: "growing count"; size: number; growth: number }
  | { kind: "fresh ids, absurd count"; count: unknown; size: number }
  | { kind: "fresh marker, same page"; size: number }
  | { kind: "marker cycle"; length: number; size: number }
  | { kind: "page cycle, fresh markers"; length: number; size: number };

const BACKEND: fc.Arbitrary<Backend> = fc.oneof(
  fc.record({
    kind: fc.constant("same page" as const),
    count: fc.oneof(
      fc.constantFrom("5", 1e308, -1, 2.5, null, "1000", 2 ** 53),
      fc.nat({ max: 10_000 }),
    ),
    size: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    kind: fc.constant("growing count" as const),
    size: fc.integer({ min: 1, max: 20 }),
    growth: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constant("fresh ids, absurd count" as const),
    count: fc.constantFrom(1e308, 2 ** 53, 2 ** 31, Number.MAX_SAFE_INTEGER, "1e9", -5),
    size: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    kind: fc.constant("fresh marker, same page" as const),
    size: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    kind: fc.constant("marker cycle" as const),
    length: fc.integer({ min: 1, max: 12 }),
    size: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    kind: fc.constant("page cycle, fresh markers" as const),
    length: fc.integer({ min: 2, max: 12 }),
    size: fc.integer({ min: 1, max: 20 }),
  }),
);

/** A client of `family` (native by default) on a recording fetch. */
const pagingClient = (fetch: FetchLike, family: SnapshotFamily = "cloudsnapshots") =>
  createEvsClient({
    endpoint: "https://evs.example.com",
    projectId: "p",
    auth: { token: "paging-token" },
    family,
    fetch,
  });

const familyOf = (backend: Backend): SnapshotFamily =>
  backend.kind.includes("marker") ? "snapshots" : "cloudsnapshots";

function page(backend: Backend, index: number, limit: number) {
  const ids = (prefix: string) =>
    Array.from({ length: backend.size }, (_, i) => snapshot(`${prefix}-${i}`));
  const link = (marker: string) => [
    {
      href: `http://10.0.0.1:8776/v2/p/snapshots/detail?limit=${limit}&marker=${marker}`,
      rel: "next",
    },
  ];
  switch (backend.kind) {
    case "same page":
      return { count: backend.count, snapshots: ids("same") };
    case "growing count":
      return {
        count: backend.size * (index + 2) + backend.growth * index,
        snapshots: ids(`g${index}`),
      };
    case "fresh ids, absurd count":
      return { count: backend.count, snapshots: ids(`f${index}`) };
    case "fresh marker, same page":
      return { snapshots: ids("same"), snapshots_links: link(`m-${index}`) };
    case "marker cycle":
      return { snapshots: ids(`c${index}`), snapshots_links: link(`m-${index % backend.length}`) };
    case "page cycle, fresh markers":
      return { snapshots: ids(`p${index % backend.length}`), snapshots_links: link(`m-${index}`) };
  }
}

describe("5. pagination always ends, guarded by progress", () => {
  test("every hostile backend: the walk ends or throws a clear error within a bounded number of pages", async () => {
    await fc.assert(
      fc.asyncProperty(BACKEND, async (backend) => {
        const family = familyOf(backend);
        const limit = backend.size;
        const { fetch, calls } = recordingFetch((_call, index) =>
          index >= HARD_STOP
            ? json({ count: 0, snapshots: [] })
            : json(page(backend, index, limit)),
        );
        const evs = pagingClient(fetch, family);
        let seen = 0;
        let error: unknown;
        try {
          for await (const _ of iterateSnapshots(evs, { limit })) seen++;
        } catch (caught) {
          error = caught;
        }
        expect(calls.length).toBeLessThan(HARD_STOP);
        // A count that is no non-negative integer is refused as an unexpected answer; the
        // other guards throw EvsPaginationError naming why.
        if (error !== undefined) {
          expect(error instanceof EvsPaginationError || error instanceof EvsApiError).toBe(true);
          expect((error as Error).message).toMatch(
            /iterateSnapshots stopped after \d+ page|`count` is not a non-negative integer/,
          );
        }
        if (backend.kind === "growing count") {
          // A count that keeps growing is honoured only up to the first page's budget.
          expect(calls.length).toBeLessThanOrEqual(Math.ceil((backend.size * 2 * 1.1) / limit) + 3);
        }
        if (backend.kind.includes("marker")) expect(error).toBeInstanceOf(EvsPaginationError);
        if (backend.kind === "page cycle, fresh markers")
          expect(calls.length).toBe(backend.length + 1); // stopped at the first page sent again
        expect(seen).toBeLessThanOrEqual(calls.length * limit);
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  test("an honest list is walked to the end, with snapshots created during the walk", async () => {
    // Up to 5% of a page created per page read: what the budget's 10% + 2 pages of slack is for.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        async (total, limit, share) => {
          const createdPerPage = Math.floor(limit * share);
          let count = total;
          const { fetch } = recordingFetch((call) => {
            const offset = Number(new URL(call.url).searchParams.get("offset") ?? 0);
            const items = Array.from(
              { length: Math.max(0, Math.min(limit, count - offset)) },
              (_, i) => snapshot(`s-${offset + i}`),
            );
            const body = { count, snapshots: items };
            count += createdPerPage;
            return json(body);
          });
          const evs = pagingClient(fetch);
          let seen = 0;
          for await (const _ of iterateSnapshots(evs, { limit })) seen++;
          expect(seen).toBeGreaterThanOrEqual(total);
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });

  test("the repeated-page guard compares ids exactly: ids whose hashes collide are not a repeat", async () => {
    // Two ids with the same 32-bit FNV-1a hash (found by a birthday search over `snap-<base36>`).
    const [first, second] = ["snap-2wzx", "snap-d6cd"];
    expect(idHash(first)).toBe(idHash(second));
    const pages = [[first], [second], [second]];
    const { fetch, calls } = recordingFetch((_call, index) =>
      json({ count: 3, snapshots: (pages[index] ?? []).map((id) => snapshot(id)) }),
    );
    const evs = pagingClient(fetch);
    const seen: string[] = [];
    const walk = async () => {
      for await (const item of iterateSnapshots(evs, { limit: 1 })) seen.push(item.id);
    };
    // The second page is new (same hash, other id); the third repeats the second exactly.
    await expect(walk()).rejects.toMatchObject({ reason: "repeated-page", pages: 3 });
    expect(seen).toEqual([first, second]);
    expect(calls).toHaveLength(3);
  });

  test("an honest newest-first list that rotates during the walk, paged below the limit asked for: no error, nothing missed", async () => {
    // Backups rotate while the list is read: new snapshots appear at the front (shifting the
    // rest into the next page) and the oldest are deleted; the service may also answer with
    // fewer per page than asked (Cinder's osapi_max_limit).
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1500 }),
        fc.integer({ min: 2, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        async (total, limit, serviceCap, churn) => {
          const pageSize = Math.min(limit, serviceCap);
          let list = Array.from({ length: total }, (_, i) => `old-${i}`); // newest first
          let created = 0;
          const { fetch } = recordingFetch((call) => {
            const offset = Number(new URL(call.url).searchParams.get("offset") ?? 0);
            const body = {
              count: list.length,
              snapshots: list.slice(offset, offset + pageSize).map((id) => snapshot(id)),
            };
            const rotated = Math.floor(pageSize * churn);
            const fresh = Array.from({ length: rotated }, () => `new-${created++}`);
            list = [...fresh.reverse(), ...list].slice(0, Math.max(list.length, rotated));
            return json(body);
          });
          const evs = pagingClient(fetch);
          const seen: string[] = [];
          for await (const item of iterateSnapshots(evs, { limit })) seen.push(item.id);
          // Offset paging over a changing list can give a snapshot twice (the walk does not
          // hide the service's paging), at most once per snapshot created meanwhile.
          expect(seen.length - new Set(seen).size).toBeLessThanOrEqual(created);
          // Whatever was there from start to end was listed.
          for (const id of list.filter((id) => id.startsWith("old-"))) expect(seen).toContain(id);
        },
      ),
      { numRuns: 80, seed: SEED },
    );
  });

  test("an honest list is walked to the end whatever its ids look like and however the service pages it", async () => {
    // Structured ids (sums of plain FNV hashes cancelled out for {x0, x3} and {x1, x2}), and
    // a service whose pages shrink after the first (a response-size cap).
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("x", "backup-2026-12-01-", "s"),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        async (prefix, total, firstPage, laterPages) => {
          const ids = Array.from({ length: total }, (_, i) => `${prefix}${i}`);
          const { fetch } = recordingFetch((call) => {
            const offset = Number(new URL(call.url).searchParams.get("offset") ?? 0);
            const size = offset === 0 ? firstPage : laterPages;
            return json({
              count: total,
              snapshots: ids.slice(offset, offset + size).map((id) => snapshot(id)),
            });
          });
          const seen: string[] = [];
          for await (const item of iterateSnapshots(pagingClient(fetch), { limit: firstPage }))
            seen.push(item.id);
          expect(seen).toEqual(ids);
        },
      ),
      { numRuns: 80, seed: SEED },
    );
  });
});
