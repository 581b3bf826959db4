/**
 * A fake `fetch` for unit tests: records every call (URL, method, headers,
 * body) and answers from a handler, so tests can assert what was sent —
 * including that nothing was sent at all.
 */
import type { FetchLike } from "../../../packages/client/src/index.js";

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

/** Answers each call with `handler`; a signal that fires rejects the pending call like fetch does. */
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

export const SNAPSHOT = {
  id: "f9faf7df-fdc1-4093-9ef3-5cba06eef995",
  status: "creating",
  name: "snap-001",
  description: null,
  created_at: "2013-02-25T03:56:53.081642",
  metadata: {},
  volume_id: "5aa119a8-d25b-45a7-8d1b-88e127885635",
  size: 1,
} as const;

export function snapshot(id: string, status = "available", extra: Record<string, unknown> = {}) {
  return { ...SNAPSHOT, id, status, service_type: "EVS", ...extra };
}
