// Counts the handles that would keep a Node process alive after a test: sockets, servers
// and timers, from process.getActiveResourcesInfo().
import { setTimeout as sleep } from "node:timers/promises";

const TRACKED = ["TCPSocketWrap", "TCPServerWrap", "Timeout"] as const;
export type ResourceCounts = Record<(typeof TRACKED)[number], number>;

export function countResources(): ResourceCounts {
  const active = process.getActiveResourcesInfo();
  return Object.fromEntries(
    TRACKED.map((type) => [type, active.filter((name) => name === type).length]),
  ) as ResourceCounts;
}

const exceeds = (counts: ResourceCounts, baseline: ResourceCounts) =>
  TRACKED.some((type) => counts[type] > baseline[type]);

/**
 * Closed sockets leave the list a few event-loop turns after close(); this gives them up
 * to `turns` short waits to go, then returns what is still there (nothing is asserted
 * about how long it took).
 */
export async function resourcesAfterSettling(
  baseline: ResourceCounts,
  turns = 100,
): Promise<ResourceCounts> {
  let counts = countResources();
  for (let turn = 0; turn < turns && exceeds(counts, baseline); turn++) {
    await sleep(20);
    counts = countResources();
  }
  return counts;
}
