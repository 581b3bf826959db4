// What the mock answers where the contract has nothing to say, in both modes (README,
// "Limits and behaviour"): a Prefer the contract cannot honour is the caller's mistake and
// gets the mock's own 422 problem+json naming it (the real service ignores Prefer, so no API
// envelope fits); a valid Prefer gets the documented answer. A header block over Node's
// 16 KiB never reaches the mock (as it would never reach EVS): Node answers 431, no body.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { type RunningMock, startMock } from "@evs-toolkit/mock";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  listOperations,
  loadBundledSpec,
  namedExamples,
  responseMediaPointer,
} from "../support/spec.js";
import { tokenFor, VOLUME } from "./support.js";

const mocks: Record<string, RunningMock> = {};
beforeAll(async () => {
  const [stateful, staticMock] = await Promise.all([
    startMock({ mode: "stateful", port: 0, seed: "edges", transitionMs: 0 }),
    startMock({ mode: "static", port: 0 }),
  ]);
  mocks.stateful = stateful;
  mocks.static = staticMock;
});
afterAll(async () => {
  await Promise.all(Object.values(mocks).map((mock) => mock.stop()));
});

const spec = loadBundledSpec();
const operations = listOperations(spec).map((entry) => {
  const statuses = Object.keys(entry.operation.responses).filter((s) => /^\d{3}$/.test(s));
  const examples = (status: string) => {
    try {
      return [...namedExamples(spec, responseMediaPointer(spec, entry, status)).keys()];
    } catch {
      return []; // a response without a body (delete's 202)
    }
  };
  return { entry, statuses, success: statuses.find((s) => s.startsWith("2"))!, examples };
});
const MISSING = "00000000-0000-4000-8000-000000000000";
/** A body the operation accepts (undefined: it takes none). */
const bodyFor = (method: string, path: string): unknown =>
  path.endsWith("/rollback")
    ? { rollback: { volume_id: VOLUME } }
    : method === "post"
      ? { snapshot: { volume_id: VOLUME } }
      : method === "put"
        ? { snapshot: { name: "n" } }
        : undefined;
const byId = new Map(operations.map((op) => [op.entry.operationId, op]));

describe.each(["stateful", "static"])("the %s mock", (mode) => {
  test("a Prefer the contract cannot honour: 422 problem+json naming it; a valid one: the documented answer", {
    timeout: 60_000,
  }, async () => {
    const mock = mocks[mode]!;
    const word = fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...byId.keys()),
        fc.option(fc.oneof(fc.integer({ min: 100, max: 599 }).map(String), word), {
          nil: undefined,
        }),
        fc.option(fc.oneof(fc.constantFrom("native", "fault", "apiGateway", "seedError"), word), {
          nil: undefined,
        }),
        async (operationId, code, example) => {
          fc.pre(code !== undefined || example !== undefined);
          const operation = byId.get(operationId)!;
          const { entry } = operation;
          const status = code ?? operation.success;
          const honourable =
            operation.statuses.includes(status) &&
            (example === undefined || operation.examples(status).includes(example));
          const prefer = [
            code === undefined ? undefined : `code=${code}`,
            example === undefined ? undefined : `example=${example}`,
          ]
            .filter((part) => part !== undefined)
            .join(", ");
          const path = entry.path
            .replace("{project_id}", "edges")
            .replace("{snapshot_id}", MISSING);
          const body = bodyFor(entry.method, path);
          const response = await fetch(`${mock.url}${path}`, {
            method: entry.method.toUpperCase(),
            headers: {
              ...tokenFor("edges"),
              Prefer: prefer,
              ...(body === undefined ? {} : { "Content-Type": "application/json" }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await response.text();
          if (honourable) {
            // Stateful: a documented success without a named example is the real handler's answer.
            if (!(mode === "stateful" && status === operation.success && example === undefined))
              expect(String(response.status), `${prefer} on ${entry.operationId}`).toBe(status);
            expect(response.headers.get("content-type") ?? "").not.toContain("problem");
          } else {
            expect(response.status, `${prefer} on ${entry.operationId}: ${text}`).toBe(422);
            expect(response.headers.get("content-type")).toBe("application/problem+json");
            const problem = JSON.parse(text) as { type: string; status: number; detail: string };
            expect(problem).toMatchObject({ type: "urn:evs-mock:unusable-prefer", status: 422 });
            expect(problem.detail).toContain(entry.operationId);
            expect(problem.detail).toMatch(
              operation.statuses.includes(status) ? `example=${example}` : `code=${code}`,
            );
          }
        },
      ),
      { numRuns: 80, interruptAfterTimeLimit: 40_000, seed: 31 },
    );
  });

  test("a header block over 16 KiB: Node's bare 431, before the mock sees it", async () => {
    const { hostname, port } = new URL(mocks[mode]!.url);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname);
      let received = "";
      const timer = setTimeout(() => socket.destroy(), 5000);
      socket.on("data", (chunk) => {
        received += chunk.toString("latin1");
      });
      socket.on("close", () => {
        clearTimeout(timer);
        resolve(received);
      });
      socket.write(
        `GET /v2/edges/cloudsnapshots/detail HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      );
    });
    const [head, body] = reply.split("\r\n\r\n");
    expect(head!.split("\r\n")[0]).toBe("HTTP/1.1 431 Request Header Fields Too Large");
    expect(body).toBe("");
  });
});

test("the README states both edges", () => {
  const readme = readFileSync(new URL("../../packages/mock/README.md", import.meta.url), "utf8");
  expect(readme).toMatch(/431/);
  expect(readme).toContain("urn:evs-mock:unusable-prefer");
});
