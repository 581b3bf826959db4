/**
 * The stateful EVS emulator: routes a request to the operation of the spec it names, plays
 * the API gateway (credentials, fault rules), honours `Prefer`, turns Prism's verdict on
 * the request into the service's own 400 envelope, and hands the rest to the operation's
 * handler. Transport-free: emulator/http.ts serves it, the bench calls it directly.
 */
import type { IncomingHttpHeaders } from "node:http";
import { parsePrefer } from "../prefer.js";
import { createRouter, type Json, loadSpec, type Spec, type SpecOperation } from "../spec.js";
import { type AkSkPair, createAuthenticator, DEFAULT_CREDENTIALS, sha256Hex } from "./auth.js";
import { createEnvelopes } from "./envelopes.js";
import { FaultRules } from "./faults.js";
import {
  type Answer,
  createHandlers,
  LIST_FILTERS,
  MULTI_VALUE_FILTERS,
  PAGING_PARAMETERS,
} from "./handlers.js";
import { createRandom } from "./random.js";
import { Store, type TransitionDelay } from "./store.js";

/** Headers our front (the guard before Prism) sets; a client's own copies are removed there. */
export const INTERNAL_HEADERS = {
  originalUrl: "x-evs-mock-original-url",
  originalHost: "x-evs-mock-original-host",
  bodySha256: "x-evs-mock-body-sha256",
  violations: "x-evs-mock-violations",
  fault: "x-evs-mock-fault",
} as const;

export interface EmulatorOptions {
  /** Seed of the id generator: the same seed gives the same ids in the same order. */
  seed?: string | undefined;
  /** How long creating/deleting/rolling back takes: ms, 0 (at the next request) or "manual" (control API `advance`). */
  transitionMs?: TransitionDelay | undefined;
  /** AK/SK pairs the gateway accepts (default: DEFAULT_CREDENTIALS). */
  credentials?: AkSkPair[] | undefined;
  /** Tokens the gateway accepts (default: any non-empty token). */
  tokens?: string[] | undefined;
  /** Snapshots per project before create answers 413 (default 10,000). */
  quota?: number | undefined;
  /** Snapshots in all projects together, seeding included (default 200,000): the memory bound. */
  maxStored?: number | undefined;
  specFile?: string | undefined;
}

export interface EmulatorRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EmulatorAnswer extends Answer {
  requestId: string;
  /** Set when a fault rule says to drop the connection. */
  drop?: boolean;
  delayMs?: number;
  operationId?: string | undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

interface PrismViolation {
  location?: string[];
  code?: number | string;
  message?: string;
  severity?: string;
}

export function createEmulator(options: EmulatorOptions = {}) {
  const spec: Spec = loadSpec(options.specFile);
  const seed = options.seed ?? Math.random().toString(36).slice(2);
  const random = { current: createRandom(seed) };
  const store = new Store({
    random: random.current,
    transitionMs: options.transitionMs ?? 1000,
    quota: options.quota ?? 10_000,
    maxStored: options.maxStored ?? 200_000,
    availabilityZone: String(
      spec.operations.flatMap((op) => op.parameters).find((p) => p.name === "availability_zone")
        ?.example ?? "eu-west-101a",
    ),
    enterpriseProjectId: "0",
  });
  const envelopes = createEnvelopes(spec);
  const handlers = createHandlers({ spec, store, envelopes });
  const route = createRouter(spec.operations);
  const authenticate = createAuthenticator({
    credentials: options.credentials ?? [DEFAULT_CREDENTIALS],
    tokens: options.tokens,
  });
  const faults = new FaultRules(
    (id) => spec.operations.some((op) => op.operationId === id),
    (id, status) =>
      spec.operations.some((op) => op.operationId === id && op.statuses.includes(status)),
  );

  const handlerFor = (operation: SpecOperation) => handlers[operation.action];

  /** The spec's example for this status as the answer, with this request's ID in it. */
  function exampleAnswer(
    operation: SpecOperation,
    status: number,
    name: string | undefined,
    requestId: string,
  ): Answer {
    const body = spec.example(operation, status, name) ?? spec.example(operation, status);
    if (body && typeof body === "object" && !Array.isArray(body) && "request_id" in body)
      body.request_id = requestId;
    const headers = spec.responseHeaderExamples(operation, status);
    delete headers["X-Request-Id"];
    return { status, body, headers };
  }

  function violationAnswer(
    request: EmulatorRequest,
    operation: SpecOperation,
    requestId: string,
  ): Answer | undefined {
    const raw = header(request.headers, INTERNAL_HEADERS.violations);
    if (!raw) return undefined;
    let violations: PrismViolation[];
    try {
      violations = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    } catch {
      return undefined;
    }
    // Credentials are the gateway's business (checked before this); the rest is EVS's.
    const errors = violations.filter(
      (v) => v.severity === "error" && v.location?.[0] === "request" && Number(v.code) !== 401,
    );
    if (errors.length === 0) return undefined;
    if (errors.some((v) => Number(v.code) === 415))
      return envelopes.fault(
        415,
        "The request media type is not supported: send application/json.",
        requestId,
        operation,
      );
    const detail = errors
      .slice(0, 3)
      .map(
        (v) => v.message ?? `${(v.location ?? []).slice(1).join(".") || "the request"} is invalid`,
      )
      .join("; ");
    return envelopes.badRequest(`Invalid input received: ${detail}.`, requestId, operation);
  }

  function handle(request: EmulatorRequest, applyFaults: boolean): EmulatorAnswer {
    const requestId = random.current.hex(16);
    const url = header(request.headers, INTERNAL_HEADERS.originalUrl) ?? request.url;
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const { match, pathKnown } = route(request.method, path);
    if (!match) {
      const answer = pathKnown
        ? envelopes.fault(405, "The method is not allowed for the requested URL.", requestId)
        : envelopes.gateway(
            404,
            "The API does not exist or has not been published in the environment.",
            requestId,
          );
      return { ...answer, requestId };
    }
    const { operation, params } = match;
    const done = (answer: Answer, extra: Partial<EmulatorAnswer> = {}): EmulatorAnswer => ({
      ...answer,
      requestId,
      operationId: operation.operationId,
      ...extra,
    });

    const verdict = authenticate({
      method: request.method,
      url,
      host:
        header(request.headers, INTERNAL_HEADERS.originalHost) ??
        header(request.headers, "host") ??
        "",
      headers: request.headers,
      bodySha256: () =>
        header(request.headers, INTERNAL_HEADERS.bodySha256) ?? sha256Hex(request.body),
      projectId: params.project_id ?? "",
    });
    // Credentials of another project reach EVS, which refuses them in the spec's own words.
    if (!verdict.ok && verdict.otherProject)
      return done(envelopes.named("otherProject", (message) => message, operation));
    if (!verdict.ok) return done(envelopes.gateway(401, verdict.message, requestId, operation));

    // A fault rule, chosen by our front (behind Prism) or here (served alone).
    let rule:
      | {
          status?: number | undefined;
          example?: string | undefined;
          drop?: boolean;
          delayMs?: number;
        }
      | undefined;
    const marked = header(request.headers, INTERNAL_HEADERS.fault);
    if (marked) {
      try {
        rule = JSON.parse(marked);
      } catch {
        rule = undefined;
      }
    } else if (applyFaults) rule = faults.take(operation.operationId);
    if (rule?.drop) return done({ status: 0 }, { drop: true, delayMs: rule.delayMs ?? 0 });
    const delayMs = rule?.delayMs ?? 0;
    if (rule?.status !== undefined)
      return done(exampleAnswer(operation, rule.status, rule.example, requestId), { delayMs });

    // The front refuses a Prefer the contract cannot honour; served alone, such a one is ignored.
    const prefer = parsePrefer(header(request.headers, "prefer"));
    const code =
      prefer.code !== undefined && /^\d{3}$/.test(prefer.code) ? Number(prefer.code) : undefined;
    if (code !== undefined && operation.statuses.includes(code)) {
      const success = code === operation.successStatus;
      if (
        !success ||
        (prefer.example && spec.exampleNames(operation, code).includes(prefer.example))
      )
        return done(exampleAnswer(operation, code, prefer.example, requestId), { delayMs });
    }

    const refused = violationAnswer(request, operation, requestId);
    if (refused) return done(refused, { delayMs });

    let body: unknown;
    if (operation.requestBodySchema && request.body.length > 0) {
      try {
        body = JSON.parse(request.body.toString("utf8"));
      } catch {
        return done(
          envelopes.badRequest(
            "Invalid input received: the body is not valid JSON.",
            requestId,
            operation,
          ),
          {
            delayMs,
          },
        );
      }
    }
    const queryString = queryAt < 0 ? "" : url.slice(queryAt + 1);
    const handler = handlerFor(operation)!;
    const answer = handler({
      operation,
      params,
      query: new URLSearchParams(queryString),
      body,
      requestId,
    });
    return done(answer, { delayMs });
  }

  return {
    spec,
    store,
    faults,
    handle,
    /** The 413 the service answers for a body over the limit. */
    tooLarge(): EmulatorAnswer {
      const requestId = random.current.hex(16);
      return { ...envelopes.fault(413, "The request body is too large.", requestId), requestId };
    },
    envelopes,
    /** Operations of the spec without a handler (a test requires none). */
    unhandledOperations: () =>
      spec.operations.filter((op) => !handlerFor(op)).map((op) => op.operationId),
    /** List filters of the spec the emulator does not know how to apply (a test requires none). */
    unknownListFilters: () =>
      spec.operations
        .filter((op) => op.action === "listSnapshots")
        .flatMap((op) => op.parameters.filter((p) => p.in === "query").map((p) => String(p.name)))
        .filter(
          (name) =>
            !(name in LIST_FILTERS) &&
            !MULTI_VALUE_FILTERS.has(name) &&
            !PAGING_PARAMETERS.has(name),
        ),
    /** Back to an empty store, no fault rules, and the id sequence of the seed from its start. */
    reset(): void {
      store.reset();
      faults.clear();
      authenticate.reset();
      random.current = createRandom(seed);
      store.options.random = random.current;
    },
  };
}

export type Emulator = ReturnType<typeof createEmulator>;
export type { Json };
