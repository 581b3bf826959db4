// The targets of issue "Prove it", one place, so the report and its verdicts agree.
export const TARGETS = {
  tokenRatio: { limit: 1.1, text: "≤ 1.10× raw fetch" },
  signingMicros: { limit: 25, text: "≤ 25 µs CPU added per request over the token path" },
  gzipBytes: { limit: 8 * 1024, text: "≤ 8 KB gzip" },
  fullGzipBytes: { limit: 12 * 1024, text: "≤ 12 KB gzip" },
  coldStartMs: { limit: 15, text: "≤ 15 ms over the empty module" },
  // "Flat": iterating 100× more snapshots may not cost more than 10 MB more at the peak.
  memoryGrowthBytes: { limit: 10 * 1024 * 1024, text: "within 10 MB of the 1,000 run" },
  // The sampled peak's growth may exceed that of raw fetch + response.json() over the same pages by 20%.
  peakOverFloor: { limit: 1.2, text: "≤ 1.2× raw fetch + json() over the same pages" },
  // "Linear": the cost per snapshot at 100,000 may not exceed 1.5× that of the 1,000 run.
  perSnapshotRatio: { limit: 1.5, text: "µs/snapshot ≤ 1.5× the 1,000 run" },
};

export const verdict = (ok) => (ok ? "✅ met" : "❌ not met");
export const NO_TARGET = { target: "(recorded, no target)", met: "—" };
