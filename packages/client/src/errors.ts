/**
 * Error classes. Four categories a caller must be able to tell apart:
 * - EvsApiError:        the service (or its API gateway) answered non-2xx — "the service said no";
 * - EvsValidationError: the input was refused before anything was sent — "you passed bad input";
 * - EvsTimeoutError:    a time limit ran out or the caller aborted — "it took too long / was aborted";
 * - EvsNetworkError:    no HTTP answer at all — "could not connect".
 * Plus EvsRedirectError (the answer was a redirect, which is never followed) and
 * EvsSnapshotFailedError (the waiter saw a failure status).
 *
 * None of them ever holds a Request, headers, a token, a key or a signature:
 * they carry method, path (no query) and the response body only, and the body
 * text is scrubbed of the client's own secrets before it is parsed (see
 * `redactSecrets`), in case a gateway echoes a header back.
 *
 * Each class names itself with a string literal (not `new.target.name`), so the
 * names survive an application's minifier.
 */
import * as specFacts from "./generated/spec-facts.js";
import { isPlainObject, nestsAtLeast } from "./internal/objects.js";
import type { Redactor } from "./internal/redact.js";
import { inertText, requestLabel, snippet } from "./internal/text.js";

/** Fault names of the OpenStack shape, read from the spec. */
export type FaultName = (typeof specFacts.faultNames)[number];

/**
 * Which error envelope the body had: `error` (native `{"error": {...}}`), an
 * OpenStack fault name, `apiGateway` (`{"error_code", "error_msg"}`), or
 * `unknown` (empty, not JSON, or none of the three shapes).
 */
export type EvsErrorKind = "error" | FaultName | "apiGateway" | "unknown";

/** Base class of every error this package throws. */
export class EvsError extends Error {
  override name = "EvsError";
  /** `fields` become the error's own fields, but `cause`, which is the standard one. */
  constructor(message: string, fields: object = {}) {
    const { cause, ...own } = fields as { cause?: unknown };
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, own);
  }
  /**
   * Name, message and the error's own fields; never `cause` (it is not an own enumerable
   * field). A body too deep for JSON.stringify is replaced by a note, so logging never throws.
   */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = {
      name: this.name,
      message: this.message,
      ...(this as object),
    };
    if ("body" in fields && nestsAtLeast(fields.body, MAX_JSON_DEPTH))
      fields.body = "[body too deep for JSON; see error.body]";
    return fields;
  }
}

export interface EvsApiErrorInit {
  status: number;
  statusText: string;
  kind: EvsErrorKind;
  code: string;
  serverMessage: string;
  requestId: string | undefined;
  body: unknown;
  method: string;
  path: string;
}

/** Deeper bodies are left out of toJSON (JSON.stringify recurses, and would overflow the stack). */
const MAX_JSON_DEPTH = 256;

/** The service or its gateway answered with a non-2xx status. */
export class EvsApiError extends EvsError {
  override name = "EvsApiError";
  declare readonly status: number;
  declare readonly statusText: string;
  declare readonly kind: EvsErrorKind;
  /** Always a string: `EVS.5404`, `404` (an integer OpenStack code), `APIG.0301`. */
  declare readonly code: string;
  /** The message the service gave (one line, at most 200 characters, control characters removed), or a short description for a body without one. */
  declare readonly serverMessage: string;
  declare readonly requestId: string | undefined;
  /** The parsed JSON body, the text body, or undefined when empty: complete, with this client's secrets redacted. */
  declare readonly body: unknown;
  declare readonly method: string;
  /** Path of the request, without the query. */
  declare readonly path: string;

  constructor(init: EvsApiErrorInit) {
    const { status, statusText, code, requestId } = init;
    super(
      `${requestLabel(init.method, init.path)} failed: ${status}${statusText ? ` ${statusText}` : ""}` +
        `${code && code !== String(status) ? ` ${code}` : ""}: ${init.serverMessage}${requestId ? ` [request ${requestId}]` : ""}`,
      init,
    );
  }
}

/** The input was refused before any request was sent. */
export class EvsValidationError extends EvsError {
  override name = "EvsValidationError";
  /** The offending field, e.g. `volume_id`, `name`, `limit`, `snapshot_id`, `endpoint`. */
  declare readonly field: string;
  constructor(field: string, message: string) {
    super(message, { field });
  }
}

export type EvsTimeoutReason = "timeout" | "aborted";

export interface EvsTimeoutErrorInit {
  reason: EvsTimeoutReason;
  timeoutMs?: number | undefined;
  method?: string | undefined;
  path?: string | undefined;
  /** Set by waitForSnapshot. */
  snapshotId?: string | undefined;
  /** Set by waitForSnapshot: the last status seen, undefined if the snapshot was never listed. */
  lastStatus?: string | undefined;
  cause?: unknown;
}

/**
 * A time limit ran out (`reason: "timeout"`: the per-attempt `timeoutMs`, or the
 * waiter's `timeoutMs`) or the caller's AbortSignal fired (`reason: "aborted"`).
 */
export class EvsTimeoutError extends EvsError {
  override name = "EvsTimeoutError";
  declare readonly reason: EvsTimeoutReason;
  declare readonly timeoutMs: number | undefined;
  declare readonly method: string | undefined;
  declare readonly path: string | undefined;
  declare readonly snapshotId: string | undefined;
  declare readonly lastStatus: string | undefined;

  constructor(message: string, init: EvsTimeoutErrorInit) {
    super(message, init);
  }
}

/** No HTTP answer: DNS failure, connection refused or reset, TLS failure. */
export class EvsNetworkError extends EvsError {
  override name = "EvsNetworkError";
  declare readonly method: string;
  declare readonly path: string;
  constructor(method: string, path: string, cause: unknown) {
    // undici wraps the socket error: TypeError("fetch failed", { cause: Error("connect ECONNREFUSED ...") }).
    // Its message names the failure (the code, if any, stays on the cause).
    const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
    const reason = inner instanceof Error ? inner.message : String(inner);
    super(`${requestLabel(method, path)}: could not reach the service (${inertText(reason)})`, {
      cause,
      method,
      path,
    });
  }
}

/**
 * The answer was a redirect: the client never follows one (credentials only ever go to
 * the configured origin, and EVS does not redirect). `targetOrigin` is the target's
 * origin when the Location parses and the runtime shows it (a browser hides it).
 * Nothing was sent to the target.
 */
export class EvsRedirectError extends EvsError {
  override name = "EvsRedirectError";
  declare readonly status: number;
  /** Origin of the refused target (never its path or query), when known. */
  declare readonly targetOrigin: string | undefined;
  declare readonly method: string;
  declare readonly path: string;
  constructor(
    message: string,
    init: { status: number; targetOrigin?: string | undefined; method: string; path: string },
  ) {
    super(message, init);
  }
}

/**
 * The answer's body (decoded) was larger than `maxResponseBytes`; the read was stopped
 * there. Not retried: the same request would get the same answer.
 */
export class EvsResponseTooLargeError extends EvsError {
  override name = "EvsResponseTooLargeError";
  declare readonly status: number;
  declare readonly limit: number;
  declare readonly method: string;
  declare readonly path: string;
  constructor(
    message: string,
    init: { status: number; limit: number; method: string; path: string },
  ) {
    super(message, init);
  }
}

/**
 * Why iterateSnapshots stopped a walk that was not making progress:
 * - `repeated-page`: a page had the same snapshots (and native `count`) as an earlier one;
 * - `marker-cycle`:  the compatible list handed out a marker it had handed out before;
 * - `page-budget`:   more pages than the first page's `count` allows (count / page size, plus
 *                    10% and two pages for snapshots created meanwhile), or than any list can have.
 */
export type EvsPaginationReason = "repeated-page" | "marker-cycle" | "page-budget";

/**
 * iterateSnapshots refused to go on: the service's pages were not making progress, so
 * following them would never end. Thrown rather than ending quietly, because a quiet end
 * would look like a complete list.
 */
export class EvsPaginationError extends EvsError {
  override name = "EvsPaginationError";
  declare readonly reason: EvsPaginationReason;
  /** Pages read before the walk was stopped. */
  declare readonly pages: number;
  constructor(message: string, init: { reason: EvsPaginationReason; pages: number }) {
    super(message, init);
  }
}

/** A waiter (waitForSnapshot, waitForSnapshotDeleted) saw a failure status (`error`, `error_deleting`) instead of the one awaited. */
export class EvsSnapshotFailedError extends EvsError {
  override name = "EvsSnapshotFailedError";
  declare readonly snapshotId: string;
  declare readonly status: string;
  declare readonly expected: readonly string[];
  constructor(snapshotId: string, status: string, expected: readonly string[]) {
    super(
      `snapshot ${snapshotId} reached status "${status}" while waiting for "${expected.join('" or "')}"`,
      { snapshotId, status, expected },
    );
  }
}

/**
 * Whether `error` is EVS itself saying the snapshot does not exist: a 404 with the native
 * not-found code (`EVS.5404`, from the spec) or the `itemNotFound` fault. A 404 in any other
 * shape (the API gateway's, another native code, a proxy's HTML page for a wrong endpoint)
 * says nothing about the snapshot, so a misconfigured endpoint can never pass for a
 * finished deletion.
 */
export function isSnapshotGone(error: unknown): boolean {
  return (
    error instanceof EvsApiError &&
    error.status === 404 &&
    (error.kind === "itemNotFound" ||
      (error.kind === "error" && error.code === specFacts.nativeNotFoundCode))
  );
}

// ---------------------------------------------------------------------------
// Parsing an error answer

export interface ErrorResponseParts {
  status: number;
  statusText: string;
  headers: Headers;
  /** Body text as received; it is redacted here, after decoding. */
  text: string;
  method: string;
  path: string;
}

/** A non-empty string, or a finite number as a string (OpenStack codes are integers). */
function asCode(value: unknown): string | undefined {
  // Number.isFinite is false for anything but a finite number (it does not convert).
  return (typeof value === "string" && value !== "") || Number.isFinite(value)
    ? String(value)
    : undefined;
}

function asText(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * JSON when the text looks like JSON (an object or array) and parses; the text otherwise;
 * undefined when empty. Never throws: error bodies, 2xx answers and retry hints are all read
 * through it.
 */
export function parseBody(text: string): unknown {
  if (text === "") return undefined;
  const first = text.trimStart()[0];
  if (first === "{" || first === "[") {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON after all: keep the text
    }
  }
  return text;
}

/** The first request-id header present (or null). */
function requestIdOf(headers: Headers): string | null {
  return (
    headers.get("x-request-id") ||
    headers.get("x-openstack-request-id") ||
    headers.get("x-compute-request-id")
  );
}

/**
 * Builds the EvsApiError for a non-2xx answer, whichever of the three shapes (or
 * none) it has. `unexpected` (for a 2xx answer of the wrong shape) replaces the
 * service's message and forces kind `unknown`.
 *
 * Every server-controlled string is redacted after decoding (JSON escapes cannot hide a
 * secret), and what goes into the message is one bounded, inert line; the body is kept whole.
 */
export function parseApiError(
  parts: ErrorResponseParts,
  redactor: Redactor,
  unexpected?: string,
): EvsApiError {
  const { status } = parts;
  const body = redactor.json(parseBody(parts.text), parts.text);
  let kind: EvsErrorKind = "unknown";
  let code: unknown;
  let serverMessage: string | undefined;
  let requestId: string | null | undefined = requestIdOf(parts.headers);

  if (isPlainObject(body)) {
    const keys = Object.keys(body);
    const only = keys.length === 1 ? body[keys[0]!] : undefined;
    if ("error_code" in body || "error_msg" in body) {
      kind = "apiGateway";
      code = body.error_code;
      serverMessage = asText(body.error_msg);
      requestId ||= asText(body.request_id);
    } else if (isPlainObject(body.error)) {
      kind = "error";
      code = body.error.code;
      serverMessage = asText(body.error.message);
    } else if (isPlainObject(only)) {
      // OpenStack fault: a single key naming the fault; `code` is the status as an integer.
      const name = keys[0]!;
      code = only.code;
      serverMessage = asText(only.message);
      if ((specFacts.faultNames as readonly string[]).includes(name)) kind = name as FaultName;
      else if (serverMessage !== undefined)
        serverMessage = `${inertText(name, 64)}: ${serverMessage}`;
    }
  }
  if (unexpected !== undefined) {
    kind = "unknown";
    code = undefined;
    serverMessage = `unexpected answer: ${unexpected}`;
  }
  serverMessage =
    serverMessage === undefined
      ? body === undefined
        ? "empty body"
        : typeof body === "string"
          ? snippet(body) || "non-JSON body"
          : "unrecognised body"
      : inertText(serverMessage);
  const codeText = asCode(code);

  return new EvsApiError({
    status,
    statusText: inertText(redactor.text(parts.statusText), 64),
    kind,
    code: codeText === undefined ? String(status) : inertText(codeText, 64),
    serverMessage,
    requestId: requestId ? inertText(redactor.text(requestId), 128) : undefined,
    body,
    method: parts.method,
    path: parts.path,
  });
}
