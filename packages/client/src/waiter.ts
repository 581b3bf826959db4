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

import { EvsSnapshotFailedError, EvsTimeoutError } from "./errors.js";
import { specFacts } from "./generated/spec-facts.js";
import { checkNumber, checkPathParameter, invalid } from "./internal/checks.js";
import { sleep } from "./internal/sleep.js";
import type { Snapshot, SnapshotStatus } from "./types.js";

export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_WAIT_INTERVAL_MS = 3_000;

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
  /** Extra request headers for every poll (see CallOptions.headers). */
  headers?: Record<string, string>;
}

/** Looks the snapshot up once; undefined when it is not listed. */
export type FindSnapshot<T extends Snapshot> = (
  id: string,
  signal: AbortSignal,
  volumeId: string | undefined,
) => Promise<T | undefined>;

export async function waitForSnapshot<T extends Snapshot>(
  find: FindSnapshot<T>,
  snapshotId: string,
  options: WaitForSnapshotOptions = {},
): Promise<T> {
  checkPathParameter("snapshot_id", snapshotId);
  const { status = "available", signal: outer, volumeId } = options;
  const wanted: readonly string[] =
    typeof status === "string" ? [status] : Array.isArray(status) ? status : [];
  if (wanted.length === 0 || wanted.some((s) => typeof s !== "string" || s === "")) {
    invalid("status", "must be a non-empty string or a non-empty list of them");
  }
  const timeoutMs = checkNumber("timeoutMs", options.timeoutMs, DEFAULT_WAIT_TIMEOUT_MS, false);
  const intervalMs = checkNumber("intervalMs", options.intervalMs, DEFAULT_WAIT_INTERVAL_MS, false);
  const deadline = Date.now() + timeoutMs;
  let lastStatus: string | undefined;

  // One signal for every poll and pause: fires when the caller aborts or the wait's time runs out
  // (AbortSignal.any is not in every Node 20).
  const limit = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    limit.abort();
  }, timeoutMs);
  const onAbort = () => limit.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  outer?.addEventListener("abort", onAbort);

  const describe = () =>
    `waiting for snapshot ${snapshotId} to become ${wanted.join(" or ")}; last status seen: ${lastStatus ?? "none (not listed)"}`;
  const timedOut = () =>
    new EvsTimeoutError(`timed out after ${timeoutMs} ms ${describe()}`, {
      reason: "timeout",
      timeoutMs,
      snapshotId,
      lastStatus,
    });

  try {
    // Bounded by the deadline: every pass either returns, throws, or sleeps towards it.
    for (;;) {
      const snapshot = await find(snapshotId, limit.signal, volumeId);
      if (snapshot) {
        lastStatus = snapshot.status;
        if (wanted.includes(lastStatus)) return snapshot;
        if ((specFacts.failureStatuses as readonly string[]).includes(lastStatus))
          throw new EvsSnapshotFailedError(snapshotId, lastStatus, wanted);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw timedOut();
      await sleep(Math.min(intervalMs, remaining), limit.signal);
    }
  } catch (error) {
    if (error instanceof EvsTimeoutError && error.reason === "aborted") {
      if (expired && !outer?.aborted) throw timedOut();
      throw new EvsTimeoutError(`aborted ${describe()}`, {
        reason: "aborted",
        snapshotId,
        lastStatus,
        cause: outer?.reason,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onAbort);
  }
}
