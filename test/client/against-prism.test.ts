/**
 * Contract tests: the client against the Prism mock of the bundled spec (all
 * six operations, both families). Prism validates every request against the
 * spec and answers with its documented examples; `Prefer: code=..., example=...`
 * picks a documented error answer.
 */
import { describe, expect, inject, it } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import type { EvsAuth, FetchLike, SnapshotFamily } from "../../packages/client/src/index.js";
import { createEvsClient, EvsApiError } from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";

const PROJECT = "20a68d6b7a124ae2b6b8a22046ee5966";
const FAMILIES: SnapshotFamily[] = ["cloudsnapshots", "snapshots"];
const AUTHS: [string, EvsAuth][] = [
  ["token", { token: "prism-token" }],
  [
    "AK/SK",
    akSk({ accessKey: "AKPRISM", secretKey: "SK-prism-secret", securityToken: "sts-prism" }),
  ],
];

/** Adds a Prefer header to every request (how Prism is told which example to answer). */
function preferring(prefer: string | undefined): FetchLike {
  return (url, init) => {
    const headers = new Headers(init.headers);
    if (prefer) headers.set("Prefer", prefer);
    return fetch(url, { ...init, headers });
  };
}

function client<F extends SnapshotFamily>(family: F, auth: EvsAuth, prefer?: string) {
  return createEvsClient<F>({
    endpoint: inject("prismUrl"),
    projectId: PROJECT,
    auth,
    family,
    fetch: preferring(prefer),
    retry: { attempts: 0 },
  });
}

describe.each(FAMILIES)("Prism mock, %s family", (family) => {
  describe.each(AUTHS)("%s auth", (_name, auth) => {
    it("createSnapshot answers the created snapshot", async () => {
      const created = await client(family, auth).createSnapshot({
        volume_id: "5aa119a8-d25b-45a7-8d1b-88e127885635",
        name: "snap-001",
        metadata: { k: "v" },
      });
      expect(typeof created.id).toBe("string");
      expect(typeof created.status).toBe("string");
      expect(created).toHaveProperty("volume_id");
    });

    it("listSnapshots answers a page", async () => {
      const page = await client(family, auth).listSnapshots({ limit: 10, status: "available" });
      expect(Array.isArray(page.snapshots)).toBe(true);
      expect(page.snapshots.length).toBeGreaterThan(0);
      if (family === "cloudsnapshots") expect(typeof page.count).toBe("number");
      else expect(page.count).toBeUndefined();
    });

    it("updateSnapshot answers the updated snapshot", async () => {
      const updated = await client(family, auth).updateSnapshot(
        "f9faf7df-fdc1-4093-9ef3-5cba06eef995",
        { name: "renamed" },
      );
      expect(typeof updated.id).toBe("string");
    });

    it("iterateSnapshots ends on the mock's static pages, or refuses them as not progressing", async () => {
      // Prism answers the same example for every page: the count ends the native walk, or the
      // progress guards refuse the repeated page (EvsPaginationError) — never an endless walk.
      let seen = 0;
      const walk = async () => {
        for await (const _ of client(family, auth).iterateSnapshots({ limit: 2 })) {
          seen += 1;
          expect(seen).toBeLessThan(50);
        }
      };
      await walk().catch((error: unknown) => {
        expect(error).toMatchObject({ name: "EvsPaginationError" });
      });
      expect(seen).toBeGreaterThan(0);
    });
  });

  it("a documented 404 fault example becomes an EvsApiError with an integer code", async () => {
    const error = (await client(family, AUTHS[0]![1], "code=404, example=fault")
      .updateSnapshot("missing", { name: "x" })
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error).toMatchObject({ status: 404, kind: "itemNotFound", code: "404" });
    expect(error.message).toContain("could not be found");
  });

  it("a documented native 404 example", async () => {
    const error = (await client(family, AUTHS[0]![1], "code=404, example=native")
      .listSnapshots()
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toMatchObject({ status: 404, kind: "error", code: "EVS.5404" });
  });

  it("the seed example's string placeholder code still parses", async () => {
    const error = (await client(family, AUTHS[0]![1], "code=404, example=seedItemNotFound")
      .listSnapshots()
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toMatchObject({ status: 404, kind: "itemNotFound" });
    expect(typeof error.code).toBe("string");
  });

  it("every documented fault status parses to a known kind", async () => {
    for (const status of [400, 401, 403, 409, 413, 500]) {
      const error = (await client(family, AUTHS[0]![1], `code=${status}`)
        .listSnapshots()
        .catch((e: unknown) => e)) as EvsApiError;
      expect(error).toBeInstanceOf(EvsApiError);
      expect(error.status).toBe(status);
      expect(["error", "apiGateway", ...specFacts.faultNames]).toContain(error.kind);
      expect(error.code).not.toBe("");
    }
  });
});

describe("raw client against Prism", () => {
  it("covers all six operations with a Prefer header via `headers`", async () => {
    const evs = createEvsClient({
      endpoint: inject("prismUrl"),
      projectId: PROJECT,
      auth: { token: "t" },
    });
    const path = { project_id: PROJECT };
    const results = await Promise.all([
      rawClient(evs).POST("/v2/{project_id}/cloudsnapshots", {
        params: { path },
        body: { snapshot: { volume_id: "v", force: false } },
      }),
      rawClient(evs).POST("/v2/{project_id}/snapshots", {
        params: { path },
        body: { snapshot: { volume_id: "v", force: true } },
      }),
      rawClient(evs).GET("/v2/{project_id}/cloudsnapshots/detail", {
        params: { path, query: { id: ["a", "b"], limit: 5 } },
      }),
      rawClient(evs).GET("/v2/{project_id}/snapshots/detail", {
        params: { path, query: { marker: "m", limit: 5 } },
      }),
      rawClient(evs).PUT("/v2/{project_id}/cloudsnapshots/{snapshot_id}", {
        params: { path: { ...path, snapshot_id: "s" } },
        body: { snapshot: { name: "n" } },
      }),
      rawClient(evs).PUT("/v2/{project_id}/snapshots/{snapshot_id}", {
        params: { path: { ...path, snapshot_id: "s" } },
        body: { snapshot: { description: "d" } },
      }),
    ]);
    expect(results.map((r) => r.response.status)).toEqual([202, 202, 200, 200, 200, 200]);
    expect(results[2]!.data?.count).toBeTypeOf("number");

    const { data, error, response } = await rawClient(evs).GET(
      "/v2/{project_id}/snapshots/detail",
      {
        params: { path },
        headers: { Prefer: "code=404, example=fault" },
      },
    );
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual({ itemNotFound: { code: 404, message: expect.any(String) } });
  });

  it("waitForSnapshot finds the mock's available snapshot", async () => {
    const evs = createEvsClient({
      endpoint: inject("prismUrl"),
      projectId: PROJECT,
      auth: { token: "t" },
    });
    const page = await evs.listSnapshots();
    const available = page.snapshots.find((s) => s.status === "available");
    expect(available).toBeDefined();
    const done = await evs.waitForSnapshot(available!.id, { intervalMs: 1, timeoutMs: 5_000 });
    expect(done.id).toBe(available!.id);
  });
});
