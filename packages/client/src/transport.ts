/**
 * The one path every request takes, from the client's methods and from `raw`:
 * authentication (token or AK/SK signature), per-attempt timeout, the
 * caller's AbortSignal, retries with backoff, and refusing redirects. It never
 * throws for an HTTP status: it returns the final answer (body already read) and
 * the caller decides; it throws EvsTimeoutError, EvsNetworkError and
 * EvsRedirectError.
 *
 * Redirects are never followed (fetch runs with `redirect: "manual"`): fetch would
 * carry X-Auth-Token to any origin, and a signed request cannot be re-sent as it is.
 * EVS does not redirect; a redirect means a wrong endpoint or a proxy, which the
 * caller must see.
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
  EvsResponseTooLargeError,
  EvsTimeoutError,
  parseBody,
} from "./errors.js";
import * as specFacts from "./generated/spec-facts.js";
import type { RequestSigner, SigningAuthProvider } from "./internal/auth.js";
import { AUTH_HEADER_NAMES, CREATE_SIGNER, isSigningProvider } from "./internal/auth.js";
import { checkCredential, checkNumber, checkSignal, invalid } from "./internal/checks.js";
import type { Redactor } from "./internal/redact.js";
import { createRedactor } from "./internal/redact.js";
import { abortedError, sleep } from "./internal/sleep.js";
import { requestLabel } from "./internal/text.js";

export { AUTH_HEADER_NAMES, sleep };

/** The fetch the client calls: `globalThis.fetch` by default, injectable for tests. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type TokenAuth = { token: string };
/** AK/SK signing: made by `akSk({ accessKey, secretKey, securityToken? })` from `@evs-toolkit/client/aksk`. */
export type AkSkAuth = SigningAuthProvider;
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
   * Retry createSnapshot too, and every `raw` POST (create or rollback) (default false).
   * A create whose answer was lost may still have created a snapshot, so a retry can make
   * a second one. rollbackSnapshot has its own `retry` call option.
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
  /** Largest decoded body read (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number | undefined;
}

export interface TransportRequest {
  method: string;
  /** Path on the configured origin, percent-encoded as it goes on the wire (also names the request in errors and retry info). */
  path: string;
  /** `""` or `?` and the encoded query. */
  search: string;
  /** JSON text, read once, sent as is on every attempt. */
  body?: string | undefined;
  /** Extra headers with lowercase names (per call, or the raw client's), already checked; the auth headers win. */
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | null | undefined;
  /** Whether a failed attempt may be repeated (idempotent, or the caller opted in). */
  retryable: boolean;
}

export interface TransportResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** The whole body (decoded), as sent; errors built from it go through `redactor`. */
  text: string;
  /** An earlier attempt of this call was sent and may have taken effect (its answer was lost or retryable). */
  retried?: boolean;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  readonly retryCreate: boolean;
  /** Redacts this client's secrets: every error built from server text goes through it. */
  readonly redactor: Redactor;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY = { attempts: 3, baseDelayMs: 250, maxDelayMs: 20_000 } as const;
/**
 * Largest decoded body the client reads: 32 MiB, some 60 times a full 1,000-snapshot page
 * (~0.5 MB), small enough that a decompression bomb cannot exhaust memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/**
 * The auth option: `{ token }`, or a provider from `akSk()`, whose signer is made here (once
 * per client; the provider copied the caller's credentials when akSk() ran). Messages name
 * the field, never its value; a token must be header-safe before anything is sent, because
 * fetch's own error for a bad header value quotes the value.
 */
function signerOf(auth: unknown, projectId: string): RequestSigner | undefined {
  if (isSigningProvider(auth)) return auth[CREATE_SIGNER](projectId);
  // Also what a 0.1 `{ accessKey, secretKey }` object gets: the way to pass it now.
  if (typeof auth !== "object" || auth === null || "accessKey" in auth || "secretKey" in auth)
    invalid("auth", "must be { token } or akSk(…) from @evs-toolkit/client/aksk");
  checkCredential("auth.token", (auth as Record<string, unknown>).token);
  return undefined;
}

/**
 * RFC 9110 HTTP-date, in its three forms; nothing else is a date. Literals, not built from
 * shared pieces: the bundle is smaller this way (gzip finds the repeats).
 */
const HTTP_DATE_FORMS = [
  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/,
  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
  /^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d\d-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d\d \d\d:\d\d:\d\d GMT$/,
  // asctime: Sun Nov  6 08:49:37 1994
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/,
];
/** delta-seconds: a non-negative integer (more than 10 digits is longer than any wait we honour). */
const DELTA_SECONDS = /^\d{1,10}$/;

/** A Retry-After value as RFC 9110 defines it, in ms from `now`; undefined for anything else. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  if (value.length > 40) return undefined;
  if (DELTA_SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE_FORMS.some((form) => form.test(value))) return undefined;
  // asctime has no zone: it is UTC by definition, which Date.parse must be told.
  const wait = Date.parse(value.endsWith("GMT") ? value : `${value} GMT`) - now;
  // A date in the past means now; NaN (a date Date.parse refuses, like 32 Jan) means no hint.
  return wait > 0 ? wait : wait <= 0 ? 0 : undefined;
}

/**
 * Milliseconds to wait from a Retry-After header (delta-seconds or an HTTP
 * date) or, failing that, an OpenStack `overLimit.retryAfter` in the body
 * (whole seconds, as a number or a digit string, held to the header's delta-seconds rule).
 */
export function retryAfterMs(
  headers: Headers,
  text: string,
  now: number = Date.now(),
): number | undefined {
  const header = headers.get("retry-after");
  if (header !== null) {
    const ms = parseRetryAfter(header.trim(), now);
    if (ms !== undefined) return ms;
  }
  if (text.length < 64 * 1024 && text.includes("retryAfter")) {
    const value = (parseBody(text) as { overLimit?: { retryAfter?: unknown } } | undefined)
      ?.overLimit?.retryAfter;
    if ((typeof value === "number" || typeof value === "string") && DELTA_SECONDS.test(`${value}`))
      return Number(value) * 1000;
  }
  return undefined;
}

const ignore = () => undefined;

/**
 * The body as text, never more than `limit` decoded bytes: fetch decodes gzip and brotli
 * itself, so a few hundred bytes on the wire can become gigabytes. The count runs on the
 * decoded stream, and the read stops (and the stream is cancelled) at the limit. The bytes
 * are decoded once, at the end, into one flat string: decoding chunk by chunk would build a
 * string of pieces that JSON.parse copies again (measured: a page's worth more garbage).
 */
async function readLimited(
  response: Response,
  limit: number,
  what: { method: string; path: string },
): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      void reader.cancel().catch(ignore);
      throw new EvsResponseTooLargeError(
        `${requestLabel(what.method, what.path)}: answer (${response.status}) over maxResponseBytes (${limit} decoded bytes)`,
        { status: response.status, limit, method: what.method, path: what.path },
      );
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(bytes);
}
const decoder = new TextDecoder();

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
  // Any finite number of bytes (no timer holds it, so no timer's bound applies).
  const maxResponseBytes = checkNumber(
    "maxResponseBytes",
    options.maxResponseBytes,
    DEFAULT_MAX_RESPONSE_BYTES,
    false,
    Infinity,
  );
  const signer = signerOf(auth, options.projectId);
  const secrets = signer ? signer.secrets : [(auth as TokenAuth).token];
  const redactor = createRedactor(secrets);
  const sign = signer?.sign;
  const { host } = new URL(origin);

  // Built once: the token path sends these very objects on every request. No header object
  // is changed after it is built: the AK/SK signer caches its work per header object.
  const plainHeaders: Record<string, string> = {
    accept: "application/json",
    ...(!signer && { "x-auth-token": secrets[0]! }),
  };
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

  /**
   * One attempt: fetch and read the body, under the attempt's time limit; a redirect is
   * refused (see the top of this file).
   *
   * With a time limit (the default) or a caller signal, the attempt has one
   * AbortController: the limit or the caller's abort aborts the fetch itself,
   * so a stalled server's connection is released at once, not after the
   * runtime's own socket timeouts. Both also reject `stopped`, which is raced
   * against fetch and the body read, so even a fetch that ignores its signal
   * cannot overrun (its late answer's body is then cancelled).
   */
  async function attempt(request: TransportRequest): Promise<TransportResponse> {
    const { method, path, search, body, signal: callerSignal } = request;
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
          // No reason needed: the catch below tells a stop by the caller's signal or timedOut.
          reject();
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

    const url = origin + path + search;
    const headers = baseHeaders(request.headers, body !== undefined);
    try {
      let sent = headers;
      if (sign) {
        // Every attempt is signed afresh (a new X-Sdk-Date); the signer returns all headers to send.
        const signed = sign({ method, url: { host, pathname: path, search }, headers, body });
        sent = signed instanceof Promise ? await race(signed) : signed;
      }
      // An undefined body or signal is the same to fetch as none (WebIDL dictionary members).
      pending = fetchFn(url, {
        method,
        headers: sent,
        redirect: "manual",
        body,
        signal: controller?.signal,
      } as RequestInit);
      const response = await race(pending);
      const { status } = response;
      // Browsers hide the target of a manual redirect (an opaque redirect).
      const opaque = response.type === "opaqueredirect";
      const location = REDIRECT_STATUSES.includes(status) ? response.headers.get("location") : null;
      if (!opaque && location === null) {
        const text = await race(readLimited(response, maxResponseBytes, request));
        return { status, statusText: response.statusText, headers: response.headers, text };
      }
      void response.body?.cancel().catch(ignore);
      let target: string | undefined;
      try {
        target = opaque ? undefined : new URL(location!, url).origin;
      } catch {
        // The value is the server's and may echo anything: it is not quoted.
      }
      throw new EvsRedirectError(
        redactor.text(
          `${requestLabel(method, path)}: refused a ${opaque ? "" : `${status} `}redirect${target ? ` to ${target}` : opaque ? "" : " whose Location is not a valid URL"} (never followed; credentials go only to ${origin})`,
        ),
        { status, targetOrigin: target, method, path },
      );
    } catch (error) {
      if (error instanceof EvsError) throw error;
      if (callerSignal?.aborted) throw abortedError(callerSignal, method, path);
      if (!timedOut) throw new EvsNetworkError(method, path, redactor.error(error));
      // Release the connection of an answer that arrives anyway (a fetch that ignored the signal).
      pending?.then((late) => late.body?.cancel().catch(ignore), ignore);
      throw new EvsTimeoutError(
        `${requestLabel(method, path)}: no complete answer within ${timeoutMs} ms`,
        { reason: "timeout", timeoutMs, method, path },
      );
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", stop);
    }
  }

  async function send(request: TransportRequest): Promise<TransportResponse> {
    const { method, path, signal } = request;
    checkSignal(signal);
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
        ) {
          if (retryNumber > 1) response.retried = true;
          return response;
        }
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

  return { send, retryCreate: retry.create === true, redactor };
}
