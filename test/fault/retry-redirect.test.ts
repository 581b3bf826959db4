// Issue 9, points 7 and 8: Retry-After is read as RFC 9110 defines it (delta-seconds or an
// HTTP-date, anything else ignored; waits capped, timers in range), and a redirect with an
// unparsable Location is a clear error after one request. Generated header values.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RetryInfo } from "../../packages/client/src/index.js";
import { createEvsClient, EvsRedirectError } from "../../packages/client/src/index.js";
import { parseRetryAfter, retryAfterMs } from "../../packages/client/src/transport.js";
import type { TestServer } from "../support/loopback-server.js";
import { sendJson, startServer } from "../support/loopback-server.js";

const SEED = 7_7;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** A date in the three RFC 9110 forms. */
function httpDates(ms: number): string[] {
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const month = MONTHS[d.getUTCMonth()]!;
  return [
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${month} ${d.getUTCFullYear()} ${time} GMT`,
    `${LONG_DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${month}-${String(d.getUTCFullYear()).slice(2)} ${time} GMT`,
    `${DAYS[d.getUTCDay()]} ${month} ${String(d.getUTCDate()).padStart(2, " ")} ${time} ${d.getUTCFullYear()}`,
  ];
}

describe("7. Retry-After as RFC 9110 says", () => {
  test("delta-seconds: a non-negative integer, in ms", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 9 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), NOW)).toBe(seconds * 1000);
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  test("an HTTP-date in any of its three forms: the time until then (0 if past)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (secondsFromNow) => {
        const when = NOW + secondsFromNow * 1000;
        // The two-digit-year form is only unambiguous within this century, which these are.
        for (const text of httpDates(when))
          expect(parseRetryAfter(text, NOW)).toBe(Math.max(0, secondsFromNow * 1000));
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  test("anything else is ignored: fractions, negatives, signs, units, other date formats, junk", () => {
    const NOT_RETRY_AFTER = fc.oneof(
      fc
        .double({ noNaN: true })
        .filter((n) => !Number.isInteger(n))
        .map(String),
      fc.integer({ min: -(10 ** 9), max: -1 }).map(String),
      fc.nat().map((n) => `+${n}`),
      fc.nat().map((n) => `${n}s`),
      fc.nat().map((n) => ` ${n}.0`),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom(
        "1.5",
        "-5",
        "1e3",
        "0x10",
        "Infinity",
        "",
        "soon",
        "2026-01-15",
        "Thu, 15 Jan 2026",
      ),
      fc.string({ maxLength: 30 }).filter((s) => !/^\d+$/.test(s.trim())),
    );
    fc.assert(
      fc.property(NOT_RETRY_AFTER, (value) => {
        expect(
          retryAfterMs(new Headers({ "retry-after": value.trim() || "x" }), "", NOW),
        ).toBeUndefined();
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  let server: TestServer;
  let retryAfter = "";
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      if (server.requests.length % 2 === 1)
        return sendJson(
          res,
          503,
          { error: { code: "E", message: "busy" } },
          { "retry-after": retryAfter },
        );
      return sendJson(res, 200, { count: 0, snapshots: [] });
    });
  });
  afterAll(() => server.close());

  test("end to end: the wait is the hint capped by maxDelayMs, or the backoff when the hint is invalid", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.nat({ max: 10 ** 9 }).map(String),
          fc.constantFrom("1.5", "-5", "soon", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ),
        async (value) => {
          retryAfter = value;
          const retries: RetryInfo[] = [];
          const evs = createEvsClient({
            endpoint: server.url,
            projectId: "p",
            auth: { token: "retry-token" },
            retry: {
              attempts: 1,
              baseDelayMs: 1,
              maxDelayMs: 5,
              onRetry: (info) => retries.push(info),
            },
          });
          await evs.listSnapshots();
          expect(retries).toHaveLength(1);
          const { delayMs } = retries[0]!;
          expect(delayMs).toBeGreaterThanOrEqual(0);
          expect(delayMs).toBeLessThanOrEqual(/^\d+$/.test(value) ? 5 : 1);
          if (/^\d+$/.test(value)) expect(delayMs).toBe(Math.min(Number(value) * 1000, 5));
        },
      ),
      { numRuns: 20, seed: SEED },
    );
  });
});

describe("8. a redirect with an unparsable Location", () => {
  let server: TestServer;
  let location = "";
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.writeHead(307, { location });
      res.end();
    });
  });
  afterAll(() => server.close());

  test("is an EvsRedirectError after exactly one request, whatever the method", async () => {
    const UNPARSABLE = fc.oneof(
      fc.constantFrom(
        "http://[::1",
        "http://a b/",
        "https://:99999/x",
        "http://[",
        "http://%zz/",
        "https://exa mple.com",
      ),
      fc.stringMatching(/^[a-z]{1,8}$/).map((host) => `http://${host}:${100_000 + host.length}/`),
      fc.stringMatching(/^[a-z]{1,8}$/).map((host) => `https://[${host}]/`),
    );
    await fc.assert(
      fc.asyncProperty(UNPARSABLE, fc.constantFrom("list", "update"), async (value, call) => {
        location = value;
        const before = server.requests.length;
        const evs = createEvsClient({
          endpoint: server.url,
          projectId: "p",
          auth: { token: "redirect-token" },
          retry: { attempts: 3, baseDelayMs: 0 },
        });
        const error = await (call === "list"
          ? evs.listSnapshots()
          : evs.updateSnapshot("s1", { name: "n" })
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EvsRedirectError);
        expect((error as Error).message).toMatch(/Location is not a valid URL/);
        expect(server.requests.length - before).toBe(1);
      }),
      { numRuns: 30, seed: SEED },
    );
  });
});
