/**
 * The waiters: poll a snapshot with show (GET …/{snapshot_id}) until it reaches a
 * status, or until it is gone, like Terraform's providers do (after create: pending
 * `creating`, target `available`, 10 minute default; after delete: pending
 * `available`/`deleting`, done at the 404). Functions of their own, taking the client, as
 * AWS SDK v3's waiters are: an application that never waits does not bundle them.
 *
 * Each poll is exactly one show request on the client's own family, whatever the number
 * of snapshots in the project. A failure status (`x-failure-statuses` in the spec:
 * `error`, `error_deleting`) ends either wait at once with EvsSnapshotFailedError,
 * carrying the status seen.
 *
 * Waiting for a deletion is its own function rather than a `"deleted"` target status:
 * the end of a deletion is a 404, not a status, and Cinder documents a `deleted` status
 * value that a target of that name would be mistaken for.
 */

import type { CallOptions, EvsClient } from "./client.js";
import { EvsSnapshotFailedError, EvsTimeoutError, isSnapshotGone } from "./errors.js";
import { specFacts } from "./generated/spec-facts.js";
import { checkNumber, checkPathParameter, checkSignal, invalid } from "./internal/checks.js";
import { sleep } from "./internal/sleep.js";
import type { Snapshot, SnapshotFamily, SnapshotStatus } from "./types.js";

export const DEFAULT_WAIT_TIMEOUT_MS = 600_000; // 10 minutes, written out so bundlers can drop it when unused
export const DEFAULT_WAIT_INTERVAL_MS = 3_000;

/** Options of both waiters. */
export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Pause between polls (default 3 s). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Extra request headers for every poll (see CallOptions.headers). */
  headers?: Record<string, string>;
}

export interface WaitForSnapshotOptions extends WaitOptions {
  /** Status (or statuses) to wait for; default `available`. */
  status?: SnapshotStatus | readonly SnapshotStatus[];
}

export type WaitForSnapshotDeletedOptions = WaitOptions;

/** What a waiter needs of a client: its show. */
export type WaitableClient = Pick<EvsClient<SnapshotFamily>, "getSnapshot">;

/** What a wait is for: its name in messages, and when a poll's answer ends it. */
interface Goal {
  wanted: readonly string[];
  /** The snapshot (undefined: 404) when this answer ends the wait, else undefined. */
  reached(snapshot: Snapshot | undefined): { value: Snapshot | undefined } | undefined;
  /** How a 404 is described while it does not end the wait. */
  missing: string;
}

async function poll(
  client: WaitableClient,
  snapshotId: string,
  options: WaitOptions,
  goal: Goal,
): Promise<Snapshot | undefined> {
  checkPathParameter("snapshot_id", snapshotId);
  const { signal: outer, headers } = options;
  checkSignal(outer);
  const timeoutMs = checkNumber("timeoutMs", options.timeoutMs, DEFAULT_WAIT_TIMEOUT_MS, false);
  const intervalMs = checkNumber("intervalMs", options.intervalMs, DEFAULT_WAIT_INTERVAL_MS, false);
  const deadline = Date.now() + timeoutMs;
  const { wanted } = goal;
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
    `waiting for snapshot ${snapshotId} to become ${wanted.join(" or ")}; last status seen: ${lastStatus ?? goal.missing}`;
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
      // One show per poll; undefined when EVS itself says the snapshot does not exist.
      const call: CallOptions = { signal: limit.signal };
      if (headers !== undefined) call.headers = headers;
      const snapshot = await client.getSnapshot(snapshotId, call).catch((error: unknown) => {
        if (isSnapshotGone(error)) return undefined;
        throw error;
      });
      const done = goal.reached(snapshot);
      if (done) return done.value;
      if (snapshot) {
        lastStatus = snapshot.status;
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

/**
 * Polls until the snapshot has one of the statuses (default `available`). A 404 is polled
 * again until the deadline: a snapshot just created may not be visible yet.
 */
export async function waitForSnapshot(
  client: WaitableClient,
  snapshotId: string,
  options: WaitForSnapshotOptions = {},
): Promise<Snapshot> {
  const { status = "available" } = options;
  const wanted: readonly string[] =
    typeof status === "string" ? [status] : Array.isArray(status) ? status : [];
  if (wanted.length === 0 || wanted.some((s) => typeof s !== "string" || s === "")) {
    invalid("status", "must be a non-empty string or a non-empty list of them");
  }
  const found = await poll(client, snapshotId, options, {
    wanted,
    reached: (snapshot) =>
      snapshot && wanted.includes(snapshot.status) ? { value: snapshot } : undefined,
    missing: "none (not found)",
  });
  return found as Snapshot;
}

/** Polls until show answers 404; `error_deleting` (or `error`) ends the wait at once. */
export async function waitForSnapshotDeleted(
  client: WaitableClient,
  snapshotId: string,
  options: WaitForSnapshotDeletedOptions = {},
): Promise<void> {
  await poll(client, snapshotId, options, {
    wanted: ["gone (404)"],
    reached: (snapshot) => (snapshot === undefined ? { value: undefined } : undefined),
    missing: "none",
  });
}
