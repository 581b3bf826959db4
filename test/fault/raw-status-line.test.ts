// Issue 9, points 3 and 4, for raw: whatever status line and headers a server sends (a
// status outside 200-599, a reason phrase with controls, escapes, UTF-8 or a megabyte of
// text, a credential echoed anywhere), raw answers { data | error, response } with a
// Response that holds nothing raw, or throws an EvsError: never the runtime's own
// RangeError or TypeError. A raw TCP server writes the status line byte for byte.
import { createServer, type Server } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createEvsClient, EvsError } from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";

const SEED = 4_242;
const TOKEN = "raw-status-token+/=0123456789";
const BODY = '{"error":{"code":"EVS.0000","message":"m"}}';

/** The next answer's status code, reason phrase and one extra header value (latin1 bytes). */
let next = { status: 500, reason: "x", header: "x" };
let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer((socket) => {
    socket.on("error", () => undefined);
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      head = "";
      const { status, reason, header } = next;
      socket.end(
        Buffer.from(
          `HTTP/1.1 ${status} ${reason}\r\nx-request-id: ${header}\r\ncontent-type: application/json\r\n` +
            `content-length: ${BODY.length}\r\nconnection: close\r\n\r\n${BODY}`,
          "latin1",
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Reason phrases and header values: controls, escapes, UTF-8 bytes, the token, a lot of text. */
const TEXT = fc.oneof(
  fc.string({
    unit: fc.constantFrom("a", " ", "\x01", "\x1b[31m", "\x7f", "\xe9", "\t"),
    maxLength: 40,
  }),
  fc.constantFrom(
    Buffer.from("请求过多", "utf8").toString("latin1"),
    `echo ${TOKEN}`,
    `${encodeURIComponent(TOKEN)} again`,
    "x".repeat(100_000),
  ),
);
// Header values cannot hold CR, LF or NUL on the wire; the rest is the server's to choose.
const HEADER = TEXT.map((text) => text.replace(/[\r\n\0]/g, "") || "x");

describe("raw against any status line", () => {
  test("returns a clean Response or throws an EvsError, and no view holds the token", async () => {
    const evs = createEvsClient({
      endpoint: url,
      projectId: "p",
      auth: { token: TOKEN },
      retry: { attempts: 0 },
    });
    const raw = rawClient(evs);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 200, max: 599 }), fc.integer({ min: 600, max: 999 })),
        TEXT,
        HEADER,
        async (status, reason, header) => {
          next = { status, reason, header };
          const outcome = await raw
            .GET("/v2/{project_id}/cloudsnapshots/detail", {
              params: { path: { project_id: "p" } },
            })
            .catch((error: unknown) => error);
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(EvsError);
            expect(`${outcome.message} ${JSON.stringify(outcome)}`).not.toContain(TOKEN);
            return;
          }
          const { response } = outcome as { response: Response };
          expect(response.status).toBe(status);
          expect(response.statusText.length).toBeLessThanOrEqual(64);
          expect(response.statusText).not.toMatch(/[\p{Cc}]/u);
          // A failure is an error: its status text and headers are redacted. A success's
          // headers are the service's answer, as sent (like its data).
          const views =
            status < 300
              ? response.statusText
              : `${response.statusText} ${JSON.stringify([...response.headers])}`;
          expect(views).not.toContain(TOKEN);
          expect(views).not.toContain(encodeURIComponent(TOKEN));
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });
});
