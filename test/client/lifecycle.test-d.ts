// Types of show, delete, rollback and the waiters: rollback exists on the native family
// only (the spec has no compatible twin), so a compatible-family client does not accept it.
import { describe, expectTypeOf, it } from "vitest";
import type {
  RollbackSnapshotInput,
  RollbackSnapshotResult,
  Snapshot,
  SnapshotOperationName,
} from "../../packages/client/src/index.js";
import { waitForSnapshotDeleted } from "../../packages/client/src/index.js";
import { compat, evs } from "../support/typed-clients.js";

describe("lifecycle types", () => {
  it("show, delete and the waiters on both families", () => {
    expectTypeOf(evs.getSnapshot("id")).resolves.toEqualTypeOf<Snapshot>();
    expectTypeOf(compat.getSnapshot("id")).resolves.toEqualTypeOf<Snapshot>();
    expectTypeOf(evs.deleteSnapshot("id")).resolves.toEqualTypeOf<void>();
    expectTypeOf(compat.deleteSnapshot("id")).resolves.toEqualTypeOf<void>();
    expectTypeOf(waitForSnapshotDeleted(evs, "id")).resolves.toEqualTypeOf<void>();
    expectTypeOf(
      waitForSnapshotDeleted(compat, "id", { timeoutMs: 1 }),
    ).resolves.toEqualTypeOf<void>();
  });

  it("rollback: the spec's body and answer, native family only", () => {
    expectTypeOf<RollbackSnapshotInput>().toEqualTypeOf<{ volume_id: string; name?: string }>();
    expectTypeOf(
      evs.rollbackSnapshot("id", { volume_id: "v" }),
    ).resolves.toEqualTypeOf<RollbackSnapshotResult>();
    expectTypeOf<RollbackSnapshotResult>().toEqualTypeOf<{ volume_id: string }>();
    // @ts-expect-error volume_id is required
    void evs.rollbackSnapshot("id", { name: "n" });
    // @ts-expect-error the compatible family has no rollback
    void compat.rollbackSnapshot("id", { volume_id: "v" });
  });

  it("operation names come from the spec, per family", () => {
    expectTypeOf<SnapshotOperationName<"cloudsnapshots">>().toEqualTypeOf<
      | "createSnapshot"
      | "listSnapshots"
      | "getSnapshot"
      | "updateSnapshot"
      | "deleteSnapshot"
      | "rollbackSnapshot"
    >();
    expectTypeOf<SnapshotOperationName<"snapshots">>().toEqualTypeOf<
      "createSnapshot" | "listSnapshots" | "getSnapshot" | "updateSnapshot" | "deleteSnapshot"
    >();
  });
});
