// Whole flows through Prism into the stateful emulator, on both path families, with the
// real client and with raw HTTP: create → wait → list → paginate thousands → update →
// 404s; show, delete and rollback with their state rules; AK/SK; fault rules seen by the
// client as typed errors; Prefer. Every answer is checked for Prism response violations.

import { DEFAULT_CREDENTIALS, type RunningMock, startMock } from "@evs-toolkit/mock";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { akSk, signRequest } from "../../packages/client/src/aksk.js";
import {
  createEvsClient,
  EvsApiError,
  EvsNetworkError,
  EvsTimeoutError,
  iterateSnapshots,
  type SnapshotFamily,
  waitForSnapshot,
  waitForSnapshotDeleted,
} from "../../packages/client/src/index.js";
import { loadSpec } from "../../packages/mock/src/spec.js";
import { FAMILIES, operationIdOf } from "../support/family-operations.js";
import { controlAnswerProblems, recordControlAnswers } from "./control-api.js";
import {
  type Answer,
  call,
  eventually,
  recordingFetch,
  responseViolations,
  tokenFor,
  VOLUME,
} from "./support.js";

let mock: RunningMock;
const recorder = recordingFetch();
const rawAnswers: Answer[] = [];
const raw = async (...args: Parameters<typeof call>) => {
  const answer = await call(...args);
  rawAnswers.push(answer);
  return answer;
};

// Every control API answer the flows produce (reset, seed, advance, faults, …) is checked
// against control-api.yaml at the end.
const controlAnswers = recordControlAnswers();
beforeAll(async () => {
  mock = await startMock({ mode: "stateful", port: 0, seed: "flows", transitionMs: 400 });
});
afterAll(async () => {
  await mock?.stop();
  controlAnswers.stop();
  expect(controlAnswers.answers.length).toBeGreaterThan(10);
  expect(controlAnswers.answers.flatMap(controlAnswerProblems)).toEqual([]);
});

// The families and which is native, from the spec (the operation each family's create is).
const mockSpec = loadSpec();
const FAMILY_CASES = FAMILIES.map((family) => {
  const create = mockSpec.operations.find(
    (op) => op.operationId === operationIdOf(family, "createSnapshot"),
  )!;
  return {
    family,
    suffix: create.operationId.slice(create.action.length),
    native: create.family === "native",
  };
});

const client = (projectId: string, family: SnapshotFamily, extra = {}) =>
  createEvsClient({
    endpoint: mock.url,
    projectId,
    family,
    auth: { token: tokenFor(projectId)["X-Auth-Token"] },
    fetch: recorder.fetch,
    retry: { attempts: 0 },
    ...extra,
  });

describe.each(FAMILY_CASES)("the $family family", ({ family, suffix, native }) => {
  const project = `flows-${family}`;

  test("create answers creating; the snapshot becomes available and is listed with its name and count", async () => {
    const evs = client(project, family);
    const created = await evs.createSnapshot({
      volume_id: VOLUME,
      name: "nightly",
      description: "first",
    });
    expect(created).toMatchObject({ status: "creating", name: "nightly", volume_id: VOLUME });
    expect(created.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(created.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    const ready = await waitForSnapshot(evs, created.id, { intervalMs: 50, timeoutMs: 5000 });
    expect(ready.status).toBe("available");
    const page = await evs.listSnapshots({ name: "nightly" });
    expect(page.snapshots.map((s) => s.id)).toEqual([created.id]);
    if (native) expect((page as { count?: number }).count).toBe(1);
    else expect(page).not.toHaveProperty("count");
  });

  test("thousands of seeded snapshots page completely, newest first, by offset and by marker", async () => {
    const seeded = `${project}-many`;
    const { created, ids } = await mock.seed({
      project_id: seeded,
      count: 2500,
      volume_ids: [VOLUME],
    });
    expect(created).toBe(2500);
    const evs = client(seeded, family);
    const walked: string[] = [];
    for await (const snapshot of iterateSnapshots(evs, { limit: 1000 })) walked.push(snapshot.id);
    expect(walked).toHaveLength(2500);
    expect(new Set(walked).size).toBe(2500);
    // Newest first; `ids` are the first 1,000 seeded, oldest first.
    expect(walked.at(-1)).toBe(ids[0]);
    expect(walked[2500 - 1000]).toBe(ids[999]);

    const base = `/v2/${seeded}/${family}/detail`;
    const first = await raw(mock.url, "GET", `${base}?limit=1000`);
    const body = first.body as {
      count?: number;
      snapshots: { id: string }[];
      snapshots_links?: { href: string }[];
    };
    expect(body.snapshots).toHaveLength(1000);
    if (native) expect(body.count).toBe(2500);
    // The backend's quirk: an internal address, and the compatible family's path on both.
    const next = new URL(body.snapshots_links![0]!.href);
    expect(next.origin).toBe("https://172.28.9.185:8776");
    expect(next.pathname).toBe(`/v2/${seeded}/snapshots/detail`);
    expect(next.searchParams.get("marker")).toBe(body.snapshots[999]!.id);
    if (native) {
      const second = await raw(mock.url, "GET", `${base}?limit=1000&offset=2000`);
      const tail = second.body as { snapshots: { id: string }[]; snapshots_links?: unknown };
      expect(tail.snapshots.map((s) => s.id)).toEqual(walked.slice(2000));
      expect(tail.snapshots_links).toBeUndefined(); // a page short of the limit has no next link
    } else {
      const second = await raw(
        mock.url,
        "GET",
        `${base}?limit=1000&marker=${next.searchParams.get("marker")}`,
      );
      expect((second.body as { snapshots: { id: string }[] }).snapshots.map((s) => s.id)).toEqual(
        walked.slice(1000, 2000),
      );
      const unknown = await raw(
        mock.url,
        "GET",
        `${base}?marker=00000000-0000-4000-8000-000000000000`,
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ badRequest: { code: 400 } });
    }
    const none = await raw(mock.url, "GET", `${base}`);
    expect((none.body as { snapshots_links?: unknown }).snapshots_links).toBeUndefined(); // no limit, no link
  });

  test("update changes what was sent and updated_at; unknown ids answer 404 in the family's envelope", async () => {
    const evs = client(project, family);
    const created = await evs.createSnapshot({ volume_id: VOLUME, name: "to-rename" });
    await mock.advance(created.id);
    const updated = await evs.updateSnapshot(created.id, { description: "kept 30 days" });
    expect(updated).toMatchObject({
      id: created.id,
      name: "to-rename",
      description: "kept 30 days",
    });
    expect(updated.updated_at).not.toBeNull();
    const renamed = await evs.updateSnapshot(created.id, { name: "renamed" });
    expect(renamed).toMatchObject({ name: "renamed", description: "kept 30 days" });
    expect(renamed.updated_at! > updated.updated_at!).toBe(true);

    const missing = "11111111-2222-4333-8444-555555555555";
    const error = await evs.updateSnapshot(missing, { name: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvsApiError);
    expect((error as EvsApiError).status).toBe(404);
    const answer = await raw(mock.url, "GET", `/v2/${project}/${family}/${missing}`);
    expect(answer.status).toBe(404);
    if (native)
      expect(answer.body).toEqual({
        error: { code: "EVS.5404", message: `Snapshot ${missing} could not be found.` },
      });
    else
      expect(answer.body).toEqual({
        itemNotFound: { code: 404, message: `Snapshot ${missing} could not be found.` },
      });
  });

  test("delete: refused while creating, then deleting, then gone (404)", async () => {
    const created = await raw(mock.url, "POST", `/v2/${project}/${family}`, {
      snapshot: { volume_id: VOLUME },
    });
    const id = (created.body as { snapshot: { id: string } }).snapshot.id;
    const refused = await raw(mock.url, "DELETE", `/v2/${project}/${family}/${id}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ badRequest: { code: 400 } });
    expect(JSON.stringify(refused.body)).toContain("current status is: creating");
    await mock.advance(id);
    const accepted = await raw(mock.url, "DELETE", `/v2/${project}/${family}/${id}`);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toBeUndefined();
    const shown = await raw(mock.url, "GET", `/v2/${project}/${family}/${id}`);
    expect((shown.body as { snapshot: { status: string } }).snapshot.status).toBe("deleting");
    const gone = await eventually(async () => {
      const answer = await raw(mock.url, "GET", `/v2/${project}/${family}/${id}`);
      return answer.status === 404 ? answer : undefined;
    });
    expect(gone.body).toHaveProperty(native ? "error" : "itemNotFound");
    const again = await raw(mock.url, "DELETE", `/v2/${project}/${family}/${id}`);
    expect(again.status).toBe(404);
  });

  test(`the store is shared: what the other family creates is seen here (${suffix})`, async () => {
    const other = FAMILIES.find((f) => f !== family)!;
    const created = await raw(mock.url, "POST", `/v2/${project}-shared/${other}`, {
      snapshot: { volume_id: VOLUME, name: "cross" },
    });
    const id = (created.body as { snapshot: { id: string } }).snapshot.id;
    const shown = await raw(mock.url, "GET", `/v2/${project}-shared/${family}/${id}`);
    expect(shown.status).toBe(200);
    expect((shown.body as { snapshot: { name: string } }).snapshot.name).toBe("cross");
  });
});

describe("rollback (native family)", () => {
  const project = "flows-rollback";
  const other = "99999999-8888-4777-8666-555555555555";
  const create = async () => {
    const created = await raw(mock.url, "POST", `/v2/${project}/cloudsnapshots`, {
      snapshot: { volume_id: VOLUME },
    });
    return (created.body as { snapshot: { id: string } }).snapshot.id;
  };

  test("to its source disk: rollbacking, then available; the answer names the disk", async () => {
    const id = await create();
    const early = await raw(mock.url, "POST", `/v2/${project}/cloudsnapshots/${id}/rollback`, {
      rollback: { volume_id: VOLUME },
    });
    expect(early.status).toBe(400); // still creating
    await mock.advance(id);
    const accepted = await raw(mock.url, "POST", `/v2/${project}/cloudsnapshots/${id}/rollback`, {
      rollback: { volume_id: VOLUME, name: "restore" },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ rollback: { volume_id: VOLUME } });
    const shown = await raw(mock.url, "GET", `/v2/${project}/cloudsnapshots/${id}`);
    expect((shown.body as { snapshot: { status: string } }).snapshot.status).toBe("rollbacking");
    await mock.advance(id);
    const after = await raw(mock.url, "GET", `/v2/${project}/cloudsnapshots/${id}`);
    expect((after.body as { snapshot: { status: string } }).snapshot.status).toBe("available");
  });

  test("to another disk: 400; while the disk is in use: 400 too", async () => {
    const id = await create();
    await mock.advance(id);
    const wrongDisk = await raw(mock.url, "POST", `/v2/${project}/cloudsnapshots/${id}/rollback`, {
      rollback: { volume_id: other },
    });
    expect(wrongDisk.status).toBe(400);
    expect(wrongDisk.body).toMatchObject({ badRequest: { code: 400 } });
    await mock.setDiskStatus(project, VOLUME, "in-use");
    const busy = await raw(mock.url, "POST", `/v2/${project}/cloudsnapshots/${id}/rollback`, {
      rollback: { volume_id: VOLUME },
    });
    expect(busy.status).toBe(400);
    expect(JSON.stringify(busy.body)).toContain("current status is: in-use");
    await mock.setDiskStatus(project, VOLUME, "available");
  });

  test("the compatible family has no rollback path", async () => {
    const id = await create();
    const answer = await raw(mock.url, "POST", `/v2/${project}/snapshots/${id}/rollback`, {
      rollback: { volume_id: VOLUME },
    });
    expect(answer.status).toBe(404);
  });
});

describe("list filters (native family)", () => {
  test("repeated id, exact name, status, volume_id, availability_zone, enterprise_project_id", async () => {
    const project = "flows-filters";
    const a = await mock.seed({
      project_id: project,
      count: 30,
      volume_ids: ["vol-a", "vol-b", "vol-c"],
    });
    await mock.seed({
      project_id: project,
      count: 5,
      name_prefix: "eps-",
      status: "error",
      availability_zone: "eu-de-01",
      enterprise_project_id: "ep-1",
      volume_ids: ["vol-d"],
    });
    const list = async (query: string) => {
      const answer = await raw(mock.url, "GET", `/v2/${project}/cloudsnapshots/detail?${query}`);
      const body = answer.body as { count: number; snapshots: { id: string; name: string }[] };
      return body;
    };
    expect((await list(`id=${a.ids[0]}&id=${a.ids[7]}`)).snapshots.map((s) => s.id).sort()).toEqual(
      [a.ids[0], a.ids[7]].sort(),
    );
    expect((await list("name=seed-07")).snapshots.map((s) => s.name)).toEqual(["seed-07"]);
    expect((await list("name=seed-0")).count).toBe(0); // exact, not a prefix
    expect((await list("status=error")).count).toBe(5);
    expect((await list("status=available")).count).toBe(30);
    expect((await list("volume_id=vol-b")).count).toBe(10);
    expect((await list("availability_zone=eu-de-01")).count).toBe(5);
    expect((await list("enterprise_project_id=ep-1")).count).toBe(5);
    expect((await list("enterprise_project_id=all_granted_eps")).count).toBe(35);
    expect((await list("volume_id=vol-b&limit=3&offset=2")).snapshots).toHaveLength(3);
  });
});

describe("credentials, as the API gateway checks them", () => {
  test("AK/SK with the default pair is accepted for reads and signed bodies", async () => {
    const evs = createEvsClient({
      endpoint: mock.url,
      projectId: "flows-aksk",
      auth: akSk(DEFAULT_CREDENTIALS),
      fetch: recorder.fetch,
    });
    const created = await evs.createSnapshot({ volume_id: VOLUME, name: "signé 中" });
    expect(created.name).toBe("signé 中");
    const page = await evs.listSnapshots({ name: "signé 中", limit: 5 });
    expect(page.snapshots).toHaveLength(1);
  });

  test("a wrong secret, a tampered signature, no credentials: 401 in the gateway's shape", async () => {
    const evs = createEvsClient({
      endpoint: mock.url,
      projectId: "flows-aksk",
      auth: akSk({ accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: "not-the-secret" }),
      fetch: recorder.fetch,
      retry: { attempts: 0 },
    });
    const error = (await evs.listSnapshots().catch((e: unknown) => e)) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error.status).toBe(401);
    expect(error.code).toBe("APIG.0301");
    expect(error.message).not.toContain("not-the-secret");

    const signed = await signRequest(
      new Request(`${mock.url}/v2/flows-aksk/cloudsnapshots/detail?limit=1`),
      DEFAULT_CREDENTIALS,
    );
    const good = await fetch(signed);
    expect(good.status).toBe(200);
    const headers = new Headers(signed.headers);
    headers.set(
      "authorization",
      headers.get("authorization")!.replace(/.$/, (c) => (c === "0" ? "1" : "0")),
    );
    const tampered = await fetch(signed.url, { headers });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ error_code: "APIG.0301" });
    // The signed query is part of the signature: the same headers on another query fail.
    const moved = await fetch(signed.url.replace("limit=1", "limit=2"), {
      headers: signed.headers,
    });
    expect(moved.status).toBe(401);

    const anonymous = await raw(
      mock.url,
      "GET",
      "/v2/flows-aksk/cloudsnapshots/detail",
      undefined,
      {},
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({
      error_code: "APIG.0301",
      request_id: expect.any(String),
    });
    expect(anonymous.headers.get("x-request-id")).toBe(
      (anonymous.body as { request_id: string }).request_id,
    );
  });
});

test("a token is scoped to its first project: on another project's path, 403 EVS.0003 through Prism", async () => {
  const token = tokenFor("flows-scope-a");
  expect(
    (await raw(mock.url, "GET", "/v2/flows-scope-a/snapshots/detail", undefined, token)).status,
  ).toBe(200);
  for (const family of FAMILIES) {
    const refused = await raw(
      mock.url,
      "GET",
      `/v2/flows-scope-b/${family}/detail`,
      undefined,
      token,
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: "EVS.0003" } });
    expect(JSON.stringify(refused.body)).not.toContain(token["X-Auth-Token"]);
  }
  const evs = client("flows-scope-b", "cloudsnapshots", { auth: { token: token["X-Auth-Token"] } });
  const error = (await evs.listSnapshots().catch((e: unknown) => e)) as EvsApiError;
  expect(error).toBeInstanceOf(EvsApiError);
  expect(error).toMatchObject({ status: 403, code: "EVS.0003" });
});

test("AK/SK is scoped by X-Project-Id: another project there answers 403 EVS.0003, even correctly signed", async () => {
  for (const family of FAMILIES) {
    const url = `${mock.url}/v2/flows-aksk-b/${family}/detail`;
    const own = await signRequest(
      new Request(url, { headers: { "X-Project-Id": "flows-aksk-b" } }),
      DEFAULT_CREDENTIALS,
    );
    expect((await fetch(own)).status).toBe(200);
    const other = await signRequest(
      new Request(url, { headers: { "X-Project-Id": "flows-aksk-a" } }),
      DEFAULT_CREDENTIALS,
    );
    expect(other.headers.get("x-project-id")).toBe("flows-aksk-a"); // signed as given
    const refused = await fetch(other);
    expect(refused.status).toBe(403);
    expect(responseViolations(refused)).toEqual([]);
    expect(await refused.json()).toMatchObject({ error: { code: "EVS.0003" } });
  }
});

describe("fault rules, observed by the client as typed errors", () => {
  const evs = () => client("flows-faults", "cloudsnapshots");

  test("a documented status in a documented shape, for the next N calls only", async () => {
    await mock.addFault({
      operation: "listSnapshotsNative",
      status: 503,
      example: "fault",
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const error = (await evs()
        .listSnapshots()
        .catch((e: unknown) => e)) as EvsApiError;
      expect(error).toBeInstanceOf(EvsApiError);
      expect(error.status).toBe(503);
      expect(error.body).toMatchObject({ serviceUnavailable: { code: 503 } });
    }
    await expect(evs().listSnapshots()).resolves.toHaveProperty("snapshots");
    await mock.addFault({ operation: "createSnapshotNative", status: 429, example: "apiGateway" });
    const throttled = (await evs()
      .createSnapshot({ volume_id: VOLUME })
      .catch((e: unknown) => e)) as EvsApiError;
    expect(throttled.status).toBe(429);
    expect(throttled.code).toBe("APIG.0308");
  });

  test("a dropped connection is a network error; a delay past the timeout is a timeout", async () => {
    await mock.addFault({ operation: "listSnapshotsNative", drop: true });
    await expect(evs().listSnapshots()).rejects.toBeInstanceOf(EvsNetworkError);
    await mock.addFault({ operation: "listSnapshotsNative", delayMs: 1500 });
    const slow = client("flows-faults", "cloudsnapshots", { timeoutMs: 300 });
    await expect(slow.listSnapshots()).rejects.toBeInstanceOf(EvsTimeoutError);
    await mock.clearFaults();
    await expect(evs().listSnapshots()).resolves.toHaveProperty("snapshots");
  });

  test("a rule for an operation or status the spec does not have is refused", async () => {
    await expect(mock.addFault({ operation: "launchRocket", status: 500 })).rejects.toThrow(
      /operationId/,
    );
    await expect(mock.addFault({ operation: "listSnapshotsNative", status: 418 })).rejects.toThrow(
      /status/,
    );
  });
});

test("Prefer picks a documented answer in the stateful mode too", async () => {
  const answer = await raw(mock.url, "GET", "/v2/flows-prefer/cloudsnapshots/detail", undefined, {
    "X-Auth-Token": "t",
    Prefer: "code=404, example=native",
  });
  expect(answer.status).toBe(404);
  expect(answer.body).toEqual({
    error: { code: "EVS.5404", message: "The snapshot could not be found." },
  });
});

test("invalid requests answer 400 in the service's envelope, not Prism's problem+json", async () => {
  const answer = await raw(mock.url, "POST", "/v2/flows-invalid/cloudsnapshots", {
    snapshot: { volume_id: VOLUME, colour: "red" },
  });
  expect(answer.status).toBe(400);
  expect(answer.headers.get("content-type")).toBe("application/json");
  expect(answer.body).toMatchObject({
    badRequest: { code: 400, message: expect.stringContaining("colour") },
  });
  const tooLong = await raw(mock.url, "POST", "/v2/flows-invalid/cloudsnapshots", {
    snapshot: { volume_id: VOLUME, name: "a".repeat(200) + "中".repeat(20) },
  });
  expect(tooLong.status).toBe(400); // 260 bytes: only x-max-utf8-bytes catches it
  expect(JSON.stringify(tooLong.body)).toContain("260 bytes");
});

test("a per-project quota answers 413 overLimit like the service", async () => {
  const small = await startMock({ port: 0, quota: 2, transitionMs: 0 });
  try {
    for (let i = 0; i < 2; i++)
      expect(
        (await call(small.url, "POST", "/v2/q/snapshots", { snapshot: { volume_id: VOLUME } }))
          .status,
      ).toBe(202);
    const over = await call(small.url, "POST", "/v2/q/snapshots", {
      snapshot: { volume_id: VOLUME },
    });
    expect(over.status).toBe(413);
    expect(over.body).toMatchObject({
      overLimit: { code: 413, message: "Maximum number of snapshots allowed (2) exceeded." },
    });
    expect(responseViolations(new Response(null, { headers: over.headers }))).toEqual([]);
    expect(
      (await call(small.url, "POST", "/v2/other/snapshots", { snapshot: { volume_id: VOLUME } }))
        .status,
    ).toBe(202);
  } finally {
    await small.stop();
  }
});

test("same seed, same ids; reset starts the sequence again", async () => {
  await mock.reset();
  const first = await raw(mock.url, "POST", "/v2/ids/cloudsnapshots", {
    snapshot: { volume_id: VOLUME },
  });
  await mock.reset();
  const again = await raw(mock.url, "POST", "/v2/ids/cloudsnapshots", {
    snapshot: { volume_id: VOLUME },
  });
  expect((again.body as { snapshot: { id: string } }).snapshot.id).toBe(
    (first.body as { snapshot: { id: string } }).snapshot.id,
  );
  expect((await mock.health()).snapshots).toBe(1);
});

afterAll(() => {
  // The emulator never contradicts the contract: no response violation in any flow above.
  const raws = rawAnswers.flatMap((a) => a.violations.filter((v) => v.location[0] === "response"));
  expect(raws).toEqual([]);
  expect(recorder.violations).toEqual([]);
});

describe.each(FAMILY_CASES)(
  "the client's lifecycle on the $family family",
  ({ family, native }) => {
    test("show, delete and wait until gone; rollback where the family has it", async () => {
      const project = `flows-lifecycle-${family}`;
      const evs = client(project, family);
      const created = await evs.createSnapshot({ volume_id: VOLUME, name: "retained" });
      const shown = await evs.getSnapshot(created.id);
      expect(shown).toMatchObject({ id: created.id, name: "retained" });
      const refused = (await evs
        .deleteSnapshot(created.id)
        .catch((e: unknown) => e)) as EvsApiError;
      expect(refused).toBeInstanceOf(EvsApiError);
      expect(refused.status).toBe(400);
      await waitForSnapshot(evs, created.id, { intervalMs: 50, timeoutMs: 5000 });
      if (native) {
        const rolled = await (evs as ReturnType<typeof client>).rollbackSnapshot(created.id, {
          volume_id: VOLUME,
        });
        expect(rolled).toMatchObject({ volume_id: VOLUME });
        expect((await evs.getSnapshot(created.id)).status).toBe("rollbacking");
        await waitForSnapshot(evs, created.id, { intervalMs: 50, timeoutMs: 5000 });
      }
      await evs.deleteSnapshot(created.id);
      await waitForSnapshotDeleted(evs, created.id, { intervalMs: 50, timeoutMs: 5000 });
      const gone = (await evs.getSnapshot(created.id).catch((e: unknown) => e)) as EvsApiError;
      expect(gone.status).toBe(404);
    });
  },
);
