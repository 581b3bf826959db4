/** Small HTTP helpers shared by the emulator's server and the front of Prism. */
import type { IncomingMessage, ServerResponse } from "node:http";

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; reason: "too-large" | "aborted" };

/** Reads a body up to `limit` bytes; past it, stops reading (the caller answers 413). */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      request.resume();
      return resolve({ ok: false, reason: "too-large" });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    request.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        chunks.length = 0;
        return resolve({ ok: false, reason: "too-large" });
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!settled) resolve({ ok: true, body: Buffer.concat(chunks, size) });
      settled = true;
    });
    request.on("error", () => {
      if (!settled) resolve({ ok: false, reason: "aborted" });
      settled = true;
    });
    request.on("close", () => {
      if (!settled) resolve({ ok: false, reason: "aborted" });
      settled = true;
    });
  });
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = "application/json",
): void {
  if (response.headersSent || response.destroyed) return;
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const text = typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/**
 * A header value Node accepts: Latin-1 without control characters. Anything else becomes a
 * JSON-style `\uXXXX` escape, so a JSON value (Prism's `sl-violations`) stays valid JSON
 * that decodes to the original text.
 */
export function headerSafe(value: string): string {
  if (/^[\t\x20-\x7e]*$/.test(value)) return value;
  return value.replace(
    /[^\t\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
