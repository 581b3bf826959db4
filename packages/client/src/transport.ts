/**
 * The one path every request takes, from the four methods and from `raw`:
 * authentication (token or AK/SK signature), per-attempt timeout, the
 * caller's AbortSignal, retries with backoff, and the origin guard on
 * redirects. It never throws for an HTTP status: it returns the final answer
 * (body already read) and the caller decides; it throws EvsTimeoutError,
 * EvsNetworkError and EvsRedirectError.
 *
 * Cost on the token path matters (target: within 10% of a bare fetch), so:
 * header objects are built once per client, the body is a string read once
 * and re-sent as is on every attempt, nothing is cloned, and an attempt
 * without a time limit or caller signal creates no AbortController.
 */

import {
  EvsError,
  EvsNetworkError,
  EvsRedirectError,
  EvsTimeoutError,
  redactSecrets,
  requestLabel,
} from "./errors.js";
import { specFacts } from "./generated/spec-facts.js";
import type { AkSkCredentials } from "./signing/sign.js";
import { createRequestSigner } from "./signing/sign.js";
import { checkNonEmpty, checkNumber, invalid } from "./validation.js";

/** The fetch the client calls: `globalThis.fetch` by default, injectable for tests. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type TokenAuth = { token: string };
export type AkSkAuth = { accessKey: string; secretKey: string; securityToken?: string };
export type EvsAuth = TokenAuth | AkSkAuth;

export interface RetryInfo {
  /** 1 for the first retry. */
  retry: number;
  /** How long the client waits before this retry. */
  delayMs: number;
  method: string;
  /** Request path, without the query. */
  path: string;
  /** The retryable status that caused it, if any. */
  status?: number;
  /** The network error or attempt timeout that caused it, if any. */
  error?: EvsError;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 3); 0 disables retries. */
  attempts?: number;
  /** Base of the exponential backoff (default 250 ms); each wait is random in [0, min(maxDelayMs, base * 2^n)]. */
  baseDelayMs?: number;
  /** Cap of any single wait, backoff or Retry-After (default 20 000 ms). */
  maxDelayMs?: number;
  /**
   * Retry createSnapshot too (default false). A create whose answer was lost
   * may still have created a snapshot, so a retry can make a second one.
   */
  create?: boolean;
  /** Called before each retry (for logging/metrics); carries no headers or secrets. */
  onRetry?: (info: RetryInfo) => void;
}

export interface TransportOptions {
  origin: string;
  auth: EvsAuth;
  projectId: string;
  fetch?: FetchLike | undefined;
  /** Per attempt, including reading the body; 0 or Infinity disables. Default 30 000 ms. */
  timeoutMs?: number | undefined;
  retry?: RetryOptions | undefined;
}

export interface TransportRequest {
  method: string;
  /** Path on the configured origin, percent-encoded as it goes on the wire (also names the request in errors and retry info). */
  path: string;
  /** `""` or `?` and the encoded query. */
  search: string;
  /** JSON text, read once, sent as is on every attempt. */
  body?: string | undefined;
  /** Extra headers with lowercase names (the raw client's), added under the auth headers. */
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | null | undefined;
  /** Whether a failed attempt may be repeated (idempotent, or the caller opted in). */
  retryable: boolean;
}

export interface TransportResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** The whole body; for error statuses, scrubbed of this client's secrets. */
  text: string;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  readonly retryCreate: boolean;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY = { attempts: 3, baseDelayMs: 250, maxDelayMs: 20_000 } as const;
/** Same-origin redirects followed per attempt, each re-signed. */
export const MAX_REDIRECTS = 5;

/** Headers the transport owns; a caller-supplied value would be stale (date) or wrong (credentials). */
const AUTH_HEADER_NAMES: readonly string[] = [
  "x-auth-token",
  "authorization",
  "x-sdk-date",
  "x-project-id",
  "x-security-token",
];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export function isAkSk(auth: EvsAuth): auth is AkSkAuth {
  return "accessKey" in auth;
}

/** Refuses an auth option of neither shape; messages name the field, never its value. */
function checkAuth(auth: unknown): asserts auth is EvsAuth {
  if (typeof auth !== "object" || auth === null)
    invalid("auth", "is required: { token } or { accessKey, secretKey, securityToken? }");
  const given = auth as Record<string, unknown>;
  const required = isAkSk(auth as EvsAuth)
    ? ["accessKey", "secretKey", "securityToken"]
    : ["token"];
  for (const key of required) {
    if (key !== "securityToken" || given[key] !== undefined)
      checkNonEmpty(`auth.${key}`, given[key]);
  }
}

/**
 * Milliseconds to wait from a Retry-After header (delta-seconds or an HTTP
 * date) or, failing that, an OpenStack `overLimit.retryAfter` in the body.
 */
export function retryAfterMs(
  headers: Headers,
  text: string,
  now: number = Date.now(),
): number | undefined {
  const header = headers.get("retry-after")?.trim();
  if (header) {
    const date = /^\d+$/.test(header) ? now + Number(header) * 1000 : Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (text.includes("retryAfter")) {
    try {
      const value = (JSON.parse(text) as { overLimit?: { retryAfter?: unknown } }).overLimit
        ?.retryAfter;
      const seconds = typeof value === "number" || typeof value === "string" ? Number(value) : NaN;
      if (seconds >= 0 && seconds < Infinity) return seconds * 1000;
    } catch {
      // not JSON: no hint
    }
  }
  return undefined;
}

function abortedError(signal: AbortSignal, method?: string, path?: string): EvsTimeoutError {
  // The caller's own reason (e.g. from AbortSignal.timeout) is kept as the cause.
  return new EvsTimeoutError(`${requestLabel(method, path)} was aborted by the caller`, {
    reason: "aborted",
    method,
    path,
    cause: signal.reason,
  });
}

/** Resolves after `ms`, or rejects with an "aborted" EvsTimeoutError as soon as `signal` fires. */
export function sleep(
  ms: number,
  signal?: AbortSignal | null,
  what?: { method?: string; path?: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal!, what?.method, what?.path));
    };
    if (signal?.aborted) return onAbort();
    if (ms <= 0) return resolve();
    timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const ignore = () => undefined;

export function createTransport(options: TransportOptions): Transport {
  const { origin, auth, retry = {} } = options;
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = checkNumber("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const useTimeout = timeoutMs > 0 && timeoutMs < Infinity;
  const attempts = checkNumber("retry.attempts", retry.attempts, DEFAULT_RETRY.attempts);
  if (!Number.isInteger(attempts)) invalid("retry.attempts", "must be an integer");
  const baseDelayMs = checkNumber(
    "retry.baseDelayMs",
    retry.baseDelayMs,
    DEFAULT_RETRY.baseDelayMs,
  );
  const maxDelayMs = checkNumber("retry.maxDelayMs", retry.maxDelayMs, DEFAULT_RETRY.maxDelayMs);
  checkAuth(auth);

  // Copy what is needed out of the caller's auth object, so later changes to it do not leak in.
  const akSk: AkSkCredentials | undefined = isAkSk(auth)
    ? {
        accessKey: auth.accessKey,
        secretKey: auth.secretKey,
        securityToken: auth.securityToken,
        projectId: options.projectId,
      }
    : undefined;
  const secrets = akSk ? [akSk.secretKey, akSk.securityToken ?? ""] : [(auth as TokenAuth).token];
  const sign = akSk && createRequestSigner(akSk);
  const { host } = new URL(origin);

  // Built once: the token path sends these very objects on every request. No header object
  // is changed after it is built: the AK/SK signer caches its work per header object.
  const plainHeaders: Record<string, string> = akSk
    ? { accept: "application/json" }
    : { accept: "application/json", "x-auth-token": secrets[0]! };
  const jsonHeaders: Record<string, string> = {
    ...plainHeaders,
    "content-type": "application/json",
  };

  function baseHeaders(
    extra: Record<string, string> | undefined,
    hasBody: boolean,
  ): Record<string, string> {
    if (extra === undefined) return hasBody ? jsonHeaders : plainHeaders;
    const merged: Record<string, string> = {};
    for (const name in extra) {
      if (!AUTH_HEADER_NAMES.includes(name) && (hasBody || name !== "content-type"))
        merged[name] = extra[name]!;
    }
    return Object.assign(merged, hasBody && !merged["content-type"] ? jsonHeaders : plainHeaders);
  }

  /** An error body with this client's secrets and any signature replaced. */
  const scrub = (text: string) =>
    redactSecrets(text, secrets).replace(/Signature=[0-9a-fA-F]+/g, "Signature=[REDACTED]");

  /**
   * One attempt: fetch, follow same-origin redirects (re-signed), read the
   * body, all under the attempt's time limit.
   *
   * With a time limit (the default) or a caller signal, the attempt has one
   * AbortController: the limit or the caller's abort aborts the fetch itself,
   * so a stalled server's connection is released at once, not after the
   * runtime's own socket timeouts. Both also reject `stopped`, which is raced
   * against fetch and the body read, so even a fetch that ignores its signal
   * cannot overrun (its late answer's body is then cancelled).
   */
  async function attempt(request: TransportRequest): Promise<TransportResponse> {
    const { method: originalMethod, path, signal: callerSignal } = request;
    let controller: AbortController | undefined;
    let stopped: Promise<never> | undefined;
    let stop = ignore;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    let pending: Promise<Response> | undefined;
    if (useTimeout || callerSignal) {
      const attemptController = (controller = new AbortController());
      stopped = new Promise<never>((_resolve, reject) => {
        stop = () => {
          attemptController.abort(callerSignal?.aborted ? callerSignal.reason : undefined);
          reject(new Error("attempt stopped"));
        };
      });
      stopped.catch(ignore); // handled below; never an unhandled rejection
      callerSignal?.addEventListener("abort", stop);
      if (useTimeout) {
        timer = setTimeout(() => {
          timedOut = true;
          stop();
        }, timeoutMs);
      }
    }
    const race = <T>(promise: Promise<T>): Promise<T> =>
      stopped ? Promise.race([promise, stopped]) : promise;

    let method = originalMethod;
    let { path: pathname, search } = request;
    let body = request.body;
    let headers = baseHeaders(request.headers, body !== undefined);
    try {
      for (let redirects = 0; ; redirects++) {
        const url = origin + pathname + search;
        let sent = headers;
        if (sign) {
          // Every attempt and redirect is signed afresh (a new X-Sdk-Date).
          const signing = sign({ method, url: { host, pathname, search }, headers, body });
          sent = { ...headers, ...(signing instanceof Promise ? await race(signing) : signing) };
        }
        const init: RequestInit = { method, headers: sent, redirect: "manual" };
        if (body !== undefined) init.body = body;
        if (controller) init.signal = controller.signal;
        pending = fetchFn(url, init);
        const response = await race(pending);
        const { status } = response;
        // Browsers hide the target of a manual redirect (an opaque redirect), so it cannot be checked: refuse it.
        const opaque = response.type === "opaqueredirect";
        const location = opaque
          ? ""
          : REDIRECT_STATUSES.includes(status)
            ? response.headers.get("location")
            : null;
        if (location === null) {
          const text = await race(response.text());
          return {
            status,
            statusText: response.statusText,
            headers: response.headers,
            text: status >= 400 ? scrub(text) : text,
          };
        }
        void response.body?.cancel().catch(ignore);
        const target = opaque ? undefined : new URL(location, url);
        const refused = !target
          ? "a redirect whose target the runtime hides"
          : target.origin !== origin
            ? `a ${status} redirect to another origin (${target.origin}); credentials are only sent to ${origin}`
            : redirects >= MAX_REDIRECTS
              ? `more than ${MAX_REDIRECTS} redirects`
              : undefined;
        if (refused) {
          throw new EvsRedirectError(`${requestLabel(originalMethod, path)}: refused ${refused}`, {
            status,
            targetOrigin: target?.origin,
            method: originalMethod,
            path,
          });
        }
        // As fetch does: 303 (and 301/302 after POST) turn into a GET without a body.
        if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
          if (method !== "HEAD") method = "GET";
          body = undefined;
          headers = baseHeaders(request.headers, false);
        }
        ({ pathname, search } = target!);
      }
    } catch (error) {
      if (error instanceof EvsError) throw error;
      if (callerSignal?.aborted) throw abortedError(callerSignal, originalMethod, path);
      if (!timedOut) throw new EvsNetworkError(originalMethod, path, error);
      // Release the connection of an answer that arrives anyway (a fetch that ignored the signal).
      pending?.then((late) => late.body?.cancel().catch(ignore), ignore);
      throw new EvsTimeoutError(
        `${requestLabel(originalMethod, path)}: no complete answer within ${timeoutMs} ms`,
        {
          reason: "timeout",
          timeoutMs,
          method: originalMethod,
          path,
        },
      );
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", stop);
    }
  }

  async function send(request: TransportRequest): Promise<TransportResponse> {
    const { method, path, signal } = request;
    if (signal?.aborted) throw abortedError(signal, method, path);
    const maxRetries = request.retryable ? attempts : 0;
    // Bounded: at most maxRetries + 1 attempts.
    for (let retryNumber = 1; ; retryNumber++) {
      let response: TransportResponse | undefined;
      let error: EvsError | undefined;
      try {
        response = await attempt(request);
        if (
          retryNumber > maxRetries ||
          !(specFacts.retryableStatuses as readonly number[]).includes(response.status)
        )
          return response;
      } catch (caught) {
        const transient =
          caught instanceof EvsNetworkError ||
          (caught instanceof EvsTimeoutError && caught.reason === "timeout");
        if (!transient || retryNumber > maxRetries) throw caught;
        error = caught;
      }
      // Retry-After (capped), else full jitter: spreads clients that failed together over the whole window.
      const hinted = response && retryAfterMs(response.headers, response.text);
      const delayMs =
        hinted === undefined
          ? Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retryNumber - 1))
          : Math.min(hinted, maxDelayMs);
      retry.onRetry?.({
        retry: retryNumber,
        delayMs,
        method,
        path,
        ...(response && { status: response.status }),
        ...(error && { error }),
      });
      await sleep(delayMs, signal, request);
    }
  }

  return { send, retryCreate: retry.create === true };
}
