/**
 * Time stamps as the service writes them: UTC, no zone designator, microseconds
 * (`2013-02-25T03:56:53.081642`). Stored as microseconds since the epoch (a number), so
 * 100,000 snapshots cost no string until they are listed.
 */
export function formatTimestamp(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const fraction = String(micros % 1_000_000).padStart(6, "0");
  return `${new Date(millis).toISOString().slice(0, 19)}.${fraction}`;
}

let lastMicros = 0;

/** Now, in microseconds, strictly increasing within the process (so created_at orders creates). */
export function nowMicros(): number {
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastMicros = now > lastMicros ? now : lastMicros + 1;
  return lastMicros;
}
