// A bounded concurrent load on loopback: LOAD_CONCURRENCY workers share LOAD_REQUESTS
// requests, stopping early at the deadline, so a stuck server ends the run instead of the
// bench. Shared by the Prism row (toolkit.mjs) and the mock rows (mock.mjs).
import { elapsedMs, percentile } from "./stats.mjs";

export const LOAD_REQUESTS = 2_000;
export const LOAD_CONCURRENCY = 16;
const LOAD_DEADLINE_MS = 60_000;

/** `send()` makes one request and resolves with its Response. */
export async function runLoad(send) {
  const latencies = [];
  let next = 0;
  let failures = 0;
  const deadline = Date.now() + LOAD_DEADLINE_MS;
  const worker = async () => {
    while (next < LOAD_REQUESTS && Date.now() < deadline) {
      next++;
      const start = process.hrtime.bigint();
      const response = await send();
      await response.arrayBuffer();
      latencies.push(elapsedMs(start));
      if (response.status !== 200) failures++;
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
  const wallMs = elapsedMs(start);
  return {
    requests: latencies.length,
    concurrency: LOAD_CONCURRENCY,
    failures,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    perSecond: (latencies.length / wallMs) * 1000,
  };
}
