/**
 * Integration tests of show, delete, rollback and the waiters against a real node:http
 * server on 127.0.0.1 (port 0) that keeps state the way the service does: a snapshot is
 * `creating` for a few shows, deletion goes through `deleting` to gone (404 in the
 * family's own envelope), rollback goes through `rollbacking` and only to the source
 * disk. The server is a test double for the client; the mock's emulator is
 * packages/mock's.
 */
import type { ServerResponse } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import type { SnapshotFamily } from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsApiError,
  EvsValidationError,
  iterateSnapshots,
  waitForSnapshot,
  waitForSnapshotDeleted,
} from "../../packages/client/src/index.js";
import { FAMILIES } from "../support/family-operations.js";
import type { SeenRequest, TestServer } from "../support/loopback-server.js";
import { sendJson, startServer } from "../support/loopback-server.js";

const TOKEN = "lifecycle-token-0123456789";
const VOLUME = "vol-source";
/** Shows a snapshot stays in a transitional status (creating, deleting, rollbacking). */
const TRANSITION_SHOWS = 2;

interface StoredSnapshot {
  id: string;
  status: string;
  name: string;
  description: null;
  created_at: string;
  metadata: Record<string, string>;
  volume_id: string;
  size: number;
  shows: number;
}

const SETTLES_TO: Record<string, string | undefined> = {
  creating: "available",
  rollbacking: "available",
  deleting: undefined, // gone
};

/** A stateful EVS double for one family; `count` pre-existing snapshots make a large project. */
function evsDouble(family: SnapshotFamily, count: number) {
  const store = new Map<string, StoredSnapshot>();
  let clock = 0;
  const add = (status: string, name = `snap-${clock}`) => {
    clock++;
    const id = `snap-${String(clock).padStart(6, "0")}`;
    store.set(id, {
      id,
      status,
      name,
      description: null,
      // Later snapshots are newer: what the retention job sorts by.
      created_at: new Date(Date.UTC(2026, 0, 1) + clock * 86_400_000).toISOString().slice(0, -1),
      metadata: {},
      volume_id: VOLUME,
      size: 10,
      shows: 0,
    });
    return id;
  };
  for (let i = 0; i < count; i++) add("available", `old-${i}`);

  const view = ({ shows: _shows, ...snapshot }: StoredSnapshot) =>
    family === "cloudsnapshots" ? { ...snapshot, service_type: "EVS" } : snapshot;
  const notFound = (res: ServerResponse, id: string) =>
    family === "cloudsnapshots"
      ? sendJson(res, 404, { error: { code: "EVS.5404", message: `snapshot ${id} not found` } })
      : sendJson(res, 404, {
          itemNotFound: { code: 404, message: `Snapshot ${id} could not be found.` },
        });
  const refuse = (res: ServerResponse, message: string) =>
    sendJson(res, 400, { badRequest: { code: 400, message } });

  const handler = (req: SeenRequest, res: ServerResponse) => {
    const url = new URL(req.url, "http://double");
    const [, , project, fam, id, action] = url.pathname.split("/");
    if (project !== "p" || fam !== family) return sendJson(res, 404, { message: "wrong path" });
    if (req.headers["x-auth-token"] !== TOKEN) return sendJson(res, 401, { message: "no token" });

    if (req.method === "POST" && id === undefined) {
      const body = JSON.parse(req.body) as { snapshot: { volume_id: string; name?: string } };
      const created = add("creating", body.snapshot.name);
      return sendJson(res, 202, { snapshot: view(store.get(created)!) });
    }
    if (req.method === "GET" && id === "detail") {
      const all = [...store.values()].map(view);
      const limit = Number(url.searchParams.get("limit") ?? 1000);
      if (family === "cloudsnapshots") {
        const offset = Number(url.searchParams.get("offset") ?? 0);
        return sendJson(res, 200, {
          count: all.length,
          snapshots: all.slice(offset, offset + limit),
        });
      }
      const marker = url.searchParams.get("marker");
      const start = marker ? all.findIndex((s) => s.id === marker) + 1 : 0;
      const page = all.slice(start, start + limit);
      const links =
        page.length === limit && start + limit < all.length
          ? [
              {
                href: `http://internal:8776/v2/p/snapshots/detail?limit=${limit}&marker=${page.at(-1)!.id}`,
                rel: "next",
              },
            ]
          : [];
      return sendJson(res, 200, { snapshots: page, snapshots_links: links });
    }
    const snapshot = id === undefined ? undefined : store.get(id);
    if (!snapshot) return notFound(res, id ?? "");

    if (req.method === "GET" && action === undefined) {
      if (snapshot.status in SETTLES_TO && ++snapshot.shows > TRANSITION_SHOWS) {
        const next = SETTLES_TO[snapshot.status];
        if (next === undefined) {
          store.delete(snapshot.id);
          return notFound(res, snapshot.id);
        }
        snapshot.status = next;
        snapshot.shows = 0;
      }
      return sendJson(res, 200, { snapshot: view(snapshot) });
    }
    if (req.method === "DELETE" && action === undefined) {
      if (!["available", "error"].includes(snapshot.status))
        return refuse(
          res,
          `Snapshot status must be available or error, but is ${snapshot.status}.`,
        );
      snapshot.status = "deleting";
      snapshot.shows = 0;
      res.writeHead(202, { "content-length": "0" });
      return res.end();
    }
    if (req.method === "POST" && action === "rollback" && family === "cloudsnapshots") {
      const body = JSON.parse(req.body) as { rollback: { volume_id: string } };
      if (body.rollback.volume_id !== snapshot.volume_id)
        return sendJson(res, 400, {
          badRequest: { code: 400, message: "Only the source volume can be rolled back." },
        });
      snapshot.status = "rollbacking";
      snapshot.shows = 0;
      return sendJson(res, 202, { rollback: { volume_id: snapshot.volume_id } });
    }
    return sendJson(res, 405, { badMethod: { code: 405, message: "not here" } });
  };
  return { store, handler, add };
}

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A native-family client of `server` (kept for closing) with quick retries. */
function clientOf(server: TestServer) {
  servers.push(server);
  return createEvsClient({
    endpoint: server.url,
    projectId: "p",
    auth: { token: TOKEN },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
}

async function setup<F extends SnapshotFamily>(family: F, count = 0) {
  const double = evsDouble(family, count);
  const server = await startServer(double.handler);
  servers.push(server);
  const evs = createEvsClient<F>({
    endpoint: server.url,
    projectId: "p",
    auth: { token: TOKEN },
    family,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  const requestsSince = (start: number) =>
    server.requests.slice(start).map((r) => `${r.method} ${new URL(r.url, "http://x").pathname}`);
  return { evs, double, server, requestsSince };
}

describe.each(FAMILIES)("%s family, real server", (family) => {
  it("waitForSnapshot sends exactly one show per poll in a project of 5,000 snapshots", async () => {
    const { evs, server, requestsSince } = await setup(family, 5_000);
    const created = await evs.createSnapshot({ volume_id: VOLUME, name: "nightly" });
    const start = server.requests.length;
    const done = await waitForSnapshot(evs, created.id, { intervalMs: 1 });
    expect(done.status).toBe("available");
    const show = `GET /v2/p/${family}/${created.id}`;
    // creating for TRANSITION_SHOWS shows, then available: one request per poll, nothing else.
    expect(requestsSince(start)).toEqual(Array(TRANSITION_SHOWS + 1).fill(show));
  });

  it("delete, wait until gone (one show per poll), then show is a 404 in the family's envelope", async () => {
    const { evs, double, server, requestsSince } = await setup(family, 3);
    const [id] = [...double.store.keys()];
    const start = server.requests.length;
    await evs.deleteSnapshot(id!);
    expect((await evs.getSnapshot(id!)).status).toBe("deleting");
    await waitForSnapshotDeleted(evs, id!, { intervalMs: 1 });
    const path = `/v2/p/${family}/${id}`;
    expect(requestsSince(start)).toEqual([
      `DELETE ${path}`,
      ...Array(TRANSITION_SHOWS + 1).fill(`GET ${path}`),
    ]);
    expect(double.store.has(id!)).toBe(false);

    const error = (await evs.getSnapshot(id!).catch((e: unknown) => e)) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error.status).toBe(404);
    if (family === "cloudsnapshots")
      expect(error).toMatchObject({ kind: "error", code: "EVS.5404" });
    else expect(error).toMatchObject({ kind: "itemNotFound", code: "404" });
  });

  it("deleting a creating snapshot is refused: an EvsApiError 400, the snapshot untouched", async () => {
    const { evs, double } = await setup(family);
    const created = await evs.createSnapshot({ volume_id: VOLUME });
    const error = (await evs.deleteSnapshot(created.id).catch((e: unknown) => e)) as EvsApiError;
    expect(error).toMatchObject({ status: 400, kind: "badRequest" });
    expect(error.serverMessage).toContain("creating");
    expect(double.store.get(created.id)?.status).toBe("creating");
  });

  it("a retention job: create nightly, keep the newest 3, delete the rest, wait until gone", async () => {
    const { evs, double } = await setup(family, 5);
    const keep = 3;
    const nightly = await evs.createSnapshot({ volume_id: VOLUME, name: "nightly" });
    await waitForSnapshot(evs, nightly.id, { intervalMs: 1 });
    const all = [];
    for await (const s of iterateSnapshots(evs, { volume_id: VOLUME, limit: 2 })) all.push(s);
    const newestFirst = all.sort((a, b) => b.created_at.localeCompare(a.created_at));
    const expired = newestFirst.slice(keep).filter((s) => s.status === "available");
    for (const s of expired) await evs.deleteSnapshot(s.id);
    await Promise.all(expired.map((s) => waitForSnapshotDeleted(evs, s.id, { intervalMs: 1 })));
    expect([...double.store.keys()].sort()).toEqual(
      newestFirst
        .slice(0, keep)
        .map((s) => s.id)
        .sort(),
    );
    expect(double.store.has(nightly.id)).toBe(true);
  });
});

describe("rollback, real server", () => {
  it("rolls the source disk back: 202, rollbacking, then available again", async () => {
    const { evs, double } = await setup("cloudsnapshots", 1);
    const [id] = [...double.store.keys()];
    const result = await evs.rollbackSnapshot(id!, { volume_id: VOLUME, name: "data-disk-01" });
    expect(result).toEqual({ volume_id: VOLUME });
    expect((await evs.getSnapshot(id!)).status).toBe("rollbacking");
    expect((await waitForSnapshot(evs, id!, { intervalMs: 1 })).status).toBe("available");
  });

  it("a disk that is not the source is refused by the service: an EvsApiError 400", async () => {
    const { evs, double } = await setup("cloudsnapshots", 1);
    const [id] = [...double.store.keys()];
    const error = (await evs
      .rollbackSnapshot(id!, { volume_id: "another-disk" })
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toMatchObject({ status: 400, kind: "badRequest" });
    expect(double.store.get(id!)?.status).toBe("available");
  });

  it("the compatible family sends nothing: rollback is native only", async () => {
    const { evs, server } = await setup("snapshots", 1);
    const error = await evs
      .rollbackSnapshot("snap-000001", { volume_id: VOLUME } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvsValidationError);
    expect(server.requests).toHaveLength(0);
  });

  describe("a delete that took effect but whose answer was lost (504), then retried", () => {
    async function lostAnswer(goneBeforeRetry: boolean) {
      const double = evsDouble("cloudsnapshots", 1);
      let lost = false;
      const server = await startServer((req, res) => {
        if (req.method === "DELETE" && !lost) {
          lost = true;
          // The service deletes, but the gateway times out: the client sees a 504.
          double.handler(req, { writeHead: () => {}, end: () => {} } as never);
          if (goneBeforeRetry) double.store.clear();
          return sendJson(res, 504, { computeFault: { code: 504, message: "gateway timeout" } });
        }
        return double.handler(req, res);
      });
      return { evs: clientOf(server), server, id: [...double.store.keys()][0]! };
    }

    it("the retry's refusal (already deleting) is checked with one show: deleted", async () => {
      const { evs, server, id } = await lostAnswer(false);
      await expect(evs.deleteSnapshot(id)).resolves.toBeUndefined();
      expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE", "GET"]);
    });

    it("the retry's 404 (already gone) is checked with one show: deleted", async () => {
      const { evs, server, id } = await lostAnswer(true);
      await expect(evs.deleteSnapshot(id)).resolves.toBeUndefined();
      expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE", "GET"]);
    });

    it("a first answer that refuses is final: no show, the refusal is thrown", async () => {
      const { evs, double } = await setup("cloudsnapshots");
      const id = double.add("creating");
      const error = await evs.deleteSnapshot(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EvsApiError);
      expect((error as EvsApiError).status).toBe(400);
    });
  });

  it("a delete whose first answer is a 503 is retried and deletes once", async () => {
    const double = evsDouble("cloudsnapshots", 1);
    let failed = false;
    const server = await startServer((req, res) => {
      if (req.method === "DELETE" && !failed) {
        failed = true;
        return sendJson(res, 503, { serviceUnavailable: { code: 503, message: "busy" } });
      }
      return double.handler(req, res);
    });
    const evs = clientOf(server);
    const [id] = [...double.store.keys()];
    await evs.deleteSnapshot(id!);
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
    expect(double.store.get(id!)?.status).toBe("deleting");
  });
});
