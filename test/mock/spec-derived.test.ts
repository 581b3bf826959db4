// The emulator's error answers follow facts the spec states once: which 404 envelope each
// family sends (`x-family-example`), at which status a named refusal is answered (the
// status its example is documented under), and how a token of another project is refused
// (`otherProject`). Each is checked against the bundled spec and against a copy of
// it with the fact changed: the emulator must follow the copy, so nothing is restated in code.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import { createEmulator } from "../../packages/mock/src/emulator/index.js";
import { SPEC_JSON } from "../../packages/mock/src/spec.js";
import { VOLUME } from "./support.js";

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>;
  components: {
    responses: Record<
      string,
      {
        "x-family-example"?: string;
        content: { "application/json": { examples: Record<string, unknown> } };
      }
    >;
  };
};
const bundled = (): Doc => JSON.parse(readFileSync(SPEC_JSON, "utf8"));
const work = mkdtempSync(path.join(tmpdir(), "evs-spec-derived-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An emulator on a copy of the bundled spec, changed by `edit`. */
let copies = 0;
function emulatorOn(edit: (doc: Doc) => void) {
  const doc = bundled();
  edit(doc);
  const file = path.join(work, `spec-${copies++}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return createEmulator({ seed: "spec-derived", transitionMs: "manual", specFile: file });
}

type Emulator = ReturnType<typeof createEmulator>;
const MISSING = "00000000-0000-4000-8000-000000000000";
const send = (
  emulator: Emulator,
  method: string,
  url: string,
  body?: unknown,
  token = `t-${url.split("/")[2]}`,
) =>
  emulator.handle(
    {
      method,
      url,
      headers: { "x-auth-token": token, "content-type": "application/json" },
      body: Buffer.from(body === undefined ? "" : JSON.stringify(body)),
    },
    true,
  );
/** The operations that address one snapshot, with a request each the emulator accepts. */
const byIdOperations = (emulator: Emulator) =>
  emulator.spec.operations.filter((op) => op.pathParameters.includes("snapshot_id"));
const bodyFor = (action: string) =>
  action === "updateSnapshot"
    ? { snapshot: { name: "n" } }
    : action === "rollbackSnapshot"
      ? { rollback: { volume_id: VOLUME } }
      : undefined;
/** The example's body with its message replaced, as the emulator fills it in. */
const withMessage = (example: unknown, message: unknown) => {
  const body = structuredClone(example) as Record<string, Record<string, unknown>>;
  const key = Object.keys(body)[0]!;
  return { ...body, [key]: { ...body[key], message } };
};
const messageOf = (body: unknown) =>
  Object.values(body as Record<string, { message?: unknown }>)[0]?.message;

describe("the 404 of a missing snapshot is the example the family's 404 names", () => {
  const emulator = createEmulator({ seed: "spec-derived", transitionMs: "manual" });

  test.each(byIdOperations(emulator).map((op) => [op.operationId, op] as const))(
    "%s",
    (_id, operation) => {
      const url = operation.path.replace("{project_id}", "p404").replace("{snapshot_id}", MISSING);
      const answer = send(emulator, operation.method, url, bodyFor(operation.action));
      expect(answer.status).toBe(404);
      const name = emulator.spec.familyExample(operation, 404);
      expect(name, `${operation.operationId}'s 404 names its x-family-example`).toBeDefined();
      const example = emulator.spec.example(operation, 404, name);
      expect(answer.body).toEqual(withMessage(example, messageOf(answer.body)));
      // What the spec says today, read back: native EVS.5404, compatible itemNotFound.
      if (operation.family === "native")
        expect(answer.body).toMatchObject({ error: { code: specFacts.nativeNotFoundCode } });
      else expect(answer.body).toMatchObject({ itemNotFound: { code: 404 } });
    },
  );

  test("with the families' examples swapped in the spec, the emulator swaps its envelopes", () => {
    const swapped = emulatorOn((doc) => {
      doc.components.responses.NotFoundNative!["x-family-example"] = "fault";
      doc.components.responses.NotFoundCompatible!["x-family-example"] = "native";
    });
    for (const operation of byIdOperations(swapped)) {
      const url = operation.path.replace("{project_id}", "swap").replace("{snapshot_id}", MISSING);
      const answer = send(swapped, operation.method, url, bodyFor(operation.action));
      expect(answer.status, operation.operationId).toBe(404);
      expect(Object.keys(answer.body as object), operation.operationId).toEqual([
        operation.family === "native" ? "itemNotFound" : "error",
      ]);
    }
  });
});

describe("a named refusal is answered at the status its example is documented under", () => {
  // [example, how to provoke it on a fresh snapshot (transitionMs manual: still creating)]
  const refusals: [
    string,
    (e: Emulator, base: string, id: string) => ReturnType<Emulator["handle"]>,
  ][] = [
    ["snapshotStatus", (e, base, id) => send(e, "DELETE", `${base}/${id}`)],
    [
      "rollbackOtherDisk",
      (e, base, id) => {
        e.store.advance(id);
        return send(e, "POST", `${base}/${id}/rollback`, { rollback: { volume_id: "other" } });
      },
    ],
    [
      "rollbackVolumeStatus",
      (e, base, id) => {
        e.store.advance(id);
        e.store.setDiskStatus("refusals", VOLUME, "in-use");
        return send(e, "POST", `${base}/${id}/rollback`, { rollback: { volume_id: VOLUME } });
      },
    ],
  ];
  const create = (e: Emulator) => {
    const made = send(e, "POST", "/v2/refusals/cloudsnapshots", {
      snapshot: { volume_id: VOLUME },
    });
    return (made.body as { snapshot: { id: string } }).snapshot.id;
  };

  test.each(refusals)("%s: 400 in the spec as it is", (name, provoke) => {
    const emulator = createEmulator({ seed: "spec-derived", transitionMs: "manual" });
    const answer = provoke(emulator, "/v2/refusals/cloudsnapshots", create(emulator));
    const operation = emulator.spec.operations.find((op) => op.operationId === answer.operationId)!;
    expect(answer.status).toBe(emulator.spec.exampleStatus(operation, name));
    expect(answer.status).toBe(400);
  });

  test.each(refusals)("%s: moved to 409 in a copy of the spec, answered 409", (name, provoke) => {
    const moved = emulatorOn((doc) => {
      const from = doc.components.responses.BadRequest!.content["application/json"].examples;
      const to = doc.components.responses.Conflict!.content["application/json"].examples;
      to[name] = from[name];
      delete from[name];
    });
    const answer = provoke(moved, "/v2/refusals/cloudsnapshots", create(moved));
    expect(answer.status).toBe(409);
    expect(answer.body).toHaveProperty("badRequest"); // the example's own body, as written
  });
});

describe("a token is scoped to the project of its first call", () => {
  test("on another project's path it is refused with the spec's otherProject (403 EVS.0003)", () => {
    const emulator = createEmulator({ seed: "spec-derived", transitionMs: 0 });
    const list = (project: string, family: string, token: string) =>
      send(emulator, "GET", `/v2/${project}/${family}/detail`, undefined, token);
    expect(list("team-a", "cloudsnapshots", "token-a").status).toBe(200);
    for (const family of ["cloudsnapshots", "snapshots"]) {
      const refused = list("team-b", family, "token-a");
      const operation = emulator.spec.operations.find(
        (op) => op.operationId === refused.operationId,
      )!;
      expect(refused.status).toBe(emulator.spec.exampleStatus(operation, "otherProject"));
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(emulator.spec.example(operation, 403, "otherProject"));
      expect(JSON.stringify(refused.body)).not.toContain("token-a");
      // The token still works where it belongs.
      expect(list("team-a", family, "token-a").status).toBe(200);
    }
    emulator.reset();
    expect(list("team-b", "snapshots", "token-a").status).toBe(200);
  });

  test("generated tokens and project pairs: the first project only, on every operation", () => {
    const emulator = createEmulator({ seed: "spec-derived-fc", transitionMs: 0 });
    const operations = emulator.spec.operations;
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 40 })
          .filter((t) => t.trim() !== "" && !/[\r\n]/.test(t)),
        segment,
        segment,
        fc.constantFrom(...operations),
        (token, first, second, operation) => {
          fc.pre(first !== second);
          emulator.reset(); // a token of an earlier run would already be scoped
          const url = (project: string) =>
            operation.path.replace("{project_id}", project).replace("{snapshot_id}", MISSING);
          const body =
            operation.action === "createSnapshot"
              ? { snapshot: { volume_id: VOLUME } }
              : bodyFor(operation.action);
          const owned = send(emulator, operation.method, url(first), body, token);
          expect(owned.status).not.toBe(403);
          const other = send(emulator, operation.method, url(second), body, token);
          expect(other.status).toBe(403);
          expect(other.body).toEqual(emulator.spec.example(operation, 403, "otherProject"));
        },
      ),
      { numRuns: 200, interruptAfterTimeLimit: 10_000, seed: 9 },
    );
  });
});
