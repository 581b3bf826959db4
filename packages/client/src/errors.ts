/**
 * Error classes. Four categories a caller must be able to tell apart:
 * - EvsApiError:        the service (or its API gateway) answered non-2xx — "the service said no";
 * - EvsValidationError: the input was refused before anything was sent — "you passed bad input";
 * - EvsTimeoutError:    a time limit ran out or the caller aborted — "it took too long / was aborted";
 * - EvsNetworkError:    no HTTP answer at all — "could not connect".
 * Plus EvsRedirectError (a redirect that would leak credentials was refused) and
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
import { specFacts } from "./generated/spec-facts.js";

/** Fault names of the OpenStack shape, read from the spec. */
export type FaultName = (typeof specFacts.faultNames)[number];

/**
 * Which error envelope the body had: `error` (native `{"error": {...}}`), an
 * OpenStack fault name, `apiGateway` (`{"error_code", "error_msg"}`), or
 * `unknown` (empty, not JSON, or none of the three shapes).
 */
export type EvsErrorKind = "error" | FaultName | "apiGateway" | "unknown";

/** `EVS GET /v2/p/cloudsnapshots/detail`: the request an error is about, for messages. */
export function requestLabel(method: string | undefined, path: string | undefined): string {
  return method && path ? `EVS ${method} ${path}` : "EVS request";
}

/** Base class of every error this package throws. */
export class EvsError extends Error {
  override name = "EvsError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
  /** Name, message and the error's own fields; never `cause` (it is not an own enumerable field). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
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

/** The service or its gateway answered with a non-2xx status. */
export class EvsApiError extends EvsError {
  override name = "EvsApiError";
  declare readonly status: number;
  declare readonly statusText: string;
  declare readonly kind: EvsErrorKind;
  /** Always a string: `EVS.5404`, `404` (an integer OpenStack code), `APIG.0301`. */
  declare readonly code: string;
  /** The message the service gave, or a short description for a body without one. */
  declare readonly serverMessage: string;
  declare readonly requestId: string | undefined;
  /** The parsed JSON body, the text body, or undefined when empty. */
  declare readonly body: unknown;
  declare readonly method: string;
  /** Path of the request, without the query. */
  declare readonly path: string;

  constructor(init: EvsApiErrorInit) {
    const { status, statusText, code, requestId } = init;
    super(
      `${requestLabel(init.method, init.path)} failed: ${status}${statusText ? ` ${statusText}` : ""}` +
        `${code && code !== String(status) ? ` ${code}` : ""}: ${init.serverMessage}${requestId ? ` [request ${requestId}]` : ""}`,
    );
    Object.assign(this, init);
  }
}

/** The input was refused before any request was sent. */
export class EvsValidationError extends EvsError {
  override name = "EvsValidationError";
  /** The offending field, e.g. `volume_id`, `name`, `limit`, `snapshot_id`, `endpoint`. */
  declare readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    Object.assign(this, { field });
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

  constructor(message: string, { cause, ...fields }: EvsTimeoutErrorInit) {
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, fields);
  }
}

/** No HTTP answer: DNS failure, connection refused or reset, TLS failure. */
export class EvsNetworkError extends EvsError {
  override name = "EvsNetworkError";
  declare readonly method: string;
  declare readonly path: string;
  constructor(method: string, path: string, cause: unknown) {
    // undici wraps the socket error: TypeError("fetch failed", { cause: Error("connect ECONNREFUSED ...") }).
    const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
    const code = (inner as { code?: unknown } | undefined)?.code;
    const reason =
      inner instanceof Error
        ? `${typeof code === "string" ? `${code}: ` : ""}${inner.message}`
        : String(inner);
    super(`${requestLabel(method, path)}: could not reach the service (${reason})`, { cause });
    Object.assign(this, { method, path });
  }
}

/**
 * A redirect was refused: it pointed at another origin (credentials are only
 * ever sent to the configured one), there were too many, or the runtime hid
 * its target (a browser's opaque redirect). Nothing was sent to the target.
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
    super(message);
    Object.assign(this, init);
  }
}

/** waitForSnapshot saw a failure status (`error`, `error_deleting`) instead of the one awaited. */
export class EvsSnapshotFailedError extends EvsError {
  override name = "EvsSnapshotFailedError";
  declare readonly snapshotId: string;
  declare readonly status: string;
  declare readonly expected: readonly string[];
  constructor(snapshotId: string, status: string, expected: readonly string[]) {
    super(
      `snapshot ${snapshotId} reached status "${status}" while waiting for "${expected.join('" or "')}"`,
    );
    Object.assign(this, { snapshotId, status, expected });
  }
}

// ---------------------------------------------------------------------------
// Parsing an error answer

const MAX_SNIPPET = 200;

export interface ErrorResponseParts {
  status: number;
  statusText: string;
  headers: Headers;
  /** Body text, already scrubbed of secrets. */
  text: string;
  method: string;
  path: string;
}

/** An object literal (or JSON object): not null, an array, a class instance or a function. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A non-empty string, or a finite number as a string (OpenStack codes are integers). */
function asCode(value: unknown): string | undefined {
  return (typeof value === "string" && value !== "") ||
    (typeof value === "number" && Number.isFinite(value))
    ? String(value)
    : undefined;
}

function asText(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** A short, single-line excerpt of a non-JSON body (an HTML error page, say). */
export function snippet(text: string): string {
  const plain = text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > MAX_SNIPPET ? `${plain.slice(0, MAX_SNIPPET - 1)}…` : plain;
}

/** JSON when the text looks like JSON and parses; the text otherwise; undefined when empty. */
function parseBody(text: string): unknown {
  if (text === "") return undefined;
  if (/^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON after all: keep the text
    }
  }
  return text;
}

/**
 * Builds the EvsApiError for a non-2xx answer, whichever of the three shapes (or
 * none) it has. `unexpected` (for a 2xx answer of the wrong shape) replaces the
 * service's message and forces kind `unknown`.
 */
export function parseApiError(parts: ErrorResponseParts, unexpected?: string): EvsApiError {
  const { status, headers } = parts;
  const body = parseBody(parts.text);
  let kind: EvsErrorKind = "unknown";
  let code: unknown;
  let serverMessage: string | undefined;
  let requestId =
    headers.get("x-request-id") ||
    headers.get("x-openstack-request-id") ||
    headers.get("x-compute-request-id") ||
    undefined;

  if (isPlainObject(body)) {
    const keys = Object.keys(body);
    const only = keys.length === 1 ? body[keys[0]!] : undefined;
    if ("error_code" in body || "error_msg" in body) {
      kind = "apiGateway";
      code = body.error_code;
      serverMessage = asText(body.error_msg);
      requestId ??= asText(body.request_id);
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
      else if (serverMessage !== undefined) serverMessage = `${name}: ${serverMessage}`;
    }
  }
  if (unexpected !== undefined) {
    kind = "unknown";
    code = undefined;
    serverMessage = `unexpected answer: ${unexpected}`;
  }
  serverMessage ??=
    body === undefined
      ? "empty response body"
      : typeof body === "string"
        ? snippet(body) || "non-JSON response body"
        : "unrecognised error body";

  return new EvsApiError({
    status,
    statusText: parts.statusText,
    kind,
    code: asCode(code) ?? String(status),
    serverMessage,
    requestId,
    body,
    method: parts.method,
    path: parts.path,
  });
}

/**
 * Replaces every occurrence of the given secrets in `text`. Used on error
 * bodies only (never on the success path), so a gateway that echoes a header
 * cannot smuggle a token into an error, its message or its JSON.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}
