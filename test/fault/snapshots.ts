// Snapshot bodies as the service answers them (the spec's Snapshot shape), built per call so
// that a test can tell its own answer from any other.

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
  volumeId = "f9faf7df-fdc1-4093-9ef3-5cba06eef995",
  status = "available",
}: SnapshotFields) {
  return {
    id,
    status,
    name,
    description: null,
    created_at: "2013-02-25T03:56:53.081642",
    updated_at: null,
    metadata: {},
    volume_id: volumeId,
    size: 40,
    "os-extended-snapshot-attributes:project_id": PROJECT_ID,
    "os-extended-snapshot-attributes:progress": status === "available" ? "100%" : "0%",
  };
}

/** A native list item also carries `service_type`. */
export function nativeListItem(fields: SnapshotFields) {
  return { ...snapshot(fields), service_type: "EVS" };
}
