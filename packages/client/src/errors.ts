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
 */
import { contract } from "./generated/contract.js";

/** Fault names of the OpenStack shape, read from the spec. */
export type FaultName = (typeof contract.faultNames)[number];

/**
 * Which error envelope the body had: `error` (native `{"error": {...}}`), an
 * OpenStack fault name, `apiGateway` (`{"error_code", "error_msg"}`), or
 * `unknown` (empty, not JSON, or none of the three shapes).
 */
export type EvsErrorKind = "error" | FaultName | "apiGateway" | "unknown";

/** Base class of every error this package throws. */
export class EvsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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
  readonly status: number;
  readonly kind: EvsErrorKind;
  /** Always a string: `EVS.5404`, `404` (an integer OpenStack code), `APIG.0301`. */
  readonly code: string;
  /** The message the service gave, or a short description for a body without one. */
  readonly serverMessage: string;
  readonly requestId: string | undefined;
  /** The parsed JSON body, the text body, or undefined when empty. */
  readonly body: unknown;
  readonly method: string;
  /** Path of the request, without the query. */
  readonly path: string;

  constructor(init: EvsApiErrorInit) {
    const statusLine = init.statusText ? `${init.status} ${init.statusText}` : String(init.status);
    const rid = init.requestId ? ` [request ${init.requestId}]` : "";
    const code = init.code && init.code !== String(init.status) ? ` ${init.code}` : "";
    super(`EVS ${init.method} ${init.path} failed: ${statusLine}${code}: ${init.serverMessage}${rid}`);
    this.status = init.status;
    this.kind = init.kind;
    this.code = init.code;
    this.serverMessage = init.serverMessage;
    this.requestId = init.requestId;
    this.body = init.body;
    this.method = init.method;
    this.path = init.path;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      kind: this.kind,
      code: this.code,
      requestId: this.requestId,
      method: this.method,
      path: this.path,
      body: this.body,
    };
  }
}

/** The input was refused before any request was sent. */
export class EvsValidationError extends EvsError {
  /** The offending field, e.g. `volume_id`, `name`, `limit`, `snapshot_id`, `endpoint`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, field: this.field };
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
  readonly reason: EvsTimeoutReason;
  readonly timeoutMs: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly snapshotId: string | undefined;
  readonly lastStatus: string | undefined;

  constructor(message: string, init: EvsTimeoutErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.timeoutMs = init.timeoutMs;
    this.method = init.method;
    this.path = init.path;
    this.snapshotId = init.snapshotId;
    this.lastStatus = init.lastStatus;
  }
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      reason: this.reason,
      timeoutMs: this.timeoutMs,
      method: this.method,
      path: this.path,
      snapshotId: this.snapshotId,
      lastStatus: this.lastStatus,
    };
  }
}

/** No HTTP answer: DNS failure, connection refused or reset, TLS failure. */
export class EvsNetworkError extends EvsError {
  readonly method: string;
  readonly path: string;
  constructor(method: string, path: string, cause: unknown) {
    super(`EVS ${method} ${path}: could not reach the service (${describeCause(cause)})`, { cause });
    this.method = method;
    this.path = path;
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, method: this.method, path: this.path };
  }
}

/**
 * A redirect was refused: it pointed at another origin (credentials are only
 * ever sent to the configured one), there were too many, or the runtime hid
 * its target (a browser's opaque redirect). Nothing was sent to the target.
 */
export class EvsRedirectError extends EvsError {
  readonly status: number;
  /** Origin of the refused target (never its path or query), when known. */
  readonly targetOrigin: string | undefined;
  readonly method: string;
  readonly path: string;
  constructor(message: string, init: { status: number; targetOrigin?: string | undefined; method: string; path: string }) {
    super(message);
    this.status = init.status;
    this.targetOrigin = init.targetOrigin;
    this.method = init.method;
    this.path = init.path;
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, status: this.status, targetOrigin: this.targetOrigin };
  }
}

/** waitForSnapshot saw a failure status (`error`, `error_deleting`) instead of the one awaited. */
export class EvsSnapshotFailedError extends EvsError {
  readonly snapshotId: string;
  readonly status: string;
  readonly expected: readonly string[];
  constructor(snapshotId: string, status: string, expected: readonly string[]) {
    super(`snapshot ${snapshotId} reached status "${status}" while waiting for ${expected.map((s) => `"${s}"`).join(" or ")}`);
    this.snapshotId = snapshotId;
    this.status = status;
    this.expected = expected;
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, snapshotId: this.snapshotId, status: this.status, expected: this.expected };
  }
}

function describeCause(cause: unknown): string {
  // undici wraps the socket error: TypeError("fetch failed", { cause: Error("connect ECONNREFUSED ...") }).
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  if (inner instanceof Error) {
    const code = (inner as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${inner.message}` : inner.message;
  }
  return String(inner);
}

// ---------------------------------------------------------------------------
// Parsing an error answer

const FAULT_NAMES: ReadonlySet<string> = new Set(contract.faultNames);
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asCode(value: unknown, fallback: string): string {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return fallback;
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

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  const first = text.trimStart()[0];
  if (first === "{" || first === "[") {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Builds the EvsApiError for a non-2xx answer, whichever of the three shapes (or none) it has. */
export function parseApiError(parts: ErrorResponseParts): EvsApiError {
  const { status, headers, text, method, path } = parts;
  const statusText = parts.statusText;
  const body = parseBody(text);
  const headerRequestId =
    headers.get("x-request-id") ?? headers.get("x-openstack-request-id") ?? headers.get("x-compute-request-id") ?? undefined;

  let kind: EvsErrorKind = "unknown";
  let code = String(status);
  let serverMessage: string | undefined;
  let requestId = headerRequestId || undefined;

  if (isRecord(body)) {
    const keys = Object.keys(body);
    if ("error_code" in body || "error_msg" in body) {
      kind = "apiGateway";
      code = asCode(body["error_code"], code);
      serverMessage = asText(body["error_msg"]);
      requestId ??= asText(body["request_id"]);
    } else if (isRecord(body["error"])) {
      kind = "error";
      code = asCode(body["error"]["code"], code);
      serverMessage = asText(body["error"]["message"]);
    } else if (keys.length === 1 && isRecord(body[keys[0]!])) {
      // OpenStack fault: a single key naming the fault; `code` is the status as an integer.
      const name = keys[0]!;
      const detail = body[name] as Record<string, unknown>;
      kind = FAULT_NAMES.has(name) ? (name as FaultName) : "unknown";
      code = asCode(detail["code"], code);
      serverMessage = asText(detail["message"]);
      if (kind === "unknown" && serverMessage !== undefined) serverMessage = `${name}: ${serverMessage}`;
    }
  }

  if (serverMessage === undefined) {
    if (body === undefined) serverMessage = "empty response body";
    else if (typeof body === "string") serverMessage = snippet(body) || "non-JSON response body";
    else serverMessage = "unrecognised error body";
  }

  return new EvsApiError({ status, statusText, kind, code, serverMessage, requestId, body, method, path });
}

/**
 * Replaces every occurrence of the given secrets in `text`. Used on error
 * bodies only (never on the success path), so a gateway that echoes a header
 * cannot smuggle a token into an error, its message or its JSON.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}
