/**
 * Integration tests against real node:http servers on 127.0.0.1 (port 0):
 * error shapes, retries with Retry-After, time limits on a stalling server,
 * pagination over thousands of snapshots, redirects and the origin guard.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import type {
  EvsClientOptions,
  RetryInfo,
  SnapshotFamily,
} from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsApiError,
  EvsNetworkError,
  EvsRedirectError,
  EvsTimeoutError,
  iterateSnapshots,
} from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";
import { signParts } from "../../packages/client/src/signing/sign.js";
import type { SeenRequest, TestServer } from "../support/loopback-server.js";
import { sendJson, startServer } from "../support/loopback-server.js";

const TOKEN = "integration-token-0123456789";
const servers: TestServer[] = [];

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const started = await startServer(handler);
  servers.push(started);
  return started;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function client<F extends SnapshotFamily = "cloudsnapshots">(
  target: TestServer,
  options: Partial<EvsClientOptions<F>> = {},
) {
  return createEvsClient<F>({
    endpoint: target.url,
    projectId: "p",
    auth: { token: TOKEN },
    ...options,
    retry: { baseDelayMs: 1, maxDelayMs: 20, ...options.retry },
  } as EvsClientOptions<F>);
}

function snap(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `snap-${String(i).padStart(5, "0")}`,
    status: "available",
    name: `s${i}`,
    description: null,
    created_at: "2018-06-06T10:58:47.349051",
    metadata: {},
    volume_id: "vol",
    size: 1,
    ...extra,
  };
}

const params = (req: SeenRequest) => new URL(req.url, "http://x").searchParams;

/** Checks a request's signature the way the gateway would: from what arrived on the wire. */
async function signatureIsValid(
  target: TestServer,
  req: SeenRequest,
  credentials: { accessKey: string; secretKey: string },
): Promise<boolean> {
  const { authorization, ...headers } = req.headers as Record<string, string>;
  const signedNames = /SignedHeaders=([^,]+)/.exec(authorization ?? "")?.[1]?.split(";") ?? [];
  const signed = Object.fromEntries(signedNames.map((name) => [name, headers[name] ?? ""]));
  const expected = await signParts(
    { method: req.method, url: `${target.url}${req.url}`, headers: signed, body: req.body },
    { ...credentials, projectId: "p" },
  );
  return expected.authorization === authorization;
}

describe("error answers from a real server", () => {
  let target: TestServer;
  beforeAll(async () => {
    target = await server((req, res) => {
      const kind = params(req).get("name");
      switch (kind) {
        case "native":
          return sendJson(
            res,
            404,
            { error: { code: "EVS.5404", message: "Snapshot not found" } },
            { "X-Request-Id": "req-native" },
          );
        case "fault":
          return sendJson(
            res,
            404,
            { itemNotFound: { code: 404, message: "Snapshot abc could not be found." } },
            { "X-Openstack-Request-Id": "req-os" },
          );
        case "gateway":
          return sendJson(res, 401, {
            error_code: "APIG.0301",
            error_msg: "Incorrect IAM authentication information",
            request_id: "gw-1",
          });
        case "html": {
          res.writeHead(502, "Bad Gateway", { "content-type": "text/html" });
          return res.end(
            `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>${" ".repeat(3000)}</body></html>`,
          );
        }
        case "empty":
          res.writeHead(500, "Internal Server Error");
          return res.end();
        default:
          return sendJson(res, 200, { count: 0, snapshots: [] });
      }
    });
  });

  it("native shape", async () => {
    const error = (await client(target)
      .listSnapshots({ name: "native" })
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error).toMatchObject({
      status: 404,
      kind: "error",
      code: "EVS.5404",
      requestId: "req-native",
      path: "/v2/p/cloudsnapshots/detail",
    });
  });

  it("OpenStack fault with an integer code", async () => {
    const error = (await client(target, { family: "snapshots" })
      .listSnapshots({ name: "fault" })
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toMatchObject({
      status: 404,
      kind: "itemNotFound",
      code: "404",
      requestId: "req-os",
      path: "/v2/p/snapshots/detail",
    });
    expect(error.message).toContain("Snapshot abc could not be found.");
  });

  it("API gateway shape", async () => {
    const error = (await client(target)
      .listSnapshots({ name: "gateway" })
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toMatchObject({
      status: 401,
      kind: "apiGateway",
      code: "APIG.0301",
      requestId: "gw-1",
    });
  });

  it("HTML 502 page (after retries)", async () => {
    const error = (await client(target, { retry: { attempts: 1 } })
      .listSnapshots({ name: "html" })
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toMatchObject({ status: 502, kind: "unknown", code: "502" });
    expect(error.message).toContain("502 Bad Gateway");
    expect(error.message).not.toMatch(/[<>]/);
    expect(error.message.length).toBeLessThan(300);
  });

  it("empty body", async () => {
    const error = (await client(target)
      .listSnapshots({ name: "empty" })
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toMatchObject({ status: 500, kind: "unknown", code: "500", body: undefined });
    expect(error.message).toContain("500 Internal Server Error");
    expect(error.message).not.toContain(TOKEN);
  });
});

describe("retries against a real server", () => {
  it("honours Retry-After in seconds", async () => {
    let hits = 0;
    const target = await server((_req, res) => {
      hits += 1;
      if (hits === 1)
        return sendJson(
          res,
          503,
          { serviceUnavailable: { code: 503, message: "busy" } },
          { "Retry-After": "1" },
        );
      return sendJson(res, 200, { count: 1, snapshots: [snap(1)] });
    });
    const retries: RetryInfo[] = [];
    const page = await client(target, {
      retry: { attempts: 2, maxDelayMs: 5_000, onRetry: (info) => retries.push(info) },
    }).listSnapshots();
    expect(page.snapshots).toHaveLength(1);
    expect(target.requests).toHaveLength(2);
    expect(retries).toEqual([expect.objectContaining({ retry: 1, status: 503, delayMs: 1000 })]);
  });

  it("honours Retry-After as an HTTP date", async () => {
    let hits = 0;
    const target = await server((_req, res) => {
      hits += 1;
      if (hits === 1) {
        return sendJson(
          res,
          429,
          { error_code: "APIG.0308", error_msg: "throttled" },
          { "Retry-After": new Date(Date.now() + 1500).toUTCString() },
        );
      }
      return sendJson(res, 200, { snapshot: snap(1) });
    });
    const retries: RetryInfo[] = [];
    await client(target, {
      retry: { attempts: 1, maxDelayMs: 5_000, onRetry: (info) => retries.push(info) },
    }).updateSnapshot("x", { name: "y" });
    expect(target.requests).toHaveLength(2);
    expect(retries[0]!.delayMs).toBeGreaterThan(0);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(1500);
    // the same body went out both times
    expect(target.requests[1]!.body).toBe(target.requests[0]!.body);
  });

  it("does not retry create on 503", async () => {
    const target = await server((_req, res) =>
      sendJson(res, 503, { error: { code: "EVS.9", message: "busy" } }),
    );
    await expect(
      client(target, { retry: { attempts: 3 } }).createSnapshot({ volume_id: "v" }),
    ).rejects.toBeInstanceOf(EvsApiError);
    expect(target.requests).toHaveLength(1);
  });

  it("a refused connection is an EvsNetworkError (retried for lists)", async () => {
    const gone = await startServer(() => undefined);
    const url = gone.url;
    await gone.close();
    const retries: RetryInfo[] = [];
    const evs = createEvsClient({
      endpoint: url,
      projectId: "p",
      auth: { token: TOKEN },
      retry: { attempts: 2, baseDelayMs: 1, onRetry: (i) => retries.push(i) },
    });
    const error = (await evs.listSnapshots().catch((e: unknown) => e)) as EvsNetworkError;
    expect(error).toBeInstanceOf(EvsNetworkError);
    expect(error.message).toMatch(/could not reach/);
    expect(retries).toHaveLength(2);
  });
});

/**
 * Long enough that a loaded CI machine still connects and sends the request within it (the
 * tests count requests on the server; 50 ms once was not, with the suite on two cores).
 */
const ATTEMPT_LIMIT_MS = 250;

describe("time limits against a stalling server", () => {
  it("times out each attempt when no answer comes", async () => {
    const target = await server(() => undefined); // never answers; afterAll destroys the sockets
    const error = (await client(target, { timeoutMs: ATTEMPT_LIMIT_MS, retry: { attempts: 1 } })
      .listSnapshots()
      .catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error).toBeInstanceOf(EvsTimeoutError);
    expect(error.reason).toBe("timeout");
    expect(target.requests).toHaveLength(2);
  });

  it("the time limit covers a body that stalls after the headers", async () => {
    const target = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"count": 1, "snapshots": [');
      // ...and never finishes
    });
    const error = (await client(target, { timeoutMs: ATTEMPT_LIMIT_MS, retry: { attempts: 0 } })
      .listSnapshots()
      .catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error).toBeInstanceOf(EvsTimeoutError);
    expect(error.reason).toBe("timeout");
  });

  it.each([
    ["no answer at all", () => undefined],
    [
      "a body that stalls after the headers",
      (_req: SeenRequest, res: import("node:http").ServerResponse) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"count": 1, "snapshots": [');
      },
    ],
  ] as const)(
    "a timed-out attempt releases its connection (%s): the server sees the socket close",
    async (_name, handler) => {
      const target = await server(handler);
      // Node 24's undici may open a spare (idle, pooled) connection when one is aborted: what
      // must close is the socket that carried the request, within a second.
      const opened: import("node:net").Socket[] = [];
      const closedAt = new Map<import("node:net").Socket, number>();
      target.server.on("connection", (socket) => {
        opened.push(socket);
        socket.on("close", () => closedAt.set(socket, Date.now()));
      });
      const error = (await client(target, { timeoutMs: ATTEMPT_LIMIT_MS, retry: { attempts: 0 } })
        .listSnapshots()
        .catch((e: unknown) => e)) as EvsTimeoutError;
      expect(error).toBeInstanceOf(EvsTimeoutError);
      expect(error.reason).toBe("timeout");
      const timedOutAt = Date.now();
      const carrier = opened[0]!;
      // Bounded wait: without the abort the socket would stay open until undici's own ~300 s timeouts.
      await vi.waitFor(() => expect(closedAt.has(carrier)).toBe(true), {
        timeout: 2_000,
        interval: 5,
      });
      expect(closedAt.get(carrier)! - timedOutAt).toBeLessThan(1_000);
    },
  );

  it("the caller's signal aborts a stalled request", async () => {
    const target = await server(() => undefined);
    const error = (await client(target, { timeoutMs: 0 })
      .listSnapshots({}, { signal: AbortSignal.timeout(30) })
      .catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error).toBeInstanceOf(EvsTimeoutError);
    expect(error.reason).toBe("aborted");
    expect(target.requests).toHaveLength(1);
  });
});

describe("pagination over thousands of snapshots", () => {
  it("native: 5,000 snapshots with limit 1000, by offset, never following the foreign href", async () => {
    const total = 5000;
    const foreign = await server((_req, res) => sendJson(res, 500, {}));
    const target = await server((req, res) => {
      const q = params(req);
      const offset = Number(q.get("offset") ?? 0);
      const limit = Number(q.get("limit") ?? 1000);
      const page = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) =>
        snap(offset + i, { service_type: "EVS" }),
      );
      const last = page.at(-1);
      sendJson(res, 200, {
        count: total,
        snapshots: page,
        // Like the real backend: the next link names another host and the compatible family.
        ...(last
          ? {
              snapshots_links: [
                {
                  href: `${foreign.url}/v2/p/snapshots/detail?limit=${limit}&marker=${last.id}`,
                  rel: "next",
                },
              ],
            }
          : {}),
      });
    });
    const evs = client(target);
    let count = 0;
    let previous = "";
    for await (const s of iterateSnapshots(evs, { limit: 1000 })) {
      expect(s.id > previous).toBe(true);
      previous = s.id;
      count += 1;
    }
    expect(count).toBe(total);
    expect(target.requests.map((r) => params(r).get("offset") ?? "0")).toEqual([
      "0",
      "1000",
      "2000",
      "3000",
      "4000",
    ]);
    expect(target.requests.every((r) => r.url.startsWith("/v2/p/cloudsnapshots/detail?"))).toBe(
      true,
    );
    expect(foreign.requests).toHaveLength(0);
  });

  it("compatible: 2,500 snapshots via markers; the next href points at a foreign server that gets nothing", async () => {
    const total = 2500;
    const foreign = await server((_req, res) => sendJson(res, 200, { snapshots: [] }));
    const target = await server((req, res) => {
      const q = params(req);
      const limit = Number(q.get("limit") ?? 1000);
      const marker = q.get("marker");
      const start = marker ? Number(marker.slice("snap-".length)) + 1 : 0;
      const page = Array.from({ length: Math.max(0, Math.min(limit, total - start)) }, (_, i) =>
        snap(start + i),
      );
      const last = page.at(-1);
      sendJson(res, 200, {
        snapshots: page,
        ...(page.length === limit && last
          ? {
              snapshots_links: [
                {
                  href: `${foreign.url}/v2/p/cloudsnapshots/detail?limit=${limit}&marker=${last.id}`,
                  rel: "next",
                },
              ],
            }
          : {}),
      });
    });
    const evs = client(target, {
      family: "snapshots",
      auth: akSk({ accessKey: "AK-int", secretKey: "SK-int-secret" }),
    });
    const ids = new Set<string>();
    for await (const s of iterateSnapshots(evs, { limit: 1000, status: "available" }))
      ids.add(s.id);
    expect(ids.size).toBe(total);
    expect(target.requests.map((r) => params(r).get("marker"))).toEqual([
      null,
      "snap-00999",
      "snap-01999",
    ]);
    expect(
      target.requests.every(
        (r) =>
          r.url.startsWith("/v2/p/snapshots/detail?") && params(r).get("status") === "available",
      ),
    ).toBe(true);
    expect(target.requests.every((r) => typeof r.headers.authorization === "string")).toBe(true);
    expect(foreign.requests).toHaveLength(0);
  });

  it("compatible: a marker that repeats stops the walk with EvsPaginationError", async () => {
    let hits = 0;
    const target = await server((_req, res) => {
      hits += 1;
      // Always the same page and the same marker: a looping backend.
      sendJson(res, 200, {
        snapshots: [snap(hits)],
        snapshots_links: [
          { href: "http://10.0.0.1:8776/v2/p/snapshots/detail?limit=1&marker=loop", rel: "next" },
        ],
      });
    });
    const seen: string[] = [];
    const walk = async () => {
      for await (const s of iterateSnapshots(client(target, { family: "snapshots" }), { limit: 1 }))
        seen.push(s.id);
    };
    await expect(walk()).rejects.toMatchObject({
      name: "EvsPaginationError",
      reason: "marker-cycle",
    });
    expect(seen).toHaveLength(2);
    expect(target.requests).toHaveLength(2);
  });
});

describe("redirects and path safety against real servers", () => {
  it("a cross-origin redirect carries no credentials: the other server receives nothing", async () => {
    const other = await server((_req, res) => sendJson(res, 200, { count: 0, snapshots: [] }));
    const target = await server((_req, res) => {
      res.writeHead(307, { location: `${other.url}/v2/p/cloudsnapshots/detail` });
      res.end();
    });
    for (const auth of [{ token: TOKEN }, akSk({ accessKey: "AK", secretKey: "SK-secret" })]) {
      const error = (await client(target, { auth })
        .listSnapshots()
        .catch((e: unknown) => e)) as EvsRedirectError;
      expect(error).toBeInstanceOf(EvsRedirectError);
      expect(error.targetOrigin).toBe(other.origin);
    }
    expect(other.requests).toHaveLength(0);
  });

  it("localhost and 127.0.0.1 are different origins", async () => {
    const target = await server((_req, res) => {
      res.writeHead(302, {
        location: `http://localhost:${new URL(target.url).port}/v2/p/cloudsnapshots/detail`,
      });
      res.end();
    });
    await expect(client(target).listSnapshots()).rejects.toBeInstanceOf(EvsRedirectError);
    expect(target.requests).toHaveLength(1);
  });

  it("refuses a same-origin redirect of a signed update: the request is sent once", async () => {
    const credentials = { accessKey: "AK-redirect", secretKey: "SK-redirect-secret" };
    const target = await server((req, res) => {
      res.writeHead(308, { location: `/moved${req.url}` });
      res.end();
    });
    const error = (await client(target, { auth: akSk(credentials) })
      .updateSnapshot("snap-1", { name: "renamed" })
      .catch((e: unknown) => e)) as EvsRedirectError;
    expect(error).toBeInstanceOf(EvsRedirectError);
    expect(error).toMatchObject({ status: 308, targetOrigin: target.origin });
    expect(target.requests.map((r) => r.url)).toEqual(["/v2/p/cloudsnapshots/snap-1"]);
  });

  it("signs what arrives on the wire, also for characters the URL parser re-encodes", async () => {
    const credentials = { accessKey: "AK-wire", secretKey: "SK-wire-secret" };
    const verdicts: boolean[] = [];
    const target = await server(async (req, res) => {
      verdicts.push(await signatureIsValid(target, req, credentials));
      return req.method === "GET"
        ? sendJson(res, 200, { count: 0, snapshots: [] })
        : sendJson(res, 200, { snapshot: snap(1) });
    });
    const evs = client(target, { auth: akSk(credentials) });
    const awkward = "it's (a) *snap*! ~ é 😀 +%2F";
    await evs.listSnapshots({ name: awkward, status: "available", limit: 5, offset: 10 });
    await evs.updateSnapshot(awkward, { name: "x" });
    await rawClient(evs).GET("/v2/{project_id}/cloudsnapshots/detail", {
      params: { path: { project_id: "p" }, query: { name: awkward } },
    });
    expect(target.requests.map((r) => r.url).join(" ")).toContain("%27"); // the wire has what the client's string had raw
    expect(verdicts).toEqual([true, true, true]);
  });

  it("a snapshot id such as ../volumes cannot change the path", async () => {
    const target = await server((_req, res) => sendJson(res, 200, { snapshot: snap(1) }));
    await client(target).updateSnapshot("../volumes", { name: "x" });
    await rawClient(client(target)).PUT("/v2/{project_id}/cloudsnapshots/{snapshot_id}", {
      params: { path: { project_id: "p", snapshot_id: "../volumes" } },
      body: { snapshot: { name: "x" } },
    });
    expect(target.requests.map((r) => r.url)).toEqual([
      "/v2/p/cloudsnapshots/..%2Fvolumes",
      "/v2/p/cloudsnapshots/..%2Fvolumes",
    ]);
  });
});
