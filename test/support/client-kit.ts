/**
 * The one test-helper module of the client's tests (unit, integration, fault, fuzz):
 * a recording fake fetch, JSON answers, snapshots built from the spec's own examples, and
 * an event-loop stall monitor. Fixtures come from `components.examples` of the bundled
 * spec, so they change when the spec does and never drift into shapes it does not allow.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type {
  FetchLike,
  NativeSnapshotListItem,
  Snapshot,
} from "../../packages/client/src/index.js";
import { loadBundledSpec } from "./spec.js";

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  redirect: RequestRedirect | undefined;
  signal: AbortSignal | undefined;
}

export type Handler = (call: RecordedCall, index: number) => Response | Promise<Response>;

export interface RecordingFetch {
  fetch: FetchLike;
  calls: RecordedCall[];
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/**
 * A fake fetch that records every call (URL, method, headers, body) and answers from
 * `handler`, so tests can assert what was sent, including that nothing was. A signal that
 * fires rejects the pending call as fetch does.
 */
export function recordingFetch(handler: Handler): RecordingFetch {
  const calls: RecordedCall[] = [];
  const fetch: FetchLike = async (input, init) => {
    const call: RecordedCall = {
      url: input,
      method: init.method ?? "GET",
      headers: headerRecord(init.headers),
      body: typeof init.body === "string" ? init.body : undefined,
      redirect: init.redirect,
      signal: init.signal ?? undefined,
    };
    const index = calls.length;
    calls.push(call);
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const answer = Promise.resolve(handler(call, index));
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      answer.then(
        (response) => {
          signal.removeEventListener("abort", onAbort);
          resolve(response);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  };
  return { fetch, calls };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** A promise that never settles by itself (a stalled server); the fake fetch rejects it on abort. */
export function never(): Promise<Response> {
  return new Promise<Response>(() => undefined);
}

// ---------------------------------------------------------------------------
// Fixtures from the spec's examples

type Example = { value: Record<string, unknown> };
const examples = (loadBundledSpec().components as { examples: Record<string, Example> }).examples;

function example<T>(name: string): T {
  const found = examples[name];
  if (!found) throw new Error(`the spec has no components.examples.${name}`);
  return structuredClone(found.value) as T;
}

type Fields = Record<string, unknown>;

/** The snapshot of the spec's `createdSnapshot` example (what create answers). */
export const SNAPSHOT: Readonly<Snapshot> = Object.freeze(
  example<{ snapshot: Snapshot }>("createdSnapshot").snapshot,
);
/** One item of the spec's `nativeListPage` example (adds service_type and the rest). */
export const NATIVE_LIST_ITEM: Readonly<NativeSnapshotListItem> = Object.freeze(
  example<{ snapshots: NativeSnapshotListItem[] }>("nativeListPage").snapshots[0]!,
);
/** One item of the spec's `compatibleListPage` example. */
export const COMPATIBLE_LIST_ITEM: Readonly<Snapshot> = Object.freeze(
  example<{ snapshots: Snapshot[] }>("compatibleListPage").snapshots[0]!,
);

/** A native list item with its own id and status (and any other fields). */
export function snapshot(
  id: string,
  status = "available",
  extra: Fields = {},
): NativeSnapshotListItem {
  return { ...NATIVE_LIST_ITEM, id, status, ...extra };
}

/** A compatible list item with its own id and status. */
export function compatibleSnapshot(id: string, status = "available", extra: Fields = {}): Snapshot {
  return { ...COMPATIBLE_LIST_ITEM, id, status, ...extra };
}

// ---------------------------------------------------------------------------
// Event-loop stalls

/**
 * Runs `work` while sampling the event loop's delay; returns the longest stall in ms.
 * Super-linear work on a few hundred KB blocks the loop for seconds; linear work, for
 * milliseconds: a bound of a few hundred ms tells them apart on any machine.
 */
export async function longestStallMs(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    await work();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}
