/**
 * A real node:http server on 127.0.0.1 (port 0) for client and fault tests. It
 * records every request and tracks sockets so `close()` ends stalled ones and
 * the test process can exit.
 */

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { Socket } from "node:net";

export interface SeenRequest {
  method: string;
  /** Raw request target as it arrived on the wire (path + query, not normalised). */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type ServerHandler = (req: SeenRequest, res: ServerResponse, server: TestServer) => unknown;

export interface TestServer {
  url: string;
  origin: string;
  requests: SeenRequest[];
  close(): Promise<void>;
  server: Server;
}

export async function startServer(handler: ServerHandler): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen: SeenRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      Promise.resolve(handler(seen, res, test)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  const test: TestServer = {
    url: origin,
    origin,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return test;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
