// Small statistics helpers. Medians everywhere: the benchmark machine is shared and noisy,
// and a median ignores the occasional stall that would drag a mean.

export function median(values) {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of an unsorted list. */
export function percentile(values, p) {
  if (values.length === 0) throw new Error("percentile of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Calls `fn` `count` times in sequence and returns the mean duration of one call in µs. */
export async function meanMicros(count, fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / count;
}

/** Duration of one call of `fn` in µs. */
export async function microsOf(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e3;
}

export function elapsedMs(startNs) {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

export const fmt = {
  us: (v) => `${v.toFixed(1)} µs`,
  ms: (v) => `${v.toFixed(v < 10 ? 2 : 1)} ms`,
  s: (v) => `${(v / 1000).toFixed(1)} s`,
  ratio: (v) => `${v.toFixed(2)}×`,
  kb: (bytes) => `${(bytes / 1024).toFixed(1)} KB`,
  mb: (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`,
};
