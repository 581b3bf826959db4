// Fault injection: 1,200 client calls against a server that resets connections, answers 503
// with Retry-After, stalls past the time limit, cuts JSON short and sends HTML error pages,
// each chosen from a fixed seed. Every call must end in correct data or in one of the
// client's own error classes with a message, matching what the server last did to it;
// creates are never repeated without opt-in; nothing is left unhandled or open.
import { beforeAll, describe, expect, test } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import type { EvsClient, SnapshotFamily } from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsApiError,
  EvsNetworkError,
  EvsTimeoutError,
} from "../../packages/client/src/index.js";
import { createSpecValidators } from "../support/schema.js";
import type { ResourceCounts } from "./active-resources.js";
import { countResources, resourcesAfterSettling } from "./active-resources.js";
import type { Behaviour, HostileServer } from "./hostile-server.js";
import { startHostileServer } from "./hostile-server.js";
import { mulberry32, weightedPick } from "./prng.js";
import { PROJECT_ID } from "./snapshots.js";

const SEED = 0x5eed_0e75;
const CALLS = 1_200;
const CONCURRENCY = 8;
const FAULTS: Record<Behaviour, number> = {
  ok: 58,
  reset: 8,
  unavailable: 10,
  stall: 4,
  truncated: 10,
  html: 10,
};
const OPERATIONS = { list: 45, update: 40, create: 15 } as const;
// Small limits keep the run to seconds: a stall costs one time limit, a retry almost nothing.
// The time limit still leaves a proper answer ample time on a busy machine.
const CLIENT_LIMITS = { timeoutMs: 500, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } };

type Operation = keyof typeof OPERATIONS;
interface PlannedCall {
  operation: Operation;
  family: SnapshotFamily;
  /** What the server files the call under (see hostile-server.ts). */
  callId: string;
  run(client: EvsClient<SnapshotFamily>): Promise<unknown>;
}
interface Outcome {
  call: PlannedCall;
  value?: unknown;
  error?: unknown;
}

const validators = createSpecValidators();
const isSnapshot = validators.component("Snapshot");
const isNativeListItem = validators.component("NativeSnapshotListItem");

function plan(): PlannedCall[] {
  const random = mulberry32(SEED);
  return Array.from({ length: CALLS }, (_, i): PlannedCall => {
    const operation = weightedPick(random, OPERATIONS);
    const family: SnapshotFamily = i % 2 === 0 ? "cloudsnapshots" : "snapshots";
    switch (operation) {
      case "list":
        return {
          operation,
          family,
          callId: `list-${i}`,
          run: (evs) => evs.listSnapshots({ name: `list-${i}` }),
        };
      case "update":
        return {
          operation,
          family,
          callId: `snap-${i}`,
          run: (evs) => evs.updateSnapshot(`snap-${i}`, { name: `renamed-${i}` }),
        };
      case "create":
        return {
          operation,
          family,
          callId: `create-${i}`,
          run: (evs) => evs.createSnapshot({ volume_id: `vol-${i}`, name: `create-${i}` }),
        };
    }
  });
}

/** Why a successful answer is wrong, or undefined when it is the data the server sent. */
function wrongData({ call, value }: Outcome): string | undefined {
  const i = call.callId.split("-").pop();
  if (call.operation === "list") {
    const page = value as { count?: number; snapshots: { name: string }[] };
    const valid = call.family === "cloudsnapshots" ? isNativeListItem : isSnapshot;
    if (page.snapshots.length !== 1 || page.snapshots[0]?.name !== call.callId)
      return `wrong page ${JSON.stringify(page)}`;
    if (!valid(page.snapshots[0]).valid) return "list item does not match the spec";
    if (call.family === "cloudsnapshots" && page.count !== 1) return `count ${page.count}`;
    return undefined;
  }
  const snapshot = value as { id: string; name: string; volume_id: string };
  if (!isSnapshot(snapshot).valid) return "snapshot does not match the spec";
  if (
    call.operation === "update" &&
    (snapshot.id !== call.callId || snapshot.name !== `renamed-${i}`)
  )
    return `wrong snapshot ${snapshot.id}`;
  if (
    call.operation === "create" &&
    (snapshot.name !== call.callId || snapshot.volume_id !== `vol-${i}`)
  )
    return `wrong snapshot ${snapshot.name}`;
  return undefined;
}

/** What the call must have ended with, given the last thing the server did to it. */
const EXPECTED_ERROR: Record<Exclude<Behaviour, "ok">, new (...args: never[]) => Error> = {
  reset: EvsNetworkError,
  unavailable: EvsApiError,
  stall: EvsTimeoutError,
  truncated: EvsApiError,
  html: EvsApiError,
};

async function runAll(
  calls: PlannedCall[],
  clients: Record<SnapshotFamily, EvsClient<SnapshotFamily>>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < calls.length) {
      const call = calls[next++]!;
      try {
        outcomes.push({ call, value: await call.run(clients[call.family]) });
      } catch (error) {
        outcomes.push({ call, error });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return outcomes;
}

describe("the client against a hostile server (seed 0x5eed0e75)", () => {
  let server: HostileServer;
  let outcomes: Outcome[];
  const unhandled: unknown[] = [];
  const recordUnhandled = (reason: unknown) => unhandled.push(reason);
  let baseline: ResourceCounts;
  let leftover: ResourceCounts;

  beforeAll(async () => {
    baseline = countResources();
    process.on("unhandledRejection", recordUnhandled);
    server = await startHostileServer(SEED, FAULTS);
    try {
      const common = { endpoint: server.url, projectId: PROJECT_ID, ...CLIENT_LIMITS };
      const clients: Record<SnapshotFamily, EvsClient<SnapshotFamily>> = {
        cloudsnapshots: createEvsClient({
          ...common,
          family: "cloudsnapshots",
          auth: { token: "fault-token" },
        }),
        snapshots: createEvsClient({
          ...common,
          family: "snapshots",
          auth: akSk({ accessKey: "FAULTAK0000000000001", secretKey: "fault-secret-key" }),
        }),
      };
      outcomes = await runAll(plan(), clients);
      // Let any stray rejection surface before the listener goes.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", recordUnhandled);
      await server.close();
    }
    leftover = await resourcesAfterSettling(baseline);
  }, 120_000);

  test("ran every planned call, and the server served every kind of fault", () => {
    expect(outcomes).toHaveLength(CALLS);
    const served = new Set([...server.served.values()].flat());
    expect([...served].sort()).toEqual(Object.keys(FAULTS).sort());
    expect(outcomes.filter((o) => "value" in o).length).toBeGreaterThan(CALLS / 3);
    expect(outcomes.filter((o) => "error" in o).length).toBeGreaterThan(CALLS / 10);
  });

  test("each call returned the correct data or the error class matching its last fault, with a message", () => {
    const wrong: string[] = [];
    for (const outcome of outcomes) {
      const { call } = outcome;
      const history = server.served.get(call.callId) ?? [];
      const last = history.at(-1);
      const where = `${call.operation} ${call.family} ${call.callId} (served ${history.join(", ") || "nothing"})`;
      if (last === undefined) wrong.push(`${where}: never reached the server`);
      else if (last === "ok") {
        const problem = "error" in outcome ? `threw ${String(outcome.error)}` : wrongData(outcome);
        if (problem) wrong.push(`${where}: ${problem}`);
      } else {
        const error = outcome.error;
        const expected = EXPECTED_ERROR[last];
        if (!(error instanceof expected))
          wrong.push(
            `${where}: expected ${expected.name}, got ${"error" in outcome ? String(error) : "data"}`,
          );
        else if (error.message.trim() === "")
          wrong.push(`${where}: ${expected.name} without a message`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("no create name arrived twice (creates are not retried without opt-in)", () => {
    const creates = outcomes.filter((o) => o.call.operation === "create").length;
    expect(server.createsByName.size).toBe(creates);
    expect([...server.createsByName].filter(([, count]) => count > 1)).toEqual([]);
  });

  test("list and update were retried after transient faults", () => {
    const retried = [...server.served]
      .filter(([id]) => !id.startsWith("create-"))
      .filter(([, history]) => history.length > 1);
    expect(retried.length).toBeGreaterThan(0);
  });

  test("no unhandled rejection during the run", () => {
    expect(unhandled.map(String)).toEqual([]);
  });

  test("no socket, server or timer left open once the server has closed", () => {
    // The baseline may hold Vitest's own timers (e.g. the hook's time limit), gone by now.
    const above = Object.entries(leftover).filter(
      ([type, count]) => count > baseline[type as keyof ResourceCounts],
    );
    expect(above).toEqual([]);
  });
});
