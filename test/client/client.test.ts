import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signRequest } from "../../packages/client/src/aksk.js";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import type { SnapshotFamily } from "../../packages/client/src/index.js";
import { createEvsClient, EvsApiError, iterateSnapshots } from "../../packages/client/src/index.js";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from "../../packages/client/src/transport.js";
import {
  DEFAULT_WAIT_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
} from "../../packages/client/src/waiter.js";
import type { Handler } from "../support/client-kit.js";
import { json, recordingFetch, SNAPSHOT, snapshot } from "../support/client-kit.js";

const ENDPOINT = "https://evs.eu-de.otc.t-systems.com";

function setup<F extends SnapshotFamily = "cloudsnapshots">(handler: Handler, family?: F) {
  const recorder = recordingFetch(handler);
  const evs = createEvsClient<F>({
    endpoint: ENDPOINT,
    projectId: "p",
    auth: { token: "t0ken" },
    fetch: recorder.fetch,
    retry: { attempts: 0 },
    ...(family ? { family } : {}),
  });
  return { evs, calls: recorder.calls };
}

const query = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe("create, list and update", () => {
  it("createSnapshot posts {snapshot} and returns the snapshot", async () => {
    const { evs, calls } = setup(() => json({ snapshot: SNAPSHOT }, 202));
    const created = await evs.createSnapshot({
      volume_id: "v",
      name: "n",
      force: true,
      metadata: { k: "v" },
    });
    expect(created).toEqual(SNAPSHOT);
    expect(calls[0]).toMatchObject({ method: "POST", url: `${ENDPOINT}/v2/p/cloudsnapshots` });
    expect(JSON.parse(calls[0]!.body!)).toEqual({
      snapshot: { volume_id: "v", name: "n", force: true, metadata: { k: "v" } },
    });
    expect(calls[0]!.headers["content-type"]).toBe("application/json");
  });

  it("updateSnapshot puts {snapshot} and returns the snapshot", async () => {
    const { evs, calls } = setup(() => json({ snapshot: { ...SNAPSHOT, name: "new" } }));
    const updated = await evs.updateSnapshot(SNAPSHOT.id, { name: "new", description: null });
    expect(updated.name).toBe("new");
    expect(calls[0]).toMatchObject({
      method: "PUT",
      url: `${ENDPOINT}/v2/p/cloudsnapshots/${SNAPSHOT.id}`,
    });
    expect(JSON.parse(calls[0]!.body!)).toEqual({ snapshot: { name: "new", description: null } });
  });

  it("a 2xx answer without `snapshot` is an EvsApiError", async () => {
    const { evs } = setup(() => json({ nope: 1 }, 202));
    await expect(evs.createSnapshot({ volume_id: "v" })).rejects.toBeInstanceOf(EvsApiError);
  });

  it("listSnapshots (native): count, snapshots and the next offset", async () => {
    const { evs } = setup(() => json({ count: 5, snapshots: [snapshot("a"), snapshot("b")] }));
    const page = await evs.listSnapshots({ status: "available", limit: 2 });
    expect(page.count).toBe(5);
    expect(page.snapshots.map((s) => s.id)).toEqual(["a", "b"]);
    expect(page.next).toEqual({ status: "available", limit: 2, offset: 2 });
  });

  it("listSnapshots (native): no next at the end", async () => {
    const { evs } = setup(() => json({ count: 4, snapshots: [snapshot("c"), snapshot("d")] }));
    const page = await evs.listSnapshots({ limit: 2, offset: 2 });
    expect(page.next).toBeUndefined();
  });

  it("listSnapshots (native): ignores the href of snapshots_links", async () => {
    const { evs } = setup(() =>
      json({
        count: 3,
        snapshots: [snapshot("a")],
        snapshots_links: [
          { href: "https://172.28.9.185:8776/v2/p/snapshots/detail?limit=1&marker=a", rel: "next" },
        ],
      }),
    );
    const page = await evs.listSnapshots({ limit: 1 });
    expect(page.next).toEqual({ limit: 1, offset: 1 });
  });

  it("listSnapshots (compatible): no count; next carries the marker read from the link", async () => {
    const { evs, calls } = setup(
      () =>
        json({
          snapshots: [snapshot("a"), snapshot("b")],
          snapshots_links: [
            {
              href: "https://172.28.9.185:8776/v2/p/snapshots/detail?limit=2&marker=b",
              rel: "next",
            },
          ],
        }),
      "snapshots",
    );
    const page = await evs.listSnapshots({ limit: 2, name: "x" });
    expect(calls[0]!.url).toBe(`${ENDPOINT}/v2/p/snapshots/detail?limit=2&name=x`);
    expect(page.count).toBeUndefined();
    expect(page.next).toEqual({ limit: 2, name: "x", marker: "b" });
  });

  it("listSnapshots (compatible): no link means no next", async () => {
    const { evs } = setup(() => json({ snapshots: [snapshot("a")] }), "snapshots");
    expect((await evs.listSnapshots({ limit: 2 })).next).toBeUndefined();
  });

  it("exposes family, projectId and endpoint", () => {
    const { evs } = setup(() => json({}), "snapshots");
    expect(evs).toMatchObject({ family: "snapshots", projectId: "p", endpoint: ENDPOINT });
  });
});

describe("iterateSnapshots (unit)", () => {
  it("native: pages by offset + limit against count", async () => {
    const all = Array.from({ length: 7 }, (_, i) => snapshot(`s${i}`));
    const { evs, calls } = setup((call) => {
      const q = query(call.url);
      const offset = Number(q.offset ?? 0);
      return json({ count: all.length, snapshots: all.slice(offset, offset + Number(q.limit)) });
    });
    const ids: string[] = [];
    for await (const s of iterateSnapshots(evs, { limit: 3 })) ids.push(s.id);
    expect(ids).toEqual(all.map((s) => s.id));
    expect(calls.map((c) => query(c.url).offset ?? "0")).toEqual(["0", "3", "6"]);
  });

  it("uses the largest page size by default", async () => {
    const { evs, calls } = setup(() => json({ count: 0, snapshots: [] }));
    for await (const _ of iterateSnapshots(evs)) expect.unreachable();
    expect(query(calls[0]!.url).limit).toBe(
      String(specFacts.listQuery.cloudsnapshots.limit.maximum),
    );
  });

  it("native: stops on an empty page even if count says more", async () => {
    const { evs, calls } = setup((_c, i) =>
      json({ count: 100, snapshots: i === 0 ? [snapshot("a")] : [] }),
    );
    const ids: string[] = [];
    for await (const s of iterateSnapshots(evs, { limit: 1 })) ids.push(s.id);
    expect(ids).toEqual(["a"]);
    expect(calls).toHaveLength(2);
  });

  it("compatible: snapshots_links of any odd shape is no next page, never a TypeError", async () => {
    // Generated server answers: not an array, arrays of non-objects, links without a string href.
    const ODD_LINKS = fc.oneof(
      fc.constantFrom({}, "next", 7, true, null, { rel: "next", href: "?marker=m" }),
      fc.array(
        fc.oneof(
          fc.constantFrom(null, undefined, 0, "x", [], {}),
          fc.record({
            rel: fc.constantFrom("next", "self", 3),
            href: fc.constantFrom(5, null, {}),
          }),
        ),
        { maxLength: 3 },
      ),
    );
    await fc.assert(
      fc.asyncProperty(ODD_LINKS, async (links) => {
        const { evs } = setup(
          () => json({ snapshots: [snapshot("a")], snapshots_links: links }),
          "snapshots",
        );
        const page = await evs.listSnapshots({ limit: 1 });
        expect(page.snapshots).toHaveLength(1);
        expect(page.next).toBeUndefined();
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it("compatible: a marker that repeats (a cycle of two) is refused with EvsPaginationError", async () => {
    const { evs, calls } = setup((_c, i) => {
      const marker = ["m1", "m2", "m1"][i] ?? "m9";
      return json({
        snapshots: [snapshot(`s${i}`)],
        snapshots_links: [{ href: `http://x/?marker=${marker}&limit=1`, rel: "next" }],
      });
    }, "snapshots");
    const ids: string[] = [];
    const walk = async () => {
      for await (const s of iterateSnapshots(evs, { limit: 1 })) ids.push(s.id);
    };
    await expect(walk()).rejects.toMatchObject({
      name: "EvsPaginationError",
      reason: "marker-cycle",
    });
    expect(ids).toEqual(["s0", "s1", "s2"]);
    expect(calls).toHaveLength(3);
  });

  it("is lazy: nothing is fetched until iteration, and stopping early fetches no more", async () => {
    const { evs, calls } = setup(() =>
      json({ count: 10, snapshots: [snapshot("a"), snapshot("b")] }),
    );
    const iterator = iterateSnapshots(evs, { limit: 2 });
    expect(calls).toHaveLength(0);
    for await (const _ of iterator) break;
    expect(calls).toHaveLength(1);
  });
});

// The waiters' unit tests are in lifecycle.test.ts, with show, delete and rollback.

describe("defaults and re-exports", () => {
  it("waits like Terraform: 10 minutes, polling every few seconds", () => {
    expect(DEFAULT_WAIT_TIMEOUT_MS).toBe(600_000);
    expect(DEFAULT_WAIT_INTERVAL_MS).toBeGreaterThanOrEqual(1_000);
    expect(DEFAULT_WAIT_INTERVAL_MS).toBeLessThanOrEqual(10_000);
  });

  it("retries idempotent calls 3 times with jittered backoff and a 30 s attempt limit by default", () => {
    expect(DEFAULT_RETRY).toEqual({ attempts: 3, baseDelayMs: 250, maxDelayMs: 20_000 });
    expect(DEFAULT_TIMEOUT_MS).toBe(30_000);
  });

  it("re-exports the signer", async () => {
    const signed = await signRequest(
      new Request(`${ENDPOINT}/v2/p/cloudsnapshots/detail?limit=1`),
      { accessKey: "AK", secretKey: "SK", projectId: "p" },
      new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    );
    expect(signed.headers.get("x-sdk-date")).toBe("20240102T030405Z");
    expect(signed.headers.get("x-project-id")).toBe("p");
    expect(signed.headers.get("authorization")).toMatch(
      /^SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
  });
});
