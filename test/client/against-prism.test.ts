/**
 * Contract tests: the client against the Prism mock of the bundled spec (every
 * operation of each family, from the spec). Prism validates every request against
 * the spec and answers with its documented examples; `Prefer: code=..., example=...`
 * picks a documented error answer.
 */
import { describe, expect, inject, it } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import type { EvsAuth, FetchLike, SnapshotFamily } from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsApiError,
  EvsTimeoutError,
  iterateSnapshots,
  waitForSnapshot,
  waitForSnapshotDeleted,
} from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";
import { contractOperations } from "../prism-mock/operations.js";
import { FAMILIES, operationIdOf, operationNames } from "../support/family-operations.js";
import { parseViolations } from "../support/prism-client.js";
import { createSpecValidators, describeErrors } from "../support/schema.js";
import { EXAMPLE_SNAPSHOT_ID, OPERATION_CALLS } from "./support/operation-calls.js";

const PROJECT = "20a68d6b7a124ae2b6b8a22046ee5966";
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
        for await (const _ of iterateSnapshots(client(family, auth), { limit: 2 })) {
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

const validators = createSpecValidators();

/** A client whose fetch records each request's path and Prism's verdict on it (`sl-violations`). */
function recordedClient<F extends SnapshotFamily>(family: F, prefer?: string) {
  const requests: { method: string; path: string; violations: unknown[] }[] = [];
  const evs = createEvsClient<F>({
    endpoint: inject("prismUrl"),
    projectId: PROJECT,
    auth: AUTHS[0]![1],
    family,
    retry: { attempts: 0 },
    fetch: async (url, init) => {
      const headers = new Headers(init.headers);
      if (prefer) headers.set("Prefer", prefer);
      const response = await fetch(url, { ...init, headers });
      requests.push({
        method: init.method ?? "GET",
        path: new URL(url).pathname,
        violations: parseViolations(response.headers),
      });
      return response;
    },
  });
  return { evs, requests };
}

describe.each(FAMILIES)("every operation of the spec, %s family", (family) => {
  const operations = operationNames(family);
  const successOf = new Map(contractOperations(validators.spec).map((o) => [o.operationId, o]));

  it.each(operations)(
    "%s: Prism accepts the request and the answer matches the spec",
    async (name) => {
      const operationId = operationIdOf(family, name);
      const { success, successHasBody } = successOf.get(operationId)!;
      const { evs, requests } = recordedClient(family);
      const wire = await OPERATION_CALLS[name].call(evs);
      expect(requests).toHaveLength(1);
      expect(requests[0]!.violations).toEqual([]);
      if (successHasBody) {
        const result = validators.response(operationId, success)(wire);
        expect(result.valid, describeErrors(result.errors)).toBe(true);
      } else {
        expect(wire).toBeUndefined();
      }
    },
  );

  it("show of a deleted snapshot: the family's documented 404 becomes a typed EvsApiError", async () => {
    // The native family answers its own error, the compatible one an OpenStack fault.
    const [example, expected] =
      family === "cloudsnapshots"
        ? (["native", { kind: "error", code: "EVS.5404" }] as const)
        : (["fault", { kind: "itemNotFound", code: "404" }] as const);
    const { evs } = recordedClient(family, `code=404, example=${example}`);
    const error = (await evs
      .getSnapshot(EXAMPLE_SNAPSHOT_ID)
      .catch((e: unknown) => e)) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error).toMatchObject({ status: 404, ...expected });
  });

  it("waitForSnapshot makes exactly one show request per poll", async () => {
    const { evs, requests } = recordedClient(family);
    const done = await waitForSnapshot(evs, EXAMPLE_SNAPSHOT_ID, {
      intervalMs: 1,
      timeoutMs: 5_000,
    });
    expect(done.id).toBe(EXAMPLE_SNAPSHOT_ID);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v2/${PROJECT}/${family}/${EXAMPLE_SNAPSHOT_ID}`,
    ]);
  });

  it("waitForSnapshotDeleted ends at the family's 404, after one show request", async () => {
    const example = family === "cloudsnapshots" ? "native" : "fault";
    const { evs, requests } = recordedClient(family, `code=404, example=${example}`);
    await waitForSnapshotDeleted(evs, EXAMPLE_SNAPSHOT_ID, { intervalMs: 1, timeoutMs: 5_000 });
    expect(requests).toHaveLength(1);
  });

  it("waitForSnapshotDeleted polls, one show per poll, while the snapshot shows deleting", async () => {
    // shownSnapshotDeleting is `deleting`: the wait goes on until its (short) deadline.
    const { evs, requests } = recordedClient(family, "example=shownSnapshotDeleting");
    const error = (await waitForSnapshotDeleted(evs, EXAMPLE_SNAPSHOT_ID, {
      intervalMs: 20,
      timeoutMs: 1_500, // long enough for a first show on a loaded machine
    }).catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error).toBeInstanceOf(EvsTimeoutError);
    expect(error.lastStatus).toBe("deleting");
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((r) => r.method === "GET" && r.path.endsWith(EXAMPLE_SNAPSHOT_ID))).toBe(
      true,
    );
  });
});

describe("raw client against Prism", () => {
  it("covers the seed operations with a Prefer header via `headers`", async () => {
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

  it("reaches show, delete and rollback too", async () => {
    const evs = createEvsClient({
      endpoint: inject("prismUrl"),
      projectId: PROJECT,
      auth: { token: "t" },
    });
    const path = { project_id: PROJECT, snapshot_id: EXAMPLE_SNAPSHOT_ID };
    const shown = await rawClient(evs).GET("/v2/{project_id}/snapshots/{snapshot_id}", {
      params: { path },
    });
    expect(shown.data?.snapshot.id).toBe(EXAMPLE_SNAPSHOT_ID);
    const deleted = await rawClient(evs).DELETE("/v2/{project_id}/cloudsnapshots/{snapshot_id}", {
      params: { path },
    });
    expect(deleted.response.status).toBe(202);
    const rolledBack = await rawClient(evs).POST(
      "/v2/{project_id}/cloudsnapshots/{snapshot_id}/rollback",
      {
        params: { path },
        body: { rollback: { volume_id: "5aa119a8-d25b-45a7-8d1b-88e127885635" } },
      },
    );
    expect(rolledBack.data?.rollback.volume_id).toBe("5aa119a8-d25b-45a7-8d1b-88e127885635");
  });
});
