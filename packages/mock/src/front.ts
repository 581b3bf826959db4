/**
 * Prism, run as a library: the HTTP server of @stoplight/prism-http-server with the same
 * prism-http engine `prism mock` / `prism proxy` use (it validates every request and
 * response and reports in `sl-violations`), but
 * - without the CLI's log printer (it costs ~40% throughput and some query values crash it);
 * - with every Prism component (router, validators, mocker, forwarder) behind a guard that
 *   turns a thrown exception into a validation result or an error answer, so no request can
 *   reach an unhandled rejection (Prism 5.16 still dies on a malformed percent-escape in a
 *   path parameter and on a violation message outside Latin-1 put into `sl-violations`);
 * - with a front on the same server: the control API, a clean 400 for malformed escapes,
 *   the body bound, fault rules (delay, drop), header values made Latin-1 safe, and the
 *   facts Prism's proxy loses (the client's Host, URL and body bytes) passed to the emulator.
 */
import { createHash } from "node:crypto";
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { CONTROL_PREFIX, handleControl } from "./control.js";
import type { Envelopes } from "./emulator/envelopes.js";
import { type Emulator, INTERNAL_HEADERS } from "./emulator/index.js";
import { headerSafe, readBody, sendJson } from "./http-util.js";
import { preferProblem, preferRefusal } from "./prefer.js";
import { createRouter, type Spec } from "./spec.js";

const headerText = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(", ") : value;

type Fn = (...args: unknown[]) => unknown;
interface Either {
  _tag: "Left" | "Right";
  left?: unknown;
  right?: unknown;
}

const require = createRequire(import.meta.url);
// Prism's parts are resolved from the CLI package this package depends on (pinned), so they
// are the versions `prism` itself runs, wherever npm placed them.
const fromCli = createRequire(require.resolve("@stoplight/prism-cli/package.json"));
const prismHttp = fromCli("@stoplight/prism-http") as {
  getHttpOperationsFromSpec(file: string): Promise<unknown[]>;
};
const prismHttpServer = fromCli("@stoplight/prism-http-server") as {
  createServer(
    operations: unknown[],
    options: unknown,
  ): { listen(port: number, host: string): Promise<string>; close(): Promise<void> };
};
const prismCore = fromCli("@stoplight/prism-core") as {
  createLogger(name: string, options: unknown): unknown;
};
const fromHttp = createRequire(fromCli.resolve("@stoplight/prism-http"));
const validator = fromHttp("./validator") as Record<string, Fn>;
const routeOriginal = (fromHttp("./router") as { default: Fn }).default;
const mockOriginal = (fromHttp("./mocker") as { default: Fn }).default;
const forwardOriginal = (fromHttp("./forwarder") as { default: Fn }).default;

const ERROR = 0; // DiagnosticSeverity.Error
const SEVERITY = ["error", "warning", "information", "hint"];
const left = (value: unknown): Either => ({ _tag: "Left", left: value });
const isLeft = (value: unknown): value is Either => (value as Either | undefined)?._tag === "Left";

function problem(status: number, detail: string): Error {
  return Object.assign(new Error(detail), {
    name: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
    status,
    detail,
  });
}

/** A request Prism could not judge (one of its parts threw): reported as a violation, not a crash. */
const thrownViolation = (error: unknown) =>
  left([
    {
      message: `could not be validated: ${(error as Error)?.message ?? error}`,
      code: 422,
      severity: ERROR,
    },
  ]);

interface Violation {
  path?: unknown[];
  code?: unknown;
  message?: unknown;
  severity?: number;
}

/**
 * What Prism's proxy gets from "upstream": the emulator, called in this process. Prism's own
 * forwarder would make an HTTP round trip (node-fetch, a second parse of the answer) that
 * costs more than the emulator itself; what Prism validates is the same answer either way.
 */
function callEmulator(emulator: Emulator, data: ForwardedInput): Either {
  const body =
    data.body === null || data.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(typeof data.body === "string" ? data.body : JSON.stringify(data.body));
  const answer = emulator.handle(
    { method: data.method.toUpperCase(), url: data.url.path, headers: data.headers, body },
    false,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers ?? {}))
    headers[name.toLowerCase()] = value;
  headers["x-request-id"] = answer.requestId;
  if (answer.body !== undefined) headers["content-type"] = "application/json";
  return { _tag: "Right", right: { statusCode: answer.status, headers, body: answer.body } };
}

interface ForwardedInput {
  method: string;
  url: { path: string };
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Prism's components, each unable to throw; request violations recorded for the emulator. */
function guardedComponents(logger: unknown, emulator: Emulator | undefined) {
  const seen = new WeakMap<object, Violation[]>();
  const record = (element: unknown, result: unknown) => {
    if (isLeft(result) && Array.isArray(result.left) && element && typeof element === "object") {
      seen.set(element, [...(seen.get(element) ?? []), ...(result.left as Violation[])]);
    }
    return result;
  };
  const validating =
    (original: Fn, remember: boolean) =>
    (args: { element?: unknown }): unknown => {
      try {
        const result = original(args);
        return remember ? record(args.element, result) : result;
      } catch (error) {
        return remember ? record(args.element, thrownViolation(error)) : thrownViolation(error);
      }
    };
  return {
    logger,
    route: (args: unknown) => {
      try {
        return routeOriginal(args);
      } catch (error) {
        return left(
          problem(400, `the request path could not be routed: ${(error as Error).message}`),
        );
      }
    },
    validateInput: validating(validator.validateInput!, true),
    validateSecurity: validating(validator.validateSecurity!, true),
    validateOutput: validating(validator.validateOutput!, false),
    mock: (args: unknown) => {
      try {
        return mockOriginal(args);
      } catch (error) {
        return () => () =>
          left(problem(500, `the mock could not answer: ${(error as Error).message}`));
      }
    },
    forward: (params: { data: { headers?: Record<string, unknown> } }, ...rest: unknown[]) => {
      const violations = seen.get(params.data);
      if (violations?.length && params.data.headers) {
        const simple = violations.map((v) => ({
          location: ["request", ...(Array.isArray(v.path) ? v.path : [])],
          code: v.code,
          message: String(v.message ?? ""),
          severity: SEVERITY[v.severity ?? ERROR] ?? "error",
        }));
        params.data.headers[INTERNAL_HEADERS.violations] = Buffer.from(
          JSON.stringify(simple.slice(0, 20)),
        ).toString("base64url");
      }
      if (emulator)
        return () => async () => {
          try {
            return callEmulator(emulator, params.data as unknown as ForwardedInput);
          } catch (error) {
            return left(problem(500, `emulator error: ${(error as Error).message}`));
          }
        };
      try {
        return (forwardOriginal as Fn)(params, ...rest);
      } catch (error) {
        return () => () =>
          Promise.resolve(
            left(problem(502, `the emulator could not be reached: ${(error as Error).message}`)),
          );
      }
    },
  };
}

/** True when every %-escape is two hex digits and the bytes are UTF-8 (what Prism's router decodes). */
function escapesWellFormed(path: string): boolean {
  if (!path.includes("%")) return true;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Why a body declared as JSON cannot be read as UTF-8 JSON, or undefined when it can. */
function unreadableJson(contentType: string | undefined, body: Buffer): string | undefined {
  if (!contentType || !/\bjson\b/i.test(contentType)) return undefined;
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) return `charset ${charset}; send UTF-8 JSON`;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return "the body is not valid UTF-8";
  }
  try {
    JSON.parse(text);
  } catch {
    return "the body is not valid JSON";
  }
  return undefined;
}

/** The request again, with its body already read: what Prism's server reads from. */
function replay(request: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new Readable({
    read() {
      this.push(body);
      this.push(null);
    },
  });
  return Object.assign(copy, {
    headers: request.headers,
    rawHeaders: request.rawHeaders,
    url: request.url,
    method: request.method,
    httpVersion: request.httpVersion,
    socket: request.socket,
    connection: request.socket,
  }) as unknown as IncomingMessage;
}

export interface FrontOptions {
  specFile: string;
  spec: Spec;
  envelopes: Envelopes;
  /** The emulator Prism proxies to (stateful mode); without it, Prism answers from the spec's examples. */
  emulator?: Emulator | undefined;
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Called with one line per answered request (never Prism's printer). */
  log?: ((line: string) => void) | undefined;
  /** An answer that takes longer than this is cut off (the mock never hangs a client forever). */
  answerTimeoutMs?: number | undefined;
}

export interface Front {
  url: string;
  close(): Promise<void>;
}

export async function startFront(options: FrontOptions): Promise<Front> {
  const operations = await prismHttp.getHttpOperationsFromSpec(options.specFile);
  const stateful = options.emulator !== undefined;
  const mode = stateful ? "stateful" : "static";
  const route = createRouter(options.spec.operations);
  const logger = prismCore.createLogger("HTTP SERVER", { level: "silent" });
  const config = {
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    mock: { dynamic: false },
    // The upstream URL is never dialled: the forwarder calls the emulator in this process.
    ...(stateful
      ? { isProxy: true, upstream: new URL("http://emulator.invalid") }
      : { isProxy: false }),
  };
  const answerTimeoutMs = options.answerTimeoutMs ?? 60_000;
  const requestId = () =>
    createHash("sha256").update(String(Math.random())).digest("hex").slice(0, 32);

  const front =
    (prism: RequestListener): RequestListener =>
    (request: IncomingMessage, response: ServerResponse) => {
      const started = performance.now();
      const url = request.url ?? "/";
      const method = request.method ?? "GET";
      // Header values Node would refuse (and throw on) are escaped instead.
      const setHeader = response.setHeader;
      response.setHeader = function (
        this: ServerResponse,
        name: string,
        value: number | string | readonly string[],
      ) {
        const safe =
          typeof value === "string"
            ? headerSafe(value)
            : Array.isArray(value)
              ? value.map((v) => headerSafe(String(v)))
              : value;
        return setHeader.call(this, name, safe as string);
      } as typeof response.setHeader;
      const watchdog = setTimeout(() => {
        if (!response.headersSent)
          sendJson(
            response,
            504,
            options.envelopes.gateway(504, "The mock did not answer in time.", requestId()).body,
          );
        else response.destroy();
      }, answerTimeoutMs);
      watchdog.unref();
      response.once("close", () => {
        clearTimeout(watchdog);
        options.log?.(
          `${method} ${JSON.stringify(url).slice(1, -1)} ${response.statusCode} ${(performance.now() - started).toFixed(1)} ms`,
        );
      });
      const answer = (status: number, body: unknown, close = false) => {
        sendJson(response, status, body, close ? { connection: "close" } : {});
      };

      try {
        for (const name of Object.values(INTERNAL_HEADERS)) delete request.headers[name];
        if (
          url === CONTROL_PREFIX ||
          url.startsWith(`${CONTROL_PREFIX}/`) ||
          url.startsWith(`${CONTROL_PREFIX}?`)
        ) {
          readBody(request, options.maxBodyBytes).then((read) => {
            if (!read.ok) return answer(413, { error: "the body is too large" }, true);
            const control = handleControl(options.emulator, mode, method, url, read.body)!;
            sendJson(response, control.status, control.body, {}, control.contentType);
          });
          return;
        }
        const path = url.split("?")[0]!;
        // No operation answers HEAD, and Prism's proxy cannot parse an answer without a body.
        if (method === "HEAD" && stateful) {
          request.resume();
          response.writeHead(405, { allow: "GET", "content-length": "0" });
          return response.end();
        }
        if (!escapesWellFormed(path)) {
          const refused = options.envelopes.badRequest(
            `Invalid input received: the path has a malformed percent-escape: ${JSON.stringify(path).slice(1, -1)}.`,
            requestId(),
          );
          request.resume();
          return answer(refused.status, refused.body);
        }
        const declared = Number(request.headers["content-length"]);
        if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
          request.resume();
          const refused = options.envelopes.fault(
            413,
            "The request body is too large.",
            requestId(),
          );
          return answer(refused.status, refused.body, true);
        }
        request.headers[INTERNAL_HEADERS.originalUrl] = url;
        request.headers[INTERNAL_HEADERS.originalHost] = request.headers.host ?? "";

        const proceed = () => {
          const hasBody =
            request.headers["transfer-encoding"] !== undefined ||
            (request.headers["content-length"] !== undefined &&
              request.headers["content-length"] !== "0");
          if (!hasBody) return prism(request, response);
          // The front reads the body itself and hands Prism a replay: Prism 5.16 hangs for
          // good on a JSON body it cannot parse (it waits for an `end` already past), its
          // proxy forwards JSON re-serialised while the signature covers the bytes sent,
          // and a chunked body must be bounded as well.
          readBody(request, options.maxBodyBytes).then((read) => {
            if (!read.ok) {
              if (read.reason === "too-large") {
                const refused = options.envelopes.fault(
                  413,
                  "The request body is too large.",
                  requestId(),
                );
                answer(refused.status, refused.body, true);
              }
              return;
            }
            const refused = unreadableJson(request.headers["content-type"], read.body);
            if (refused) {
              const status = refused.startsWith("charset") ? 415 : 400;
              const message =
                status === 415
                  ? `The request media type is not supported: ${refused}.`
                  : `Invalid input received: ${refused}.`;
              return answer(status, options.envelopes.fault(status, message, requestId()).body);
            }
            if (stateful)
              request.headers[INTERNAL_HEADERS.bodySha256] = createHash("sha256")
                .update(read.body)
                .digest("hex");
            prism(replay(request, read.body), response);
          });
        };
        const operation = route(method, path).match?.operation;
        const unusable =
          operation && preferProblem(options.spec, operation, headerText(request.headers.prefer));
        if (unusable) {
          request.resume();
          const refusal = preferRefusal(unusable);
          return sendJson(response, refusal.status, refusal.body, {}, refusal.contentType);
        }
        const rule = operation && options.emulator?.faults.take(operation.operationId);
        if (!rule) return proceed();
        if (rule.status !== undefined)
          request.headers[INTERNAL_HEADERS.fault] = JSON.stringify({
            status: rule.status,
            example: rule.example,
          });
        const act = () => {
          if (rule.drop) {
            request.socket.destroy();
            return;
          }
          proceed();
        };
        if (rule.delayMs > 0) setTimeout(act, rule.delayMs);
        else act();
      } catch (error) {
        answer(
          500,
          options.envelopes.fault(500, `mock front error: ${(error as Error).message}`, requestId())
            .body,
        );
      }
    };

  // prism-http-server builds its http.Server internally; its listener is wrapped by the
  // front while it does (micri calls http.createServer on the module object at that moment).
  const originalCreateServer = http.createServer;
  let prismServer: ReturnType<typeof prismHttpServer.createServer>;
  let httpServer: http.Server | undefined;
  try {
    (http as { createServer: unknown }).createServer = (...args: unknown[]) => {
      const index = args.findIndex((arg) => typeof arg === "function");
      if (index >= 0) args[index] = front(args[index] as RequestListener);
      httpServer = (originalCreateServer as Fn).apply(http, args) as http.Server;
      return httpServer;
    };
    prismServer = prismHttpServer.createServer(operations, {
      cors: true,
      config,
      components: guardedComponents(logger, options.emulator),
    });
  } finally {
    (http as { createServer: unknown }).createServer = originalCreateServer;
  }
  try {
    await prismServer.listen(options.port, options.host);
  } catch (error) {
    const text = String((error as Error)?.message ?? error);
    if (text.includes("EADDRINUSE"))
      throw new Error(`port ${options.port} on ${options.host} is already in use`);
    if (text.includes("EADDRNOTAVAIL") || text.includes("ENOTFOUND"))
      throw new Error(`cannot listen on host ${options.host}: no such local address`);
    if (text.includes("EACCES")) throw new Error(`not allowed to listen on port ${options.port}`);
    throw new Error(`cannot listen on ${options.host}:${options.port}: ${text}`);
  }
  const bound = httpServer?.address();
  if (!bound || typeof bound === "string")
    throw new Error("Prism's server did not report its address");
  // A wildcard address is reachable on loopback; IPv6 literals need brackets in a URL.
  const host =
    bound.address === "0.0.0.0"
      ? "127.0.0.1"
      : bound.address === "::"
        ? "[::1]"
        : bound.address.includes(":")
          ? `[${bound.address}]`
          : bound.address;
  return { url: `http://${host}:${bound.port}`, close: () => prismServer.close() };
}
