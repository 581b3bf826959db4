// Unit tests of show, delete and rollback and of the waiters, on a recording fake fetch:
// what each call sends (method, path, body) on each family, how it is retried, what it
// refuses before sending, and how the waiters poll (one show request per poll).
import { describe, expect, it } from "vitest";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import type { SnapshotFamily } from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsApiError,
  EvsSnapshotFailedError,
  EvsTimeoutError,
  EvsValidationError,
  waitForSnapshot,
  waitForSnapshotDeleted,
} from "../../packages/client/src/index.js";
import type { Handler } from "../support/client-kit.js";
import { json, recordingFetch, SNAPSHOT, snapshot } from "../support/client-kit.js";
import { FAMILIES } from "../support/family-operations.js";

const ENDPOINT = "https://evs.eu-de.otc.t-systems.com";
const ID = SNAPSHOT.id;
const VOLUME = SNAPSHOT.volume_id;

function setup<F extends SnapshotFamily = "cloudsnapshots">(
  handler: Handler,
  family?: F,
  attempts = 0,
) {
  const recorder = recordingFetch(handler);
  const evs = createEvsClient<F>({
    endpoint: ENDPOINT,
    projectId: "p",
    auth: { token: "t0ken" },
    fetch: recorder.fetch,
    retry: { attempts, baseDelayMs: 1, maxDelayMs: 2 },
    ...(family ? { family } : {}),
  });
  return { evs, calls: recorder.calls };
}

const NATIVE_404 = () => json({ error: { code: "EVS.5404", message: "not found" } }, 404);
const FAULT_404 = () =>
  json({ itemNotFound: { code: 404, message: `Snapshot ${ID} could not be found.` } }, 404);
/** The 404 each family's service answers (native error, OpenStack fault). */
const notFoundOn = (family: SnapshotFamily) =>
  family === "cloudsnapshots" ? NATIVE_404() : FAULT_404();
const empty202 = () => new Response(null, { status: 202 });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe.each(FAMILIES)("show and delete, %s family", (family) => {
  it("getSnapshot GETs the snapshot's own path and returns the snapshot", async () => {
    const { evs, calls } = setup(() => json({ snapshot: snapshot(ID, "available") }), family);
    const shown = await evs.getSnapshot(ID);
    expect(shown).toMatchObject({ id: ID, status: "available" });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "GET", url: `${ENDPOINT}/v2/p/${family}/${ID}` });
    expect(calls[0]!.body).toBeUndefined();
  });

  it("getSnapshot encodes the ID as one path segment", async () => {
    const { evs, calls } = setup(() => json({ snapshot: snapshot("a/b?c") }), family);
    await evs.getSnapshot("a/b?c");
    expect(calls[0]!.url).toBe(`${ENDPOINT}/v2/p/${family}/a%2Fb%3Fc`);
  });

  it("a missing snapshot is an EvsApiError 404 in the family's envelope", async () => {
    const { evs } = setup(() => notFoundOn(family), family);
    const error = (await rejection(evs.getSnapshot(ID))) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error.status).toBe(404);
    if (family === "cloudsnapshots")
      expect(error).toMatchObject({ kind: "error", code: "EVS.5404" });
    else expect(error).toMatchObject({ kind: "itemNotFound", code: "404" });
  });

  it("getSnapshot refuses a 2xx answer without a snapshot object", async () => {
    const { evs } = setup(() => json({ snapshots: [] }), family);
    const error = (await rejection(evs.getSnapshot(ID))) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error.message).toContain("no `snapshot` object");
  });

  it("deleteSnapshot DELETEs the snapshot's path and resolves on 202 with no body", async () => {
    const { evs, calls } = setup(empty202, family);
    await expect(evs.deleteSnapshot(ID)).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "DELETE", url: `${ENDPOINT}/v2/p/${family}/${ID}` });
    expect(calls[0]!.body).toBeUndefined();
  });

  it("deleteSnapshot ignores whatever body a 2xx answer has", async () => {
    const { evs } = setup(() => new Response("not json", { status: 202 }), family);
    await expect(evs.deleteSnapshot(ID)).resolves.toBeUndefined();
  });

  it("deleteSnapshot refused by the service (400) is an EvsApiError", async () => {
    const { evs } = setup(
      () => json({ badRequest: { code: 400, message: "Snapshot status must be available" } }, 400),
      family,
    );
    const error = (await rejection(evs.deleteSnapshot(ID))) as EvsApiError;
    expect(error).toMatchObject({ status: 400, kind: "badRequest" });
  });

  it("show and delete are retried like update (idempotent)", async () => {
    for (const [call, ok] of [
      ["getSnapshot", () => json({ snapshot: snapshot(ID) })],
      ["deleteSnapshot", empty202],
    ] as const) {
      const { evs, calls } = setup((_c, i) => (i < 2 ? json({}, 503) : ok()), family, 3);
      await evs[call](ID);
      expect(calls, call).toHaveLength(3);
    }
  });

  it("show and delete refuse a bad ID before sending", async () => {
    const { evs, calls } = setup(empty202, family);
    for (const bad of ["", ".", "..", 7]) {
      for (const call of ["getSnapshot", "deleteSnapshot"] as const) {
        const error = (await rejection(evs[call](bad as string))) as EvsValidationError;
        expect(error).toBeInstanceOf(EvsValidationError);
        expect(error.field).toBe("snapshot_id");
      }
    }
    expect(calls).toHaveLength(0);
  });
});

describe("rollbackSnapshot", () => {
  it("POSTs {rollback} to …/rollback and returns the answer's rollback", async () => {
    const { evs, calls } = setup(() => json({ rollback: { volume_id: VOLUME } }, 202));
    const result = await evs.rollbackSnapshot(ID, { volume_id: VOLUME, name: "data-disk-01" });
    expect(result).toEqual({ volume_id: VOLUME });
    expect(calls[0]).toMatchObject({
      method: "POST",
      url: `${ENDPOINT}/v2/p/cloudsnapshots/${ID}/rollback`,
    });
    expect(JSON.parse(calls[0]!.body!)).toEqual({
      rollback: { volume_id: VOLUME, name: "data-disk-01" },
    });
    expect(calls[0]!.headers["content-type"]).toBe("application/json");
  });

  it("is not retried by default (not idempotent), and is when the call opts in", async () => {
    const fails = setup(() => json({}, 503), "cloudsnapshots", 3);
    await expect(fails.evs.rollbackSnapshot(ID, { volume_id: VOLUME })).rejects.toBeInstanceOf(
      EvsApiError,
    );
    expect(fails.calls).toHaveLength(1);

    const optedIn = setup(
      (_c, i) => (i === 0 ? json({}, 503) : json({ rollback: { volume_id: VOLUME } }, 202)),
      "cloudsnapshots",
      3,
    );
    await optedIn.evs.rollbackSnapshot(ID, { volume_id: VOLUME }, { retry: true });
    expect(optedIn.calls).toHaveLength(2);
  });

  it("refuses an answer without a rollback object", async () => {
    const { evs } = setup(() => json({ snapshot: SNAPSHOT }, 202));
    const error = (await rejection(evs.rollbackSnapshot(ID, { volume_id: VOLUME }))) as EvsApiError;
    expect(error.message).toContain("no `rollback` object");
  });

  it("is refused on the compatible family, which has none in the spec, before sending", async () => {
    const { evs, calls } = setup(() => json({ rollback: { volume_id: VOLUME } }), "snapshots");
    expect(Object.keys(specFacts.familyOperations.snapshots)).not.toContain("rollbackSnapshot");
    const error = (await rejection(
      evs.rollbackSnapshot(ID, { volume_id: VOLUME } as never),
    )) as EvsValidationError;
    expect(error).toBeInstanceOf(EvsValidationError);
    expect(error.field).toBe("family");
    expect(error.message).toBe("family snapshots has no rollbackSnapshot");
    expect(calls).toHaveLength(0);
  });

  // Bodies the spec's RollbackSnapshotOption refuses, with the field the error names.
  const INVALID: [string, unknown, string, RegExp][] = [
    ["no body", undefined, "rollback", /must be an object/],
    ["an array", [VOLUME], "rollback", /must be an object/],
    ["no volume_id", { name: "n" }, "volume_id", /is required/],
    ["null volume_id", { volume_id: null }, "volume_id", /is required/],
    ["a blank volume_id", { volume_id: " \t" }, "volume_id", /must be a non-empty string/],
    ["an empty volume_id", { volume_id: "" }, "volume_id", /must be a non-empty string/],
    ["a numeric volume_id", { volume_id: 5 }, "volume_id", /must be a string/],
    ["a numeric name", { volume_id: VOLUME, name: 5 }, "name", /must be a string/],
    [
      "a name of 256 bytes",
      { volume_id: VOLUME, name: "é".repeat(128) },
      "name",
      /is 256 bytes of UTF-8 \(max 255\)/,
    ],
    [
      "an unknown field",
      { volume_id: VOLUME, force: true },
      "force",
      /is not a rollback field \(allowed: volume_id, name\)/,
    ],
  ];
  it.each(INVALID)(
    "refuses %s before sending, naming the field",
    async (_name, body, field, message) => {
      const { evs, calls } = setup(() => json({ rollback: { volume_id: VOLUME } }, 202));
      const error = (await rejection(
        evs.rollbackSnapshot(ID, body as never),
      )) as EvsValidationError;
      expect(error).toBeInstanceOf(EvsValidationError);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
      expect(error.message.startsWith(field)).toBe(true);
      expect(calls).toHaveLength(0);
    },
  );

  it("accepts a name of exactly 255 bytes", async () => {
    const { evs, calls } = setup(() => json({ rollback: { volume_id: VOLUME } }, 202));
    await evs.rollbackSnapshot(ID, { volume_id: VOLUME, name: `${"é".repeat(127)}x` });
    expect(calls).toHaveLength(1);
  });
});

describe.each(FAMILIES)("waitForSnapshot, %s family", (family) => {
  it("polls with show, exactly one request per poll, until the status is reached", async () => {
    const statuses = ["creating", "creating", "available"];
    const { evs, calls } = setup(
      (_c, i) => json({ snapshot: snapshot(ID, statuses[i] ?? "available") }),
      family,
    );
    const done = await waitForSnapshot(evs, ID, { intervalMs: 1 });
    expect(done.status).toBe("available");
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(
      statuses.map(() => `GET ${ENDPOINT}/v2/p/${family}/${ID}`),
    );
  });

  it("fails fast on error and error_deleting (the spec's x-failure-statuses), saying the status", async () => {
    expect(specFacts.failureStatuses).toEqual(["error", "error_deleting"]);
    for (const status of specFacts.failureStatuses) {
      const { evs, calls } = setup(() => json({ snapshot: snapshot(ID, status) }), family);
      const error = (await rejection(
        waitForSnapshot(evs, ID, { intervalMs: 1 }),
      )) as EvsSnapshotFailedError;
      expect(error).toBeInstanceOf(EvsSnapshotFailedError);
      expect(error.status).toBe(status);
      expect(error.message).toContain(status);
      expect(calls).toHaveLength(1);
    }
  });

  it("can wait for several statuses, including an unknown future one", async () => {
    const { evs } = setup(() => json({ snapshot: snapshot(ID, "frozen-new-status") }), family);
    const done = await waitForSnapshot(evs, ID, {
      status: ["available", "frozen-new-status"],
      intervalMs: 1,
    });
    expect(done.status).toBe("frozen-new-status");
  });

  it("times out with the last status seen", async () => {
    const { evs } = setup(() => json({ snapshot: snapshot(ID, "creating") }), family);
    const error = (await rejection(
      waitForSnapshot(evs, ID, { timeoutMs: 20, intervalMs: 2 }),
    )) as EvsTimeoutError;
    expect(error).toBeInstanceOf(EvsTimeoutError);
    expect(error).toMatchObject({ reason: "timeout", lastStatus: "creating", snapshotId: ID });
    expect(error.message).toContain("last status seen: creating");
  });

  it("keeps polling a snapshot that is not found yet, and says so on timeout", async () => {
    const { evs, calls } = setup(() => notFoundOn(family), family);
    const error = (await rejection(
      waitForSnapshot(evs, ID, { timeoutMs: 20, intervalMs: 2 }),
    )) as EvsTimeoutError;
    expect(error.lastStatus).toBeUndefined();
    expect(error.message).toContain("none (not found)");
    expect(calls.length).toBeGreaterThan(1);
  });

  it("honours an AbortSignal", async () => {
    const controller = new AbortController();
    const { evs } = setup(() => {
      setTimeout(() => controller.abort(), 1);
      return json({ snapshot: snapshot(ID, "creating") });
    }, family);
    const error = (await rejection(
      waitForSnapshot(evs, ID, { intervalMs: 60_000, signal: controller.signal }),
    )) as EvsTimeoutError;
    expect(error).toMatchObject({ reason: "aborted", lastStatus: "creating" });
  });

  it("propagates any other API error from a poll", async () => {
    const { evs } = setup(() => json({ error: { code: "EVS.0003", message: "no roles" } }, 403));
    await expect(waitForSnapshot(evs, ID, { intervalMs: 1 })).rejects.toBeInstanceOf(EvsApiError);
  });
});

describe.each(FAMILIES)("waitForSnapshotDeleted, %s family", (family) => {
  it("polls with show, one request per poll, and ends at the 404", async () => {
    const answers = [
      () => json({ snapshot: snapshot(ID, "deleting") }),
      () => json({ snapshot: snapshot(ID, "deleting") }),
      () => notFoundOn(family),
    ];
    const { evs, calls } = setup((_c, i) => answers[i]!(), family);
    await expect(waitForSnapshotDeleted(evs, ID, { intervalMs: 1 })).resolves.toBeUndefined();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(
      answers.map(() => `GET ${ENDPOINT}/v2/p/${family}/${ID}`),
    );
  });

  it("fails fast on error_deleting and error, with the last status", async () => {
    for (const status of ["error_deleting", "error"]) {
      const { evs, calls } = setup(() => json({ snapshot: snapshot(ID, status) }), family);
      const error = (await rejection(
        waitForSnapshotDeleted(evs, ID, { intervalMs: 1 }),
      )) as EvsSnapshotFailedError;
      expect(error).toBeInstanceOf(EvsSnapshotFailedError);
      expect(error).toMatchObject({ snapshotId: ID, status });
      expect(error.message).toContain(`"${status}"`);
      expect(calls).toHaveLength(1);
    }
  });

  it("times out with the last status when the snapshot never goes", async () => {
    const { evs } = setup(() => json({ snapshot: snapshot(ID, "deleting") }), family);
    const error = (await rejection(
      waitForSnapshotDeleted(evs, ID, { timeoutMs: 20, intervalMs: 2 }),
    )) as EvsTimeoutError;
    expect(error).toMatchObject({ reason: "timeout", lastStatus: "deleting", snapshotId: ID });
    expect(error.message).toContain("gone (404)");
  });

  // A 404 that EVS did not send (the gateway's, a proxy's HTML page for a wrong endpoint)
  // says nothing about the snapshot: it must not pass for a finished deletion.
  it.each([
    [
      "the API gateway's",
      () => json({ error_code: "APIG.0101", error_msg: "API not found", request_id: "r" }, 404),
    ],
    ["an HTML page", () => new Response("<h1>Not Found</h1>", { status: 404 })],
    [
      "the native envelope with a code other than the spec's not-found code",
      () => json({ error: { code: "EVS.2024", message: "volume not found" } }, 404),
    ],
  ])("a 404 in %s shape is thrown, not taken as gone", async (_name, answer) => {
    const { evs } = setup(answer, family);
    const error = (await rejection(
      waitForSnapshotDeleted(evs, ID, { intervalMs: 1 }),
    )) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error.status).toBe(404);
  });

  it("refuses a bad ID and bad options before sending", async () => {
    const { evs, calls } = setup(() => notFoundOn(family), family);
    await expect(waitForSnapshotDeleted(evs, "")).rejects.toBeInstanceOf(EvsValidationError);
    await expect(waitForSnapshotDeleted(evs, ID, { timeoutMs: -1 })).rejects.toBeInstanceOf(
      EvsValidationError,
    );
    expect(calls).toHaveLength(0);
  });
});
