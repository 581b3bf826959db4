/**
 * Serves the emulator over HTTP: behind Prism (the upstream of `prism proxy`, on a private
 * loopback port) or alone (the bench's "emulator alone" row).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handleControl } from "../control.js";
import { readBody, sendJson, sleep } from "../http-util.js";
import type { Emulator } from "./index.js";

export interface EmulatorServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function serveEmulator(
  emulator: Emulator,
  options: {
    host?: string;
    port?: number;
    maxBodyBytes: number;
    applyFaults: boolean;
    control: boolean;
  },
): Promise<EmulatorServer> {
  const server = createServer(async (request, response) => {
    try {
      const read = await readBody(request, options.maxBodyBytes);
      if (!read.ok) {
        if (read.reason === "aborted") return;
        const answer = emulator.tooLarge();
        sendJson(response, answer.status, answer.body, {
          "X-Request-Id": answer.requestId,
          connection: "close",
        });
        return;
      }
      const url = request.url ?? "/";
      const control = options.control
        ? handleControl(emulator, "stateful", request.method ?? "GET", url, read.body)
        : undefined;
      if (control) return sendJson(response, control.status, control.body, {}, control.contentType);
      const answer = emulator.handle(
        { method: request.method ?? "GET", url, headers: request.headers, body: read.body },
        options.applyFaults,
      );
      if (answer.delayMs) await sleep(answer.delayMs);
      if (answer.drop) {
        request.socket.destroy();
        return;
      }
      sendJson(response, answer.status, answer.body, {
        ...answer.headers,
        "X-Request-Id": answer.requestId,
      });
    } catch (error) {
      // An emulator bug must not take the process down: answer and keep serving.
      sendJson(response, 500, {
        computeFault: { code: 500, message: `emulator error: ${(error as Error).message}` },
      });
    }
  });
  // Longer than any client agent keeps an idle socket, so the server never closes a socket
  // Prism is about to reuse (that race shows up as ECONNRESET under load).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
