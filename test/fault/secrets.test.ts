// Issue 9, point 3: secrets never surface. Credentials a header cannot carry are refused
// before sending (naming the field, never the value), and whatever a real server echoes —
// in a request-id header, the reason phrase, 2xx/3xx/4xx/5xx bodies, JSON with escaped
// characters, percent-encoded — is redacted in every error and retry callback.
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import type { EvsAuth, RetryInfo } from "../../packages/client/src/index.js";
import { createEvsClient, EvsValidationError } from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";
import { recordingFetch } from "../support/client-kit.js";
import type { TestServer } from "../support/loopback-server.js";
import { startServer } from "../support/loopback-server.js";

const SEED = 3_3;
/** Secrets as real ones look (base64/hex-ish text), long enough to be searched for. */
const SECRET = fc.stringMatching(/^[A-Za-z0-9+/=_-]{8,48}$/);

/** Every way an error can be looked at. */
function everyView(error: unknown, retries: RetryInfo[]): string {
  const chain: unknown[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 10; e = e.cause) chain.push(e);
  return [
    String(error),
    ...chain.map((e) => `${(e as Error).message}\n${(e as Error).stack}`),
    JSON.stringify(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    JSON.stringify(retries),
    inspect(retries, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  ].join("\n");
}

/** A JSON string literal with every character \u-escaped: JSON.parse decodes it, a text search does not. */
const escaped = (text: string) =>
  `"${[...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`;

const ECHOES = [
  "request-id",
  "reason",
  "2xx body",
  "3xx body",
  "4xx escaped JSON",
  "5xx percent",
  "4xx percent, lowercase and RFC 3986",
  "4xx the request's signature, in every form",
] as const;
type Echo = (typeof ECHOES)[number];

/** Percent-encoded as some servers do it: RFC 3986 (also !'()*), lowercase hex. */
const strictLowercase = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
    .replace(/%[0-9A-F]{2}/g, (pair) => pair.toLowerCase());

let echo: { where: Echo; secret: string } = { where: "reason", secret: "" };
/** The signature of the last AK/SK request the server saw (a secret for 15 minutes: replayable). */
let lastSignature = "";
let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const { where, secret } = echo;
    const signature = /Signature=([0-9a-f]{64})/.exec(String(req.headers.authorization))?.[1] ?? "";
    if (signature) lastSignature = signature;
    const headers: Record<string, string> = { "content-type": "application/json" };
    switch (where) {
      case "request-id":
        res.writeHead(503, { ...headers, "x-request-id": `req-${secret}` });
        return res.end(JSON.stringify({ error: { code: "E", message: "busy" } }));
      case "reason":
        res.writeHead(503, `Unavailable for ${secret}`, headers);
        return res.end("{}");
      case "2xx body":
        res.writeHead(200, headers);
        return res.end(JSON.stringify({ unexpected: `token was ${secret}` }));
      case "3xx body":
        res.writeHead(300, headers);
        return res.end(JSON.stringify({ error: { code: "E", message: `choose ${secret}` } }));
      case "4xx escaped JSON":
        res.writeHead(401, headers);
        return res.end(
          `{"error":{"code":"E","message":${escaped(secret)}},"echo":{${escaped(secret)}:1}}`,
        );
      case "5xx percent":
        res.writeHead(502, { "content-type": "text/html" });
        return res.end(`<p>upstream said ${encodeURIComponent(secret)} and ${secret}</p>`);
      case "4xx percent, lowercase and RFC 3986":
        res.writeHead(400, headers);
        return res.end(JSON.stringify({ error: { code: "E", message: strictLowercase(secret) } }));
      case "4xx the request's signature, in every form": {
        const forms = [
          signature,
          signature.toUpperCase(),
          `signature=${signature}`,
          `Signature="${signature}"`,
          `Signature%3D${signature}`,
        ];
        res.writeHead(403, { ...headers, "x-request-id": signature });
        return res.end(JSON.stringify({ error: { code: "E", message: forms.join(" ") } }));
      }
    }
  });
});
afterAll(() => server.close());

describe("3a. credentials a header cannot carry are refused before anything is sent", () => {
  /** A credential with at least one character fetch refuses or that is not visible ASCII. */
  const BAD_CREDENTIAL = fc
    .tuple(
      fc.stringMatching(/^[A-Za-z0-9]{0,20}$/),
      fc.constantFrom(
        "\r",
        "\n",
        "\r\n",
        "\u0000",
        " ",
        "\t",
        "\u007f",
        "é",
        "\u2028",
        "😀",
        "\u0085",
      ),
      fc.stringMatching(/^[A-Za-z0-9]{0,20}$/),
    )
    .map(([a, bad, b]) => `${a}${bad}${b}`);

  test("token, access key, security token and project ID: EvsValidationError naming the field, never the value", () => {
    fc.assert(
      fc.property(
        BAD_CREDENTIAL,
        fc.constantFrom("auth.token", "auth.accessKey", "auth.securityToken", "projectId"),
        (bad, field) => {
          const { fetch, calls } = recordingFetch(() => new Response("{}"));
          let error: unknown;
          try {
            const auth: EvsAuth =
              field === "auth.token"
                ? { token: bad }
                : akSk({
                    accessKey: field === "auth.accessKey" ? bad : "AK",
                    secretKey: "SK-secret",
                    ...(field === "auth.securityToken" ? { securityToken: bad } : {}),
                  });
            createEvsClient({
              endpoint: "https://evs.example.com",
              projectId: field === "projectId" ? bad : "p1",
              auth,
              fetch,
            });
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(EvsValidationError);
          expect((error as EvsValidationError).field).toBe(field);
          if (bad.trim().length >= 4) expect(everyView(error, [])).not.toContain(bad);
          expect(calls).toHaveLength(0);
        },
      ),
      { numRuns: 200, seed: SEED },
    );
  });
});

describe("3b. whatever the server echoes, no secret reaches an error or onRetry", () => {
  test.each(["token", "AK/SK"])("%s: every echo, every view of the error", async (kind) => {
    await fc.assert(
      fc.asyncProperty(SECRET, SECRET, fc.constantFrom(...ECHOES), async (one, two, where) => {
        const secrets = kind === "token" ? [one] : [one, two];
        const auth: EvsAuth =
          kind === "token"
            ? { token: one }
            : akSk({ accessKey: "AK-visible", secretKey: one, securityToken: two });
        const retries: RetryInfo[] = [];
        const evs = createEvsClient({
          endpoint: server.url,
          projectId: "p1",
          auth,
          retry: { attempts: 1, baseDelayMs: 0, onRetry: (info) => retries.push(info) },
        });
        for (const secret of secrets) {
          echo = { where, secret };
          const error = await evs.listSnapshots().catch((e: unknown) => e);
          expect(error).toMatchObject({ name: "EvsApiError" });
          const views = everyView(error, retries);
          // AK/SK: the signature of the request is as secret as the key (for 15 minutes).
          const signature = kind === "token" ? [] : [lastSignature];
          for (const s of [...secrets, ...signature]) {
            expect(views).not.toContain(s);
            expect(views.toLowerCase()).not.toContain(strictLowercase(s).toLowerCase());
          }
          // The raw client's error object is redacted too.
          const { error: rawError, response } = await rawClient(evs).GET(
            "/v2/{project_id}/cloudsnapshots/detail",
            { params: { path: { project_id: "p1" } } },
          );
          // A failure's Response too: status text and every header (request ids echo).
          const rawViews = `${JSON.stringify(rawError)} ${response.statusText} ${JSON.stringify([...response.headers])}`;
          if (response.status >= 300) for (const s of secrets) expect(rawViews).not.toContain(s);
        }
      }),
      { numRuns: 30, seed: SEED },
    );
  });

  test("a runtime error that quotes a secret is redacted in the EvsNetworkError and its cause chain", async () => {
    await fc.assert(
      fc.asyncProperty(SECRET, async (token) => {
        const retries: RetryInfo[] = [];
        const evs = createEvsClient({
          endpoint: "https://evs.example.com",
          projectId: "p1",
          auth: { token },
          retry: { attempts: 2, baseDelayMs: 0, onRetry: (info) => retries.push(info) },
          fetch: async () => {
            throw new TypeError("fetch failed", {
              cause: new Error(`Invalid header value: "${token}"`),
            });
          },
        });
        const error = await evs.listSnapshots().catch((e: unknown) => e);
        expect(error).toMatchObject({ name: "EvsNetworkError" });
        expect(retries).toHaveLength(2);
        expect(everyView(error, retries)).not.toContain(token);
      }),
      { numRuns: 30, seed: SEED },
    );
  });
});
