// Calls an operation of the spec on the Prism mock by operationId and reads the answer,
// including Prism's verdict on the request: the `sl-violations` header (a JSON array).
import { request } from "node:http";
import type { OpenApiDocument } from "./spec.js";
import { findOperation, operationParameters } from "./spec.js";

export interface PrismViolation {
  /** E.g. `['request', 'body', 'snapshot', 'name']` or `['request', 'query', 'limit']`. */
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export interface PrismAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  violations: PrismViolation[];
}

export interface OperationCall {
  operationId: string;
  body?: unknown;
  query?: Record<string, string>;
  /** Value of a `Prefer` header, e.g. `code=404, example=native`. */
  prefer?: string;
  /** Sends `X-Auth-Token` unless false (Prism enforces the security schemes). */
  authenticated?: boolean;
}

// Path parameters take the example the spec documents for them.
function concretePath(spec: OpenApiDocument, operationId: string): string {
  const entry = findOperation(spec, operationId);
  const examples = new Map(
    operationParameters(spec, entry)
      .filter((p) => p.value.in === "path")
      .map((p) => [p.value.name, String(p.value.example)]),
  );
  return entry.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = examples.get(name);
    if (value === undefined)
      throw new Error(`${operationId}: no example for path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

export function parseViolations(headers: Headers): PrismViolation[] {
  const raw = headers.get("sl-violations");
  return raw ? (JSON.parse(raw) as PrismViolation[]) : [];
}

// node:http rather than fetch: fetch turns a 407 answer into a network error (the Fetch
// standard reserves 407 for proxies), and 407 is one of the statuses the spec documents.
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
            answerHeaders.append(name, v);
        }
        resolvePromise({
          status: res.statusCode ?? 0,
          headers: answerHeaders,
          text: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

export async function callOperation(
  baseUrl: string,
  spec: OpenApiDocument,
  call: OperationCall,
): Promise<PrismAnswer> {
  const { method } = findOperation(spec, call.operationId);
  const url = new URL(concretePath(spec, call.operationId), baseUrl);
  for (const [name, value] of Object.entries(call.query ?? {}))
    url.searchParams.append(name, value);
  const headers: Record<string, string> = { Accept: "application/json" };
  if (call.authenticated !== false) headers["X-Auth-Token"] = "test";
  if (call.prefer) headers.Prefer = call.prefer;
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const res = await send(url, method.toUpperCase(), headers, payload);
  const body: unknown =
    res.text && res.headers.get("content-type")?.includes("json") ? JSON.parse(res.text) : res.text;
  return {
    status: res.status,
    headers: res.headers,
    body,
    violations: parseViolations(res.headers),
  };
}
