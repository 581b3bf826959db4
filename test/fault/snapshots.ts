// Snapshot bodies as the service answers them, built per call from the spec's example (see
// test/support/client-kit.ts) so that a test can tell its own answer from any other.
import { COMPATIBLE_LIST_ITEM, compatibleSnapshot } from "../support/client-kit.js";

export const PROJECT_ID = "20a68d6b7a124ae2b6b8a22046ee5966";

export interface SnapshotFields {
  id: string;
  name: string;
  volumeId?: string;
  status?: string;
}

export function snapshot({
  id,
  name,
  volumeId = COMPATIBLE_LIST_ITEM.volume_id,
  status = "available",
}: SnapshotFields) {
  return {
    ...compatibleSnapshot(id, status),
    name,
    volume_id: volumeId,
    "os-extended-snapshot-attributes:project_id": PROJECT_ID,
    "os-extended-snapshot-attributes:progress": status === "available" ? "100%" : "0%",
  };
}

/** A native list item also carries `service_type`. */
export function nativeListItem(fields: SnapshotFields) {
  return { ...snapshot(fields), service_type: "EVS" };
}
