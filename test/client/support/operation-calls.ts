/**
 * One call of each client method that calls an operation of the spec, as the contract
 * tests against Prism make it (test/client/against-prism.test.ts). The record is keyed by
 * the operation names spec-facts derives from the spec, so an operation added to the spec
 * without an entry here fails the type check, and operations-covered.test.ts fails too.
 */
import type {
  EvsClient,
  SnapshotFamily,
  SnapshotOperationName,
} from "../../../packages/client/src/index.js";

/** The documented example IDs (Prism serves the examples, whatever the ID). */
export const EXAMPLE_SNAPSHOT_ID = "f9faf7df-fdc1-4093-9ef3-5cba06eef995";
export const EXAMPLE_VOLUME_ID = "5aa119a8-d25b-45a7-8d1b-88e127885635";

export interface OperationCall {
  /** Makes the call; resolves to the wire body it read back, rebuilt (undefined: none). */
  call(evs: EvsClient<SnapshotFamily>): Promise<unknown>;
}

export const OPERATION_CALLS: Record<SnapshotOperationName, OperationCall> = {
  createSnapshot: {
    call: async (evs) => ({
      snapshot: await evs.createSnapshot({ volume_id: EXAMPLE_VOLUME_ID, name: "snap-001" }),
    }),
  },
  listSnapshots: {
    call: async (evs) => {
      const { next: _next, ...page } = await evs.listSnapshots({ limit: 10 });
      return page;
    },
  },
  getSnapshot: {
    call: async (evs) => ({ snapshot: await evs.getSnapshot(EXAMPLE_SNAPSHOT_ID) }),
  },
  updateSnapshot: {
    call: async (evs) => ({
      snapshot: await evs.updateSnapshot(EXAMPLE_SNAPSHOT_ID, { name: "renamed" }),
    }),
  },
  deleteSnapshot: {
    call: async (evs) => evs.deleteSnapshot(EXAMPLE_SNAPSHOT_ID),
  },
  rollbackSnapshot: {
    call: async (evs) => ({
      rollback: await evs.rollbackSnapshot(EXAMPLE_SNAPSHOT_ID, {
        volume_id: EXAMPLE_VOLUME_ID,
        name: "data-disk-01",
      }),
    }),
  },
};
