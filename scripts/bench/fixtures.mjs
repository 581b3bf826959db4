// Snapshot bodies shaped like the spec's NativeSnapshotListItem, generated from an index so
// that any page of a huge list can be produced on demand (the scale server never holds the
// whole list) and a marker can be mapped back to its position.

export const PROJECT_ID = "20a68d6b7a124ae2b6b8a22046ee5966";
export const TOKEN = "bench-token";
export const ACCESS_KEY = "HPUABENCHACCESSKEY01";
export const SECRET_KEY = "bench-secret-key-0123456789abcdefghij";

export function snapshotId(index) {
  return `5aa119a8-d25b-45a7-8d1b-${String(index).padStart(12, "0")}`;
}

export function indexOfSnapshotId(id) {
  return Number(id.slice(-12));
}

export function snapshot(index) {
  return {
    id: snapshotId(index),
    status: "available",
    name: `snap-${index}`,
    description: index % 3 === 0 ? null : `Daily backup ${index}`,
    created_at: "2013-02-25T03:56:53.081642",
    updated_at: index % 2 === 0 ? null : "2013-02-25T04:13:09.000000",
    metadata: { key_string: "value_string" },
    volume_id: "f9faf7df-fdc1-4093-9ef3-5cba06eef995",
    size: 40,
    "os-extended-snapshot-attributes:project_id": PROJECT_ID,
    "os-extended-snapshot-attributes:progress": "100%",
    service_type: "EVS",
  };
}

/**
 * One page of a native list of `total` snapshots. Like the real backend, the next link
 * points at an internal host and the compatible family; clients must not follow it.
 */
export function nativeListPage({ total, offset, limit }) {
  const end = Math.min(total, offset + limit);
  const snapshots = [];
  for (let i = offset; i < end; i++) snapshots.push(snapshot(i));
  const body = { count: total, snapshots };
  if (end < total) {
    body.snapshots_links = [
      {
        href: `https://172.28.9.185:8776/v2/${PROJECT_ID}/snapshots/detail?limit=${limit}&marker=${snapshotId(end - 1)}`,
        rel: "next",
      },
    ];
  }
  return body;
}
