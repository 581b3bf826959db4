// Every answer of the control API (/__evs-mock) is one its document declares: each
// operation and each status control-api.yaml lists is produced here over real HTTP, on
// the stateful and the static mock, and each answer is validated against the document.
// The list of what to produce is read from the document, so a status it adds without a
// case here fails the coverage check.
import { request as httpRequest } from "node:http";
import { type RunningMock, startMock } from "@evs-toolkit/mock";
import { afterAll, beforeAll, expect, test } from "vitest";
import { serveEmulator } from "../../packages/mock/src/emulator/http.js";
import { createEmulator } from "../../packages/mock/src/emulator/index.js";
import {
  CONTROL_OPERATIONS,
  type ControlAnswer,
  controlAnswerProblems,
  controlOutcome,
} from "./control-api.js";
import { VOLUME } from "./support.js";

let stateful: RunningMock;
let staticMock: RunningMock;
/** An emulator served alone with room for 3 snapshots: the store fills on the first seed. */
let small: Awaited<ReturnType<typeof serveEmulator>>;

beforeAll(async () => {
  [stateful, staticMock] = await Promise.all([
    startMock({ mode: "stateful", port: 0, seed: "control", transitionMs: "manual" }),
    startMock({ mode: "static", port: 0 }),
  ]);
  small = await serveEmulator(createEmulator({ seed: "control-small", maxStored: 3 }), {
    host: "127.0.0.1",
    port: 0,
    maxBodyBytes: 1_000_000,
    applyFaults: true,
    control: true,
  });
});
afterAll(async () => {
  await Promise.all([stateful?.stop(), staticMock?.stop(), small?.close()]);
});

/** One raw call (node:http: a GET may carry a body too, as any client may send one). */
function control(
  base: string,
  method: string,
  path: string,
  body?: string,
): Promise<ControlAnswer> {
  const url = new URL(`${base}/__evs-mock${path}`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers:
          body === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({
            method,
            path,
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"] ?? null,
            text,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const json = (value: unknown) => JSON.stringify(value);
const notAnObject = "[1]";
const notJson = "{";

test("every operation and status of control-api.yaml, answered as declared", {
  timeout: 30_000,
}, async () => {
  const s = () => stateful.url;
  const created = JSON.parse(
    (
      await control(
        s(),
        "POST",
        "/snapshots",
        json({ project_id: "control", count: 2, volume_ids: [VOLUME] }),
      )
    ).text,
  ) as { ids: string[] };
  const answers = [
    await control(s(), "GET", "/health"),
    await control(staticMock.url, "GET", "/health"),
    await control(s(), "GET", "/openapi.yaml"),
    await control(staticMock.url, "GET", "/openapi.yaml"),
    await control(
      s(),
      "POST",
      "/snapshots",
      json({ project_id: "control", count: 1500, name_prefix: "n-" }),
    ),
    await control(s(), "POST", "/snapshots", json({ count: 1 })),
    await control(small.url, "POST", "/snapshots", json({ project_id: "full", count: 5 })),
    await control(s(), "POST", "/advance", json({ snapshot_id: created.ids[0] })),
    await control(s(), "POST", "/advance"),
    await control(s(), "POST", "/advance", notJson),
    await control(
      s(),
      "POST",
      "/disks",
      json({ project_id: "control", volume_id: VOLUME, status: "in-use" }),
    ),
    await control(s(), "POST", "/disks", json({ project_id: "control" })),
    await control(
      s(),
      "POST",
      "/faults",
      json({ operation: "listSnapshotsNative", status: 503, times: 2 }),
    ),
    await control(s(), "POST", "/faults", json({ operation: "*", delayMs: 10 })),
    await control(s(), "POST", "/faults", json({ operation: "listSnapshotsNative", status: 418 })),
    await control(s(), "GET", "/faults"),
    await control(s(), "GET", "/faults", notAnObject),
    await control(s(), "DELETE", "/faults"),
    await control(s(), "DELETE", "/faults", notJson),
    await control(s(), "POST", "/reset"),
    await control(s(), "POST", "/reset", notAnObject),
  ];
  for (const op of CONTROL_OPERATIONS)
    if (op.statuses.includes("404"))
      answers.push(
        await control(staticMock.url, op.method, op.path, op.method === "GET" ? undefined : "{}"),
      );

  expect(answers.flatMap(controlAnswerProblems)).toEqual([]);
  const produced = new Set(answers.map(controlOutcome));
  const declared = CONTROL_OPERATIONS.flatMap((op) =>
    op.statuses.map((s) => `${op.operationId} ${s}`),
  );
  expect(declared.filter((outcome) => !produced.has(outcome))).toEqual([]);
  expect(declared.length).toBeGreaterThan(CONTROL_OPERATIONS.length);
});

test("the judge refuses what the document does not declare", () => {
  const answer = (over: Partial<ControlAnswer>): ControlAnswer => ({
    method: "POST",
    path: "/advance",
    status: 200,
    contentType: "application/json",
    text: json({ advanced: 1 }),
    ...over,
  });
  expect(controlAnswerProblems(answer({}))).toEqual([]);
  expect(controlAnswerProblems(answer({ text: json({ advanced: "1" }) }))).not.toEqual([]);
  expect(controlAnswerProblems(answer({ text: json({ advanced: 1, extra: true }) }))).not.toEqual(
    [],
  );
  expect(controlAnswerProblems(answer({ status: 201 }))).not.toEqual([]);
  expect(controlAnswerProblems(answer({ contentType: "text/plain" }))).not.toEqual([]);
  expect(controlAnswerProblems(answer({ path: "/teleport" }))).not.toEqual([]);
  expect(controlAnswerProblems(answer({ status: 400, text: json({ message: "x" }) }))).not.toEqual(
    [],
  );
});
