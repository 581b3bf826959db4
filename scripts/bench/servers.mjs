// Loopback HTTP servers the benchmarks talk to. Keep-alive is on (Node's default agent and
// undici both reuse connections), so the numbers measure the clients, not TCP handshakes.
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { indexOfSnapshotId, nativeListPage } from "./fixtures.mjs";

function listen(server) {
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Answers every request with the same JSON bytes (the request's own cost is what varies). */
export function startFixedServer(body) {
  const bytes = Buffer.from(JSON.stringify(body));
  const headers = {
    "content-type": "application/json",
    "content-length": bytes.length,
    "x-request-id": "bench",
  };
  return listen(
    createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, headers);
        res.end(bytes);
      });
    }),
  );
}

/**
 * A native list of `total` snapshots, each page built when asked for. Pages by `offset` or
 * by `marker` (whichever the client sends), `limit` defaulting to the API's 1000.
 */
export function startPagingServer(total) {
  return listen(
    createServer((req, res) => {
      const query = new URL(req.url, "http://localhost").searchParams;
      const limit = Number(query.get("limit") ?? 1000);
      const marker = query.get("marker");
      const offset = marker ? indexOfSnapshotId(marker) + 1 : Number(query.get("offset") ?? 0);
      const bytes = Buffer.from(JSON.stringify(nativeListPage({ total, offset, limit })));
      res.writeHead(200, { "content-type": "application/json", "content-length": bytes.length });
      res.end(bytes);
    }),
  );
}

/** A port free on 127.0.0.1 now, for a child process (Prism, the mock) that must be told one. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
