// No request and no sequence of them takes the mock down. A bounded corpus of hostile
// requests (malformed escapes, odd queries, non-Latin-1 bodies and keys, huge and deeply
// nested bodies, garbage on the socket, many connections at once), sent raw to both modes,
// each followed by a check that the mock still answers; then a bounded fuzz run of
// generated requests, whose answers must be documented statuses with no response violation.
import { connect } from "node:net";
import { type RunningMock, startMock } from "@evs-toolkit/mock";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, responseViolations, tokenFor, VOLUME } from "./support.js";

const mocks: Record<string, RunningMock> = {};
// The mock's last line of defence logs "internal error" and keeps serving; reaching it
// means a request slipped past the guards, so the log must stay free of it.
const internalErrors: string[] = [];
const log = (line: string) => {
  if (line.includes("internal error")) internalErrors.push(line);
};
beforeAll(async () => {
  const [stateful, staticMock] = await Promise.all([
    startMock({ mode: "stateful", port: 0, seed: "hostile", transitionMs: 0, log }),
    startMock({ mode: "static", port: 0, log }),
  ]);
  mocks.stateful = stateful;
  mocks.static = staticMock;
});
afterAll(async () => {
  await Promise.all(Object.values(mocks).map((mock) => mock.stop()));
  expect(internalErrors).toEqual([]);
});

/** Incomplete requests: the server rightly waits for the rest, so no answer is expected. */
const INCOMPLETE = new Set(["a request cut off mid-headers", "a request cut off mid-body"]);

/** Writes bytes on a fresh socket; resolves with the status line, or "closed" when the socket ends without one. */
function raw(url: string, bytes: Buffer | string, timeoutMs = 5000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    const done = (result: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(received.split("\r\n")[0] || "timeout"), timeoutMs);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n\r\n")) done(received.split("\r\n")[0]!);
    });
    socket.on("error", () => done(received.split("\r\n")[0] || "closed"));
    socket.on("end", () => done(received.split("\r\n")[0] || "closed"));
    socket.write(bytes);
  });
}

function request(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body: Buffer | string = "",
): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const lines = [
    `${method} ${target} HTTP/1.1`,
    "Host: 127.0.0.1",
    // One token per project: the mock scopes a token to the project of its first call.
    `X-Auth-Token: t-${target.split("/")[2] ?? ""}`,
    "Connection: close",
  ];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (bytes.length > 0 || method === "POST" || method === "PUT")
    lines.push(`Content-Length: ${bytes.length}`);
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), bytes]);
}

const json = { "Content-Type": "application/json" };
const deep = (depth: number) =>
  `{"snapshot":{"volume_id":"v","metadata":${"[".repeat(depth)}${"]".repeat(depth)}}}`;

/** [name, bytes]: each must be answered (any status) or refused by closing — never crash the mock. */
const CORPUS: [string, Buffer | string][] = [
  [
    "malformed escape in a path parameter",
    request("PUT", "/v2/p/cloudsnapshots/%E0%A4%A", json, '{"snapshot":{"name":"x"}}'),
  ],
  ["malformed escape in the project", request("GET", "/v2/%ZZ/snapshots/detail")],
  ["lone percent", request("GET", "/v2/p/snapshots/%")],
  ["overlong UTF-8 escape", request("GET", "/v2/p/cloudsnapshots/%C0%AF")],
  [
    "malformed escapes in the query",
    request("GET", "/v2/p/cloudsnapshots/detail?name=%E0&limit=%FF&id=%"),
  ],
  [
    "NUL and quotes in the query",
    request("GET", "/v2/p/snapshots/detail?name=%00%22%7D%7B&marker=%5C"),
  ],
  [
    "prototype keys in the query",
    request("GET", "/v2/p/cloudsnapshots/detail?__proto__=1&constructor=2&id=__proto__"),
  ],
  [
    "many long multi-byte query values",
    request(
      "GET",
      `/v2/p/cloudsnapshots/detail?${Array.from({ length: 20 }, (_, i) => `name${i}=${"%E4%B8%AD".repeat(40)}`).join("&")}`,
    ),
  ],
  [
    "a query over the header limit",
    request("GET", `/v2/p/cloudsnapshots/detail?name=${"a".repeat(20_000)}`),
  ],
  [
    "non-Latin-1 key in the body",
    request("PUT", "/v2/p/snapshots/x", json, '{"snapshot":{"中":"x"}}'),
  ],
  [
    "non-Latin-1 everywhere",
    request(
      "POST",
      "/v2/中/cloudsnapshots",
      json,
      '{"snapshot":{"volume_id":"卷","name":"快照😀","metadata":{"键":"值"}}}',
    ),
  ],
  [
    "a lone surrogate",
    request("POST", "/v2/p/snapshots", json, '{"snapshot":{"volume_id":"v","name":"\\ud800"}}'),
  ],
  [
    "invalid UTF-8 bytes",
    request("POST", "/v2/p/snapshots", json, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
  ],
  ["malformed JSON", request("POST", "/v2/p/cloudsnapshots", json, '{"snapshot":')],
  ["JSON nested 5,000 deep", request("POST", "/v2/p/cloudsnapshots", json, deep(5000))],
  [
    "a form body with malformed escapes",
    request(
      "POST",
      "/v2/p/cloudsnapshots",
      { "Content-Type": "application/x-www-form-urlencoded" },
      "a=%E0&%ZZ=1",
    ),
  ],
  [
    "text/plain body",
    request("PUT", "/v2/p/cloudsnapshots/x", { "Content-Type": "text/plain" }, "hello"),
  ],
  [
    "UTF-16 charset",
    request(
      "POST",
      "/v2/p/snapshots",
      { "Content-Type": "application/json; charset=utf-16" },
      '{"snapshot":{"volume_id":"v"}}',
    ),
  ],
  [
    "a 4 MiB body",
    request(
      "POST",
      "/v2/p/cloudsnapshots",
      json,
      `{"snapshot":{"volume_id":"v","name":"${"a".repeat(4 * 1024 * 1024)}"}}`,
    ),
  ],
  [
    "a 3 MiB chunked body",
    Buffer.concat([
      Buffer.from(
        "POST /v2/p/snapshots HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
      ),
      ...Array.from({ length: 3 }, () => Buffer.from(`100000\r\n${"a".repeat(0x100000)}\r\n`)),
      Buffer.from("0\r\n\r\n"),
    ]),
  ],
  [
    "odd Prefer headers",
    request("GET", "/v2/p/cloudsnapshots/detail", { Prefer: "code=abc, example=__proto__" }),
  ],
  [
    "Prefer for an undocumented status",
    request("GET", "/v2/p/snapshots/detail", { Prefer: "code=999" }),
  ],
  [
    "a garbage Authorization",
    request("GET", "/v2/p/cloudsnapshots/detail", {
      "X-Auth-Token": "",
      Authorization: "SDK-HMAC-SHA256 Access=, SignedHeaders=;;;, Signature=zz",
    }),
  ],
  [
    "Latin-1 bytes in a header",
    Buffer.concat([
      request("GET", "/v2/p/cloudsnapshots/detail").subarray(0, -2),
      Buffer.from([0x58, 0x3a, 0x20, 0xe9, 0xff, 0x0d, 0x0a, 0x0d, 0x0a]),
    ]),
  ],
  ["an unknown method", request("PATCH", "/v2/p/cloudsnapshots/x", json, "{}")],
  ["HEAD on a list", request("HEAD", "/v2/p/cloudsnapshots/detail")],
  [
    "a CORS preflight",
    request("OPTIONS", "/v2/p/snapshots", {
      Origin: "http://x",
      "Access-Control-Request-Method": "POST",
    }),
  ],
  ["dot segments", request("GET", "/v2/p/../../etc/passwd")],
  [
    "the control API with garbage",
    request("POST", "/__evs-mock/faults", json, '{"operation":{"$ne":1},"times":-1}'),
  ],
  [
    "the control API with a huge seed",
    request("POST", "/__evs-mock/snapshots", json, '{"project_id":"p","count":1e12}'),
  ],
  ["not HTTP at all", "GARBAGE\r\n\r\n"],
  ["a request cut off mid-headers", "GET /v2/p/cloudsnapshots/detail HTTP/1.1\r\nHost: x\r\nX-Au"],
  [
    "a request cut off mid-body",
    'POST /v2/p/snapshots HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"snap',
  ],
];

async function stillAnswers(mock: RunningMock): Promise<void> {
  const list = await call(mock.url, "GET", "/v2/alive/cloudsnapshots/detail");
  expect(list.status).toBe(200);
  expect(responseViolations(new Response(null, { headers: list.headers }))).toEqual([]);
}

describe.each(["stateful", "static"])("the %s mock survives", (mode) => {
  test.each(CORPUS)("%s", { timeout: 20_000 }, async (name, bytes) => {
    const mock = mocks[mode]!;
    const status = await raw(mock.url, bytes, 3000);
    // Answered with a 1xx-4xx status line, or refused by closing; never a 5xx (the mock's
    // own fault), never left hanging, never a dead mock.
    expect(status).toMatch(INCOMPLETE.has(name) ? /^timeout$/ : /^(HTTP\/1\.1 [1-4]\d\d |closed)/);
    await stillAnswers(mock);
  });

  test("200 connections at once, half of them abandoned", { timeout: 30_000 }, async () => {
    const mock = mocks[mode]!;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? raw(mock.url, request("GET", `/v2/many/cloudsnapshots/detail?limit=${(i % 1000) + 1}`))
          : raw(mock.url, "GET /v2/many/snapshots/detail HTTP/1.1\r\nHost: x\r\n", 200),
      ),
    );
    expect(answers.filter((a, i) => i % 2 === 0 && a.startsWith("HTTP/1.1 200"))).toHaveLength(100);
    await stillAnswers(mock);
  });
});

test("a fuzz run: generated bodies and queries get documented answers with no response violation", {
  timeout: 60_000,
}, async () => {
  const mock = mocks.stateful!;
  const { operations } = (await import("../../packages/mock/src/spec.js")).loadSpec();
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  const creates = operations
    .filter((op) => op.action === "createSnapshot")
    .map((op) => op.operationId);
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.constant("autobk_snapshot_x"),
  );
  const body = fc.oneof(
    fc.record({
      snapshot: fc.record(
        {
          volume_id: fc.oneof(fc.constant(VOLUME), text),
          name: text,
          description: fc.option(text),
          metadata: fc.dictionary(text, text, { maxKeys: 3 }),
          force: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({ snapshot: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const query = fc.dictionary(
    fc.constantFrom(
      "limit",
      "offset",
      "marker",
      "name",
      "status",
      "id",
      "volume_id",
      "availability_zone",
      "enterprise_project_id",
      "service_type",
      "bogus",
    ),
    fc.oneof(text, fc.integer({ min: -5, max: 2000 }).map(String)),
    { maxKeys: 4 },
  );
  const violations: string[] = [];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...operations.map((op) => op.operationId)),
      body,
      query,
      fc.boolean(),
      async (operationId, payload, params, useKnownId) => {
        const op = byId.get(operationId)!;
        let id = "00000000-0000-4000-8000-000000000000";
        if (useKnownId && op.pathParameters.includes("snapshot_id")) {
          const made = await call(mock.url, "POST", "/v2/fuzz/cloudsnapshots", {
            snapshot: { volume_id: VOLUME },
          });
          id = (made.body as { snapshot: { id: string } }).snapshot.id;
        }
        const path = op.path.replace("{project_id}", "fuzz").replace("{snapshot_id}", id);
        const search = op.method === "GET" ? `?${new URLSearchParams(params)}` : "";
        const answer = await call(
          mock.url,
          op.method,
          `${path}${search}`,
          op.requestBodySchema ? payload : undefined,
          tokenFor("fuzz"),
        );
        for (const v of answer.violations.filter((x) => x.location[0] === "response"))
          violations.push(
            `${op.method} ${path}${search} -> ${answer.status}: ${v.location.join(".")} ${v.message}`,
          );
        expect(op.statuses).toContain(answer.status);
        if (creates.includes(operationId) && answer.status === 202)
          expect(answer.body).toMatchObject({ snapshot: { status: "creating" } });
      },
    ),
    { numRuns: 150, interruptAfterTimeLimit: 40_000, seed: 8 },
  );
  expect(violations).toEqual([]);
  await stillAnswers(mock);
});
