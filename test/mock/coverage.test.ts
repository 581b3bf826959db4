// The emulator follows the spec rather than a list of its own: every operation of the
// bundled spec has a handler, every documented list filter is applied, the package ships
// the bundle's bytes, and the examples it builds error envelopes from exist.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { createEmulator } from "../../packages/mock/src/emulator/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const emulator = createEmulator({ seed: "coverage", transitionMs: "manual" });

describe("derived from the spec", () => {
  test("every operation of the spec has an emulator handler", () => {
    expect(emulator.spec.operations.length).toBeGreaterThanOrEqual(11);
    expect(emulator.unhandledOperations()).toEqual([]);
  });

  test("every documented list filter is applied", () => {
    expect(emulator.unknownListFilters()).toEqual([]);
  });

  test("the package ships openapi/bundled/ byte for byte (copied by its build)", async () => {
    for (const file of ["evs-snapshots.yaml", "evs-snapshots.json"]) {
      const shipped = await readFile(`${root}packages/mock/spec/${file}`, "utf8");
      expect(shipped).toBe(await readFile(`${root}openapi/bundled/${file}`, "utf8"));
    }
  });

  test("an operation the spec adds without a handler is reported", () => {
    const spec = emulator.spec;
    const added = {
      ...spec.operations[0]!,
      operationId: "frobnicateSnapshotNative",
      action: "frobnicateSnapshot",
    };
    spec.operations.push(added);
    try {
      expect(emulator.unhandledOperations()).toEqual(["frobnicateSnapshotNative"]);
    } finally {
      spec.operations.pop();
    }
  });

  test("each route answers from its own operation (no handler is reached through another)", () => {
    const headers = { "x-auth-token": "t", "content-type": "application/json" };
    for (const operation of emulator.spec.operations) {
      const path = operation.path
        .replace("{project_id}", "p")
        .replace("{snapshot_id}", "00000000-0000-4000-8000-000000000000");
      const answer = emulator.handle(
        { method: operation.method, url: path, headers, body: Buffer.from("{}") },
        true,
      );
      expect(answer.operationId).toBe(operation.operationId);
      expect(operation.statuses).toContain(answer.status);
    }
  });
});
