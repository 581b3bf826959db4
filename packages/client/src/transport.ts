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
 * and re-sent as is on every attempt, nothing is cloned, and a `signal` is
 * handed to fetch only when the caller passed one (see `attempt`).
 */
import { contract } from "./generated/contract.js";
import { signParts } from "./signing/sign.js";
import type { AkSkCredentials, SigningHeaders } from "./signing/sign.js";
import {
  EvsError,
  EvsNetworkError,
  EvsRedirectError,
  EvsTimeoutError,
  EvsValidationError,
  redactSecrets,
} from "./errors.js";

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
  /** Absolute URL on the configured origin. */
  url: string;
  /** Path without the query, for errors and retry info. */
  path: string;
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

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set(contract.retryableStatuses);
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Headers the transport owns; a caller-supplied value would be stale (date) or wrong (credentials). */
export const AUTH_HEADER_NAMES: ReadonlySet<string> = new Set([
  "x-auth-token",
  "authorization",
  "x-sdk-date",
  "x-project-id",
  "x-security-token",
]);
const SIGNATURE = /Signature=[0-9a-fA-F]+/g;

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new EvsValidationError(name, `${name} must be a non-negative number`);
  }
  return value;
}

export function isAkSk(auth: EvsAuth): auth is AkSkAuth {
  return "accessKey" in auth;
}

/**
 * Milliseconds to wait from a Retry-After header (delta-seconds or an HTTP
 * date) or, failing that, an OpenStack `overLimit.retryAfter` in the body.
 */
export function retryAfterMs(headers: Headers, text: string, now: number = Date.now()): number | undefined {
  const header = headers.get("retry-after")?.trim();
  if (header) {
    if (/^\d+$/.test(header)) return Number(header) * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (text.includes("retryAfter")) {
    try {
      const value = (JSON.parse(text) as { overLimit?: { retryAfter?: unknown } }).overLimit?.retryAfter;
      const seconds = typeof value === "string" ? Number(value) : value;
      if (typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    } catch {
      // not JSON: no hint
    }
  }
  return undefined;
}

/** Resolves after `ms`, or rejects with an "aborted" EvsTimeoutError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal | null, what?: { method?: string; path?: string }): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortedError(signal, what?.method, what?.path));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal!, what?.method, what?.path));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortedError(signal: AbortSignal, method?: string, path?: string): EvsTimeoutError {
  const where = method && path ? `EVS ${method} ${path}` : "EVS request";
  // The caller's own reason (e.g. from AbortSignal.timeout) is kept as the cause.
  return new EvsTimeoutError(`${where} was aborted by the caller`, { reason: "aborted", method, path, cause: signal.reason });
}

export function createTransport(options: TransportOptions): Transport {
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = nonNegative("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const useTimeout = timeoutMs > 0 && Number.isFinite(timeoutMs);
  const retry = options.retry ?? {};
  const attempts = nonNegative("retry.attempts", retry.attempts, DEFAULT_RETRY.attempts);
  if (!Number.isInteger(attempts)) throw new EvsValidationError("retry.attempts", "retry.attempts must be an integer");
  const baseDelayMs = nonNegative("retry.baseDelayMs", retry.baseDelayMs, DEFAULT_RETRY.baseDelayMs);
  const maxDelayMs = nonNegative("retry.maxDelayMs", retry.maxDelayMs, DEFAULT_RETRY.maxDelayMs);
  const onRetry = retry.onRetry;
  const origin = options.origin;

  // Copy what is needed out of the caller's auth object, so later changes to it do not leak in.
  const auth = options.auth;
  const akSk: AkSkCredentials | undefined = isAkSk(auth)
    ? {
        accessKey: auth.accessKey,
        secretKey: auth.secretKey,
        ...(auth.securityToken ? { securityToken: auth.securityToken } : {}),
        projectId: options.projectId,
      }
    : undefined;
  const secrets = akSk ? [akSk.secretKey, akSk.securityToken ?? ""] : [(auth as TokenAuth).token];

  // Built once: the token path sends these very objects on every request.
  const plainHeaders: Record<string, string> = akSk
    ? { accept: "application/json" }
    : { accept: "application/json", "x-auth-token": (auth as TokenAuth).token };
  const jsonHeaders: Record<string, string> = { ...plainHeaders, "content-type": "application/json" };

  function baseHeaders(request: TransportRequest, hasBody: boolean): Record<string, string> {
    if (request.headers === undefined) return hasBody ? jsonHeaders : plainHeaders;
    const merged: Record<string, string> = {};
    for (const name in request.headers) {
      if (!AUTH_HEADER_NAMES.has(name) && !(name === "content-type" && !hasBody)) merged[name] = request.headers[name]!;
    }
    return Object.assign(merged, hasBody && !merged["content-type"] ? jsonHeaders : plainHeaders);
  }

  /** Signs a fresh copy for AK/SK (new X-Sdk-Date each time); the token path returns `base` untouched. */
  function authorise(
    method: string,
    url: string,
    base: Record<string, string>,
    body: string | undefined,
  ): Record<string, string> | Promise<Record<string, string>> {
    if (!akSk) return base;
    const signed = signParts({ method, url, headers: base, body }, akSk);
    const merge = (added: SigningHeaders) => ({ ...base, ...added });
    return signed instanceof Promise ? signed.then(merge) : merge(signed);
  }

  function scrub(text: string): string {
    return redactSecrets(text, secrets).replace(SIGNATURE, "Signature=[REDACTED]");
  }

  /**
   * One attempt: fetch, follow same-origin redirects (re-signed), read the
   * body, all under the attempt's time limit.
   *
   * How the time limit is enforced depends on whether the caller passed a
   * signal. Handing any signal to Node's fetch (undici) costs some 20-30 µs per
   * request, about 15% of a local round trip, so without a caller signal the
   * limit is a race against a timer: the caller gets the EvsTimeoutError on
   * time, and the abandoned response is cancelled if it arrives later (a
   * server that never answers holds its socket until the runtime's own
   * timeouts). With a caller signal, one AbortController carries both the
   * caller's abort and the time limit into fetch, which cancels the request
   * itself.
   */
  async function attempt(request: TransportRequest): Promise<TransportResponse> {
    const callerSignal = request.signal ?? undefined;
    let controller: AbortController | undefined;
    let deadline: Promise<never> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    let forwardAbort: (() => void) | undefined;
    let pending: Promise<Response> | undefined;
    if (callerSignal) {
      controller = new AbortController();
      forwardAbort = () => controller!.abort(callerSignal.reason);
      callerSignal.addEventListener("abort", forwardAbort, { once: true });
      if (useTimeout) {
        timer = setTimeout(() => {
          timedOut = true;
          controller!.abort();
        }, timeoutMs);
      }
    } else if (useTimeout) {
      deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error("attempt timed out"));
        }, timeoutMs);
      });
      deadline.catch(() => undefined); // handled below; never an unhandled rejection
    }
    let method = request.method;
    let url = request.url;
    let body = request.body;
    let headers = baseHeaders(request, body !== undefined);
    try {
      for (let redirects = 0; ; redirects++) {
        const init: RequestInit = { method, headers: await authorise(method, url, headers, body), redirect: "manual" };
        if (body !== undefined) init.body = body;
        if (controller) init.signal = controller.signal;
        if (timedOut) throw new Error("attempt timed out");
        pending = fetchFn(url, init);
        const response = deadline ? await Promise.race([pending, deadline]) : await pending;
        pending = undefined;

        if (response.type === "opaqueredirect") {
          // Browsers hide the target of a manual redirect, so it cannot be checked: refuse it.
          throw new EvsRedirectError(`EVS ${request.method} ${request.path}: refused a redirect whose target the runtime hides`, {
            status: response.status,
            method: request.method,
            path: request.path,
          });
        }
        const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
        if (location !== null) {
          void response.body?.cancel().catch(() => undefined);
          const target = new URL(location, url);
          if (target.origin !== origin) {
            throw new EvsRedirectError(
              `EVS ${request.method} ${request.path}: refused a ${response.status} redirect to another origin (${target.origin}); credentials are only sent to ${origin}`,
              { status: response.status, targetOrigin: target.origin, method: request.method, path: request.path },
            );
          }
          if (redirects >= MAX_REDIRECTS) {
            throw new EvsRedirectError(`EVS ${request.method} ${request.path}: more than ${MAX_REDIRECTS} redirects`, {
              status: response.status,
              targetOrigin: target.origin,
              method: request.method,
              path: request.path,
            });
          }
          // As fetch does: 303 (and 301/302 after POST) turn into a GET without a body.
          if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
            if (method !== "HEAD") method = "GET";
            body = undefined;
            headers = baseHeaders({ ...request, body: undefined }, false);
          }
          url = target.href;
          continue;
        }

        const text = deadline ? await Promise.race([response.text(), deadline]) : await response.text();
        return {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
          text: response.status >= 400 ? scrub(text) : text,
        };
      }
    } catch (error) {
      if (error instanceof EvsError) throw error;
      if (callerSignal?.aborted) throw abortedError(callerSignal, request.method, request.path);
      if (timedOut) {
        // Release the connection of an answer that arrives after we gave up on it.
        pending?.then((late) => late.body?.cancel().catch(() => undefined), () => undefined);
        throw new EvsTimeoutError(`EVS ${request.method} ${request.path}: no complete answer within ${timeoutMs} ms`, {
          reason: "timeout",
          timeoutMs,
          method: request.method,
          path: request.path,
        });
      }
      throw new EvsNetworkError(request.method, request.path, error);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (forwardAbort) callerSignal!.removeEventListener("abort", forwardAbort);
    }
  }

  function backoff(retryNumber: number, response: TransportResponse | undefined): number {
    const hinted = response ? retryAfterMs(response.headers, response.text) : undefined;
    if (hinted !== undefined) return Math.min(hinted, maxDelayMs);
    // Full jitter: spreads clients that failed together over the whole window.
    return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retryNumber - 1));
  }

  async function send(request: TransportRequest): Promise<TransportResponse> {
    const signal = request.signal ?? undefined;
    if (signal?.aborted) throw abortedError(signal, request.method, request.path);
    const maxRetries = request.retryable ? attempts : 0;
    // Bounded: at most maxRetries + 1 attempts.
    for (let retryNumber = 0; ; retryNumber++) {
      let response: TransportResponse | undefined;
      let failure: EvsError | undefined;
      try {
        response = await attempt(request);
      } catch (error) {
        const transient =
          error instanceof EvsNetworkError || (error instanceof EvsTimeoutError && error.reason === "timeout");
        if (!transient || retryNumber >= maxRetries) throw error;
        failure = error;
      }
      if (response && (retryNumber >= maxRetries || !RETRYABLE_STATUSES.has(response.status))) return response;

      const delayMs = backoff(retryNumber + 1, response);
      onRetry?.({
        retry: retryNumber + 1,
        delayMs,
        method: request.method,
        path: request.path,
        ...(response ? { status: response.status } : {}),
        ...(failure ? { error: failure } : {}),
      });
      await sleep(delayMs, signal, request);
    }
  }

  return { send, retryCreate: retry.create === true };
}
