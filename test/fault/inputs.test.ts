// Issue 9, points 6, 9 and 11: input is refused before sending with EvsValidationError
// (lone surrogates, control characters, unsafe integers, `.`/`..` path parameters of raw),
// plain http only to literal loopback, and per-call headers on every method with the auth
// headers kept the transport's. Generated inputs; a recording fetch proves nothing was sent.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import type {
  EvsClient,
  SnapshotFamily,
  SnapshotOperationName,
} from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsValidationError,
  iterateSnapshots,
  waitForSnapshot,
} from "../../packages/client/src/index.js";
import { AUTH_HEADER_NAMES } from "../../packages/client/src/internal/auth.js";
import { FETCH_HEADER_NAMES } from "../../packages/client/src/internal/checks.js";
import { rawClient } from "../../packages/client/src/raw.js";
import { json, recordingFetch, SNAPSHOT, snapshot } from "../support/client-kit.js";

const SEED = 6_6;

function setup(family: SnapshotFamily = "cloudsnapshots") {
  const { fetch, calls } = recordingFetch((call) =>
    call.url.endsWith("/rollback")
      ? json({ rollback: { volume_id: SNAPSHOT.volume_id } }, 202)
      : call.method !== "GET"
        ? json({ snapshot: SNAPSHOT }, call.method === "POST" ? 202 : 200)
        : new URL(call.url).pathname.endsWith("/detail")
          ? json({ count: 1, snapshots: [snapshot("s1")] })
          : json({ snapshot: { ...SNAPSHOT, id: "s1", status: "available" } }),
  );
  const evs = createEvsClient({
    endpoint: "https://evs.example.com",
    projectId: "p1",
    auth: { token: "input-token" },
    family,
    fetch,
    retry: { attempts: 0 },
  });
  return { evs: evs as EvsClient<SnapshotFamily>, calls };
}

async function refusal(call: () => unknown): Promise<EvsValidationError> {
  let error: unknown;
  try {
    await call();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(EvsValidationError);
  return error as EvsValidationError;
}

/** Text with at least one lone surrogate or control character somewhere. */
const URL_UNSAFE = fc
  .tuple(
    fc.string({ maxLength: 10 }),
    fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x7f, max: 0x9f }).map((code) => String.fromCharCode(code)),
    ),
    fc.string({ maxLength: 10 }),
  )
  .map(([a, bad, b]) => a + bad + b)
  .filter((text) => /[\p{Cc}\p{Cs}]/u.test(text));

describe("6. bad input is refused before sending", () => {
  test("lone surrogates and control characters in IDs and filters", async () => {
    await fc.assert(
      fc.asyncProperty(
        URL_UNSAFE,
        fc.constantFrom(
          "update id",
          "wait id",
          "name filter",
          "id filter",
          "volume_id",
          "raw path",
        ),
        async (bad, where) => {
          const { evs, calls } = setup();
          const error = await refusal(() => {
            switch (where) {
              case "update id":
                return evs.updateSnapshot(bad, { name: "n" });
              case "wait id":
                return waitForSnapshot(evs, bad, { timeoutMs: 10 });
              case "name filter":
                return evs.listSnapshots({ name: bad });
              case "id filter":
                return evs.listSnapshots({ id: ["ok", bad] });
              case "volume_id":
                return evs.createSnapshot({ volume_id: bad });
              case "raw path":
                return rawClient(evs).PUT("/v2/{project_id}/cloudsnapshots/{snapshot_id}", {
                  params: { path: { project_id: "p1", snapshot_id: bad } },
                  body: { snapshot: { name: "n" } },
                });
            }
          });
          expect(error.message).toMatch(/lone surrogate|control characters/);
          expect(calls).toHaveLength(0);
        },
      ),
      { numRuns: 200, seed: SEED },
    );
  });

  test("numbers that are not safe integers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.double({ min: 2 ** 53, max: 1e300, noNaN: true }),
          fc.constantFrom(1e21, Number.NaN, Number.POSITIVE_INFINITY, 0.5),
          fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
        ),
        fc.constantFrom("offset", "limit"),
        fc.boolean(),
        async (value, key, viaRaw) => {
          const { evs, calls } = setup();
          await refusal(() =>
            viaRaw
              ? rawClient(evs).GET("/v2/{project_id}/cloudsnapshots/detail", {
                  params: { path: { project_id: "p1" }, query: { [key]: value } },
                })
              : evs.listSnapshots({ [key]: value }),
          );
          expect(calls).toHaveLength(0);
        },
      ),
      { numRuns: 150, seed: SEED },
    );
  });

  test("raw path parameters . and .. (normalisation would move the request and its credentials)", async () => {
    for (const bad of [".", ".."]) {
      for (const param of ["project_id", "snapshot_id"] as const) {
        const { evs, calls } = setup();
        const error = await refusal(() =>
          rawClient(evs).PUT("/v2/{project_id}/cloudsnapshots/{snapshot_id}", {
            params: { path: { project_id: "p1", snapshot_id: "s1", [param]: bad } },
            body: { snapshot: { name: "n" } },
          }),
        );
        expect(error.field).toBe(param);
        expect(calls).toHaveLength(0);
      }
    }
  });
});

describe("9. plain http only to literal loopback", () => {
  const connect = (endpoint: string) =>
    createEvsClient({ endpoint, projectId: "p", auth: { token: "loop-token" } });

  test("any 127.0.0.0/8 address, ::1 and the exact name localhost are allowed", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)),
        fc.nat(65_535),
        ([a, b, c], port) => {
          expect(connect(`http://127.${a}.${b}.${c}:${port}`).endpoint).toMatch(/^http:\/\/127\./);
        },
      ),
      { numRuns: 100, seed: SEED },
    );
    expect(connect("http://localhost:4010").endpoint).toBe("http://localhost:4010");
    expect(connect("http://[::1]:4010").endpoint).toBe("http://[::1]:4010");
  });

  test("names that only look local, and other addresses, are refused over http", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(
        fc.oneof(
          label.map((l) => `${l}.localhost`),
          label.map((l) => `localhost.${l}`),
          fc.constant("localhost."),
          label.map((l) => `127.0.0.1.${l}`),
          fc
            .tuple(fc.integer({ min: 0, max: 255 }), fc.nat(255))
            .filter(([a]) => a !== 127)
            .map(([a, b]) => `${a}.0.0.${b}`),
          fc.constant("[::ffff:127.0.0.1]"),
          fc.constant("[::2]"),
        ),
        (host) => {
          expect(() => connect(`http://${host}:4010`)).toThrow(EvsValidationError);
        },
      ),
      { numRuns: 150, seed: SEED },
    );
  });
});

describe("11. per-call headers on every method; the auth headers stay the transport's", () => {
  type HeaderCall = (
    evs: EvsClient<SnapshotFamily>,
    headers: Record<string, string>,
  ) => Promise<unknown>;
  // Keyed by the operation names spec-facts derives from the spec: an operation the spec
  // adds without a call here fails the type check.
  const OPERATIONS: Record<SnapshotOperationName, HeaderCall> = {
    createSnapshot: (evs, headers) => evs.createSnapshot({ volume_id: "v" }, { headers }),
    listSnapshots: (evs, headers) => evs.listSnapshots({}, { headers }),
    updateSnapshot: (evs, headers) => evs.updateSnapshot("s1", { name: "n" }, { headers }),
    getSnapshot: (evs, headers) => evs.getSnapshot("s1", { headers }),
    deleteSnapshot: (evs, headers) => evs.deleteSnapshot("s1", { headers }),
    rollbackSnapshot: (evs, headers) =>
      (evs as EvsClient).rollbackSnapshot("s1", { volume_id: "v1" }, { headers }),
  };
  const METHODS: [string, HeaderCall][] = [
    ...Object.entries(OPERATIONS),
    [
      "iterateSnapshots",
      async (evs, headers) => {
        for await (const _ of iterateSnapshots(evs, {}, { headers })) break;
      },
    ],
    ["waitForSnapshot", (evs, headers) => waitForSnapshot(evs, "s1", { headers, intervalMs: 1 })],
    [
      "raw",
      (evs, headers) =>
        rawClient(evs).GET("/v2/{project_id}/cloudsnapshots/detail", {
          params: { path: { project_id: "p1" } },
          headers,
        }),
    ],
  ];
  const HEADER_NAME = fc.stringMatching(/^x-[a-z0-9-]{1,20}$/);
  const HEADER_VALUE = fc.stringMatching(/^[!-~]{1,40}$/);

  test.each(METHODS)("%s sends the caller's headers", async (_name, call) => {
    await fc.assert(
      fc.asyncProperty(HEADER_NAME, HEADER_VALUE, async (name, value) => {
        const { evs, calls } = setup();
        await call(evs, { [name]: value, Prefer: "code=200" });
        expect(calls.length).toBeGreaterThan(0);
        for (const sent of calls) {
          expect(sent.headers[name]).toBe(value);
          expect(sent.headers.prefer).toBe("code=200");
          expect(sent.headers["x-auth-token"]).toBe("input-token");
        }
      }),
      { numRuns: 10, seed: SEED },
    );
  });

  test.each(METHODS)(
    "%s refuses an auth or fetch-owned header in any letter case, and bad values",
    async (_name, call) => {
      const AUTH = fc
        // The auth headers, and fetch's own (it drops a per-call value, or refuses it).
        .constantFrom(...AUTH_HEADER_NAMES, ...FETCH_HEADER_NAMES)
        .chain((name) =>
          fc
            .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
            .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join("")),
        );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            AUTH.map((name) => ({ [name]: "x" })),
            fc.constantFrom<Record<string, string>>(
              { "x-ok": "a\r\nb" },
              { "x-ok": "\u0000" },
              { "bad name": "v" },
              { "x-ok": "😀" },
            ),
          ),
          async (headers) => {
            const { evs, calls } = setup();
            const error = await refusal(() => call(evs, headers));
            expect(error.field).toMatch(/^headers/);
            expect(calls).toHaveLength(0);
          },
        ),
        { numRuns: 20, seed: SEED },
      );
    },
  );

  test("AK/SK: per-call headers are signed with the request", async () => {
    const { fetch, calls } = recordingFetch(() => json({ count: 0, snapshots: [] }));
    const evs = createEvsClient({
      endpoint: "https://evs.example.com",
      projectId: "p1",
      auth: akSk({ accessKey: "AK", secretKey: "SK-secret" }),
      fetch,
    });
    await evs.listSnapshots({}, { headers: { "X-Trace-Id": "t-1" } });
    expect(calls[0]!.headers["x-trace-id"]).toBe("t-1");
    expect(calls[0]!.headers.authorization).toMatch(/SignedHeaders=[^,]*x-trace-id/);
  });
});
