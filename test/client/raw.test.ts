/**
 * `rawClient`: openapi-fetch's call shape on the client's transport. Its URLs and bodies are
 * checked against openapi-fetch's own runtime (still installed, as the source of raw's
 * types) for generated calls, so the two encode alike.
 */
import fc from "fast-check";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import type { paths } from "../../packages/client/src/generated/openapi.js";
import { createEvsClient, EvsApiError } from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";
import type { Handler } from "../support/client-kit.js";
import { json, recordingFetch, SNAPSHOT } from "../support/client-kit.js";
import { listOperations, loadBundledSpec } from "../support/spec.js";

const ENDPOINT = "https://evs.eu-de.otc.t-systems.com";

function setup(handler: Handler, retry: { attempts?: number; create?: boolean } = { attempts: 0 }) {
  const recorder = recordingFetch(handler);
  const evs = createEvsClient({
    endpoint: ENDPOINT,
    projectId: "p",
    auth: { token: "t0ken" },
    fetch: recorder.fetch,
    retry: { baseDelayMs: 1, ...retry },
  });
  return { raw: rawClient(evs), calls: recorder.calls };
}

describe("raw through the client's transport", () => {
  it("adds auth, keeps caller headers, refuses to let them override auth", async () => {
    const { raw, calls } = setup(() =>
      json({ count: 0, snapshots: [] }, 200, { "x-request-id": "r" }),
    );
    await expect(
      raw.GET("/v2/{project_id}/cloudsnapshots/detail", {
        params: { path: { project_id: "p" } },
        headers: { "X-Auth-Token": "other" },
      }),
    ).rejects.toMatchObject({ name: "EvsValidationError", field: "headers.x-auth-token" });
    await expect(
      raw.GET("/v2/{project_id}/cloudsnapshots/detail", {
        // @ts-expect-error the spec's header parameters are the auth headers: not raw's to set
        params: { path: { project_id: "p" }, header: { "X-Project-Id": "other" } },
      }),
    ).rejects.toMatchObject({ name: "EvsValidationError", field: "header" });
    expect(calls).toHaveLength(0);
    const { data, response } = await raw.GET("/v2/{project_id}/cloudsnapshots/detail", {
      params: { path: { project_id: "p" }, query: { limit: 5 } },
      headers: { Prefer: "code=200" },
    });
    expect(data).toEqual({ count: 0, snapshots: [] });
    expect(response.headers.get("x-request-id")).toBe("r");
    expect(await response.json()).toEqual({ count: 0, snapshots: [] });
    expect(calls[0]!.headers["x-auth-token"]).toBe("t0ken");
    expect(calls[0]!.headers.prefer).toBe("code=200");
    expect(calls[0]!.url).toBe(`${ENDPOINT}/v2/p/cloudsnapshots/detail?limit=5`);
  });

  it("returns openapi-fetch's {error} for non-2xx, after retries", async () => {
    const { raw, calls } = setup(
      (_c, i) =>
        i === 0 ? json({}, 503) : json({ error: { code: "EVS.5404", message: "nf" } }, 404),
      {},
    );
    const { data, error, response } = await raw.PUT("/v2/{project_id}/snapshots/{snapshot_id}", {
      params: { path: { project_id: "p", snapshot_id: "../x" } },
      body: { snapshot: { name: "n" } },
    });
    expect(response.status).toBe(404);
    expect(data).toBeUndefined();
    expect(error).toEqual({ error: { code: "EVS.5404", message: "nf" } });
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toBe(JSON.stringify({ snapshot: { name: "n" } }));
    expect(calls[1]!.headers["content-type"]).toBe("application/json");
    expect(new URL(calls[0]!.url).pathname).toBe("/v2/p/snapshots/..%2Fx");
  });

  it("does not retry raw POST unless create retries are on", async () => {
    for (const [create, attempts] of [
      [false, 1],
      [true, 2],
    ] as const) {
      const { raw, calls } = setup(() => json({}, 503), { attempts: 1, create });
      await raw.POST("/v2/{project_id}/cloudsnapshots", {
        params: { path: { project_id: "p" } },
        body: { snapshot: { volume_id: "v", force: false } },
      });
      expect(calls).toHaveLength(attempts);
    }
  });

  it("answers without a body: data (or error) undefined, and a Response without a body", async () => {
    const { raw } = setup((_c, i) => new Response(null, { status: i === 0 ? 204 : 500 }));
    const path = { project_id: "p", snapshot_id: SNAPSHOT.id };
    const done = await raw.DELETE("/v2/{project_id}/cloudsnapshots/{snapshot_id}", {
      params: { path },
    });
    expect(done).toMatchObject({ data: undefined, response: { status: 204, body: null } });
    const failed = await raw.DELETE("/v2/{project_id}/cloudsnapshots/{snapshot_id}", {
      params: { path },
    });
    expect(failed).toMatchObject({ error: undefined, response: { status: 500 } });
  });

  it("a non-JSON error body is the error as text; a non-JSON success is an EvsApiError", async () => {
    const { raw } = setup(
      (_c, i) =>
        new Response("<html><title>Bad gateway</title></html>", { status: i === 0 ? 502 : 200 }),
    );
    const params = { path: { project_id: "p" } };
    const { error } = await raw.GET("/v2/{project_id}/cloudsnapshots/detail", { params });
    expect(error).toBe("<html><title>Bad gateway</title></html>");
    const thrown = await raw
      .GET("/v2/{project_id}/cloudsnapshots/detail", { params })
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(EvsApiError);
    expect((thrown as EvsApiError).message).toMatch(/unexpected answer: the answer is not JSON/);
  });

  it("a GET or DELETE with a body is refused, not sent (fetch would refuse it and the retries would repeat that)", async () => {
    const { raw, calls } = setup(() => json({ snapshot: SNAPSHOT }), {});
    const params = { path: { project_id: "p", snapshot_id: "s" } };
    for (const call of [
      raw.GET("/v2/{project_id}/cloudsnapshots/{snapshot_id}", { params, body: {} } as never),
      raw.DELETE("/v2/{project_id}/cloudsnapshots/{snapshot_id}", { params, body: {} } as never),
    ])
      await expect(call).rejects.toMatchObject({ name: "EvsValidationError", field: "body" });
    expect(calls).toHaveLength(0);
  });

  it("reads the query once: what was checked is what is sent", async () => {
    const { raw, calls } = setup(() => json({ count: 0, snapshots: [] }));
    let reads = 0;
    const query = {
      get name() {
        reads++;
        return reads === 1 ? "ok" : "evil\u0007";
      },
    };
    await raw.GET("/v2/{project_id}/cloudsnapshots/detail", {
      params: { path: { project_id: "p" }, query } as never,
    });
    expect(reads).toBe(1);
    expect(new URL(calls[0]!.url).search).toBe("?name=ok");
  });

  it("refuses what it cannot send as given, before sending, naming the field", async () => {
    const { raw, calls } = setup(() => json({ snapshot: SNAPSHOT }));
    const path = { project_id: "p", snapshot_id: "s" };
    const cases: [init: unknown, field: string, message: RegExp][] = [
      [{ params: { path: { snapshot_id: "s" } } }, "project_id", /must be a non-empty string/],
      [
        { params: { path: { ...path, project_id: 7 } } },
        "project_id",
        /must be a non-empty string/,
      ],
      [{ params: { path: { ...path, snapshot_id: ".." } } }, "snapshot_id", /URL normalisation/],
      [{ params: { path: { ...path, project_id: "a\ud800" } } }, "project_id", /lone surrogate/],
      [{ params: { path, query: { limit: 1e21 } } }, "limit", /safe integer/],
      [{ params: { path, query: { name: { a: 1 } } } }, "name", /must be a string/],
      [{ params: { path, query: { name: ["ok", "a\u0007"] } } }, "name", /control/],
      [{ params: { path, cookie: {} } }, "cookie", /not an option of params/],
      [{ params: [] }, "params", /must be an object/],
      [{ params: { path }, body: { n: 1n } }, "body", /must be serialisable as JSON/],
      [{ params: { path }, body: () => ({}) }, "body", /must be serialisable as JSON/],
      [{ params: { path, query: { "a\ud800": "v" } } }, "params.query", /lone surrogate/],
      [{ params: { path, query: { name: Object.create(null) } } }, "name", /got object/],
      [
        {
          params: {
            path,
            query: {
              name: {
                toString: () => {
                  throw new Error("caller's");
                },
              },
            },
          },
        },
        "name",
        /got object/,
      ],
      [{ params: { path, query: { id: ["a", null] } } }, "id", /got object/],
      [{ params: { path, query: { id: ["a", undefined] } } }, "id", /got undefined/],
      ["p", "raw", /must be an object/],
    ];
    for (const [init, field, message] of cases) {
      await expect(
        raw.PUT("/v2/{project_id}/cloudsnapshots/{snapshot_id}", init as never),
      ).rejects.toMatchObject({
        name: "EvsValidationError",
        field,
        message: expect.stringMatching(message),
      });
    }
    expect(calls).toHaveLength(0);
  });
});

describe("raw takes the spec's operations and no other", () => {
  it("every operation of the spec is sent; any other method and path is refused before sending", async () => {
    const { raw, calls } = setup(() => json({ snapshot: SNAPSHOT }));
    const operations = listOperations(loadBundledSpec());
    expect(operations.length).toBeGreaterThan(0);
    const spec = new Set(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`));
    const params = { path: { project_id: "p", snapshot_id: "s" } };
    for (const method of ["GET", "PUT", "POST", "DELETE"] as const) {
      for (const path of [...new Set(operations.map((operation) => operation.path))]) {
        const send = raw[method] as (path: string, init: object) => Promise<unknown>;
        const call = send(path, { params });
        if (spec.has(`${method} ${path}`)) await call;
        else await expect(call).rejects.toMatchObject({ name: "EvsValidationError", field: "url" });
      }
    }
    const filled = (route: string) =>
      route.replace("{project_id}", "p").replace("{snapshot_id}", "s").replace(" ", ` ${ENDPOINT}`);
    expect(calls.map(({ method, url }) => `${method} ${url}`).sort()).toEqual(
      [...spec].map(filled).sort(),
    );
  });
});

describe("raw encodes like openapi-fetch", () => {
  /** What openapi-fetch's own runtime would send for the same call. */
  async function openapiFetchSends(method: "GET" | "PUT", url: string, init: object) {
    let sent: Request | undefined;
    const client = createClient<paths>({
      baseUrl: ENDPOINT,
      fetch: async (request: Request) => {
        sent = request;
        return json({ snapshot: SNAPSHOT });
      },
    });
    await (client[method] as (url: string, init: object) => Promise<unknown>)(url, init);
    return { url: sent!.url, body: sent!.body === null ? undefined : await sent!.text() };
  }

  const text = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
    .filter((s) => s !== "." && s !== ".." && !/\p{Cc}/u.test(s));
  const queryValue = fc.oneof(text, fc.integer(), fc.boolean(), fc.array(text, { maxLength: 3 }));

  it("path parameters, query values of every kind the spec has, and bodies (generated)", async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.dictionary(
          fc.constantFrom("id", "name", "status", "limit", "offset", "marker"),
          queryValue,
        ),
        fc.dictionary(fc.constantFrom("name", "description"), text),
        async (snapshotId, query, body) => {
          const { raw, calls } = setup(() => json({ snapshot: SNAPSHOT }));
          const detail = "/v2/{project_id}/cloudsnapshots/detail";
          const listInit = { params: { path: { project_id: "p" }, query } };
          await raw.GET(detail, listInit as never);
          const one = "/v2/{project_id}/cloudsnapshots/{snapshot_id}";
          const putInit = {
            params: { path: { project_id: "p", snapshot_id: snapshotId } },
            body: { snapshot: body },
          };
          await raw.PUT(one, putInit as never);
          // Compared as fetch parses a URL string for the wire, as it parses openapi-fetch's Request.
          const sent = calls.map(({ url, body }) => ({ url: new URL(url).href, body }));
          expect(sent).toEqual([
            await openapiFetchSends("GET", detail, listInit),
            await openapiFetchSends("PUT", one, putInit),
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
