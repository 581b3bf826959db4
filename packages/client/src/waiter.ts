/**
 * waitForSnapshot: poll until a snapshot reaches a status, like Terraform's
 * providers do after create (pending `creating`, target `available`, fail on
 * `error`, 10 minute default).
 *
 * How a poll finds the snapshot (the spec has no "show one snapshot" call):
 * - native family: one list call filtered by `id` — one small request per
 *   poll, whatever the size of the project;
 * - compatible family: the pages of the compatible list are scanned (limit
 *   1000, optionally narrowed by `volumeId`) until the ID turns up. This costs
 *   more requests in a large project, but it stays on the family the caller
 *   chose: that is usually chosen because the endpoint or the credentials are
 *   OpenStack-only, where the native list may not be available.
 * A snapshot that is not listed (yet) is polled again until the deadline.
 */
import { EvsSnapshotFailedError, EvsTimeoutError, EvsValidationError } from "./errors.js";
import { sleep } from "./transport.js";
import { checkPathParameter } from "./validation.js";
import type { KnownSnapshotStatus, Snapshot, SnapshotStatus } from "./types.js";

export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_WAIT_INTERVAL_MS = 3_000;
/** Statuses that end the wait at once (unless awaited explicitly). */
export const FAILURE_STATUSES: readonly KnownSnapshotStatus[] = ["error", "error_deleting"];

export interface WaitForSnapshotOptions {
  /** Status (or statuses) to wait for; default `available`. */
  status?: SnapshotStatus | readonly SnapshotStatus[];
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Pause between polls (default 3 s). */
  intervalMs?: number;
  /** Narrows each poll to the snapshots of this disk (helps the compatible family's page scan). */
  volumeId?: string;
  signal?: AbortSignal;
}

/** Looks the snapshot up once; undefined when it is not listed. */
export type FindSnapshot<T extends Snapshot> = (id: string, signal: AbortSignal, volumeId: string | undefined) => Promise<T | undefined>;

function checkDuration(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new EvsValidationError(field, `${field} must be a finite, non-negative number of milliseconds`);
  }
  return value;
}

/** A signal that fires when `outer` fires or when `ms` have passed (AbortSignal.any is not in every Node 20). */
function deadlineSignal(outer: AbortSignal | undefined, ms: number): { signal: AbortSignal; expired: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, ms);
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onAbort, { once: true });
  if (outer?.aborted) onAbort();
  return {
    signal: controller.signal,
    expired: () => expired,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}

export async function waitForSnapshot<T extends Snapshot>(
  find: FindSnapshot<T>,
  snapshotId: string,
  options: WaitForSnapshotOptions = {},
): Promise<T> {
  checkPathParameter("snapshot_id", snapshotId);
  const wanted: readonly string[] =
    options.status === undefined ? ["available"] : typeof options.status === "string" ? [options.status] : options.status;
  if (wanted.length === 0 || wanted.some((status) => typeof status !== "string" || status === "")) {
    throw new EvsValidationError("status", "status must be a non-empty string or a non-empty list of them");
  }
  const timeoutMs = checkDuration("timeoutMs", options.timeoutMs, DEFAULT_WAIT_TIMEOUT_MS);
  const intervalMs = checkDuration("intervalMs", options.intervalMs, DEFAULT_WAIT_INTERVAL_MS);
  const deadline = Date.now() + timeoutMs;
  const limit = deadlineSignal(options.signal, timeoutMs);
  let lastStatus: string | undefined;

  const describe = () =>
    `waiting for snapshot ${snapshotId} to become ${wanted.join(" or ")}; last status seen: ${lastStatus ?? "none (not listed)"}`;

  const timedOut = () =>
    new EvsTimeoutError(`timed out after ${timeoutMs} ms ${describe()}`, { reason: "timeout", timeoutMs, snapshotId, lastStatus });

  try {
    // Bounded by the deadline: every pass either returns, throws, or sleeps towards it.
    for (;;) {
      const snapshot = await find(snapshotId, limit.signal, options.volumeId);
      if (snapshot !== undefined) {
        lastStatus = snapshot.status;
        if (wanted.includes(snapshot.status)) return snapshot;
        if ((FAILURE_STATUSES as readonly string[]).includes(snapshot.status)) {
          throw new EvsSnapshotFailedError(snapshotId, snapshot.status, wanted);
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw timedOut();
      await sleep(Math.min(intervalMs, remaining), limit.signal);
    }
  } catch (error) {
    if (error instanceof EvsTimeoutError && error.reason === "aborted") {
      if (limit.expired() && !options.signal?.aborted) throw timedOut();
      throw new EvsTimeoutError(`aborted ${describe()}`, { reason: "aborted", snapshotId, lastStatus, cause: options.signal?.reason });
    }
    throw error;
  } finally {
    limit.dispose();
  }
}
