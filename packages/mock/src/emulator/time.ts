/**
 * Time stamps as the service writes them: UTC, no zone designator, microseconds
 * (`2013-02-25T03:56:53.081642`). Stored as microseconds since the epoch (a number), so
 * 100,000 snapshots cost no string until they are listed.
 */
let cachedSecond = Number.NaN;
let cachedText = "";

export function formatTimestamp(micros: number): string {
  const second = Math.floor(micros / 1_000_000);
  // Consecutive stamps often share their second (a page of creates, a burst of updates).
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const fraction = String(micros % 1_000_000).padStart(6, "0");
  return `${cachedText}.${fraction}`;
}

let lastMicros = 0;

/** Now, in microseconds, strictly increasing within the process (so created_at orders creates). */
export function nowMicros(): number {
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastMicros = now > lastMicros ? now : lastMicros + 1;
  return lastMicros;
}
