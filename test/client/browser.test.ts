// The client in a real browser: the package's ESM bundle (esbuild, platform browser) loaded
// by headless Chromium from a loopback server that also plays the API, same origin. In the
// browser there is no node:crypto, so AK/SK requests take the WebCrypto path; the server
// recomputes each signature with the Node path and both must agree.
import type { ServerResponse } from "node:http";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signParts, signRequest } from "../../packages/client/src/signing/sign.js";
import { launchChromium } from "../support/chromium.js";
import { snapshot } from "../support/client-kit.js";
import type { SeenRequest, TestServer } from "../support/loopback-server.js";
import { sendJson, startServer } from "../support/loopback-server.js";

const PROJECT = "p1";
const CREDENTIALS = { accessKey: "AK-BROWSER", secretKey: "SK-browser-secret" };
/** A native list item from the spec's example (test/support/client-kit.ts). */
const SNAPSHOT = snapshot("s1");

let server: TestServer;
let browser: Browser;
let page: Page;
const foreignRequests: string[] = [];
/** What the page's module script puts on `window` (the bundle's exports). */
type PageWindow = {
  evs: typeof import("../../packages/client/src/index.js") &
    typeof import("../../packages/client/src/aksk.js");
};

function answer(req: SeenRequest, res: ServerResponse, bundle: string): void {
  const path = new URL(req.url, server.url).pathname;
  if (path === "/") {
    res.writeHead(200, { "content-type": "text/html" });
    return void res.end(
      '<!doctype html><script type="module">import * as evs from "/client.js"; window.evs = evs;</script>',
    );
  }
  if (path === "/client.js") {
    res.writeHead(200, { "content-type": "text/javascript" });
    return void res.end(bundle);
  }
  if (path === `/v2/${PROJECT}/cloudsnapshots/detail`)
    return sendJson(res, 200, { count: 1, snapshots: [SNAPSHOT] }, { "x-request-id": "req-list" });
  sendJson(
    res,
    404,
    { itemNotFound: { code: 404, message: "Snapshot missing could not be found." } },
    { "x-request-id": "req-404" },
  );
}

/** The Authorization the Node signer computes for a request as the server received it. */
function nodeSignature(request: SeenRequest): string {
  const signedNames =
    /SignedHeaders=([^,]+)/.exec(request.headers.authorization ?? "")?.[1]?.split(";") ?? [];
  const headers = Object.fromEntries(
    signedNames.map((name) => [name, String(request.headers[name])]),
  );
  const signed = signParts(
    { method: request.method, url: `${server.url}${request.url}`, headers, body: request.body },
    CREDENTIALS,
  );
  if (signed instanceof Promise) throw new Error("expected the synchronous Node signer");
  return signed.authorization!;
}

beforeAll(async () => {
  const output = await build({
    stdin: {
      contents:
        'export * from "./packages/client/src/index.ts"; export * from "./packages/client/src/aksk.ts";',
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    write: false,
  });
  const bundle = output.outputFiles[0]!.text;
  server = await startServer((req, res) => answer(req, res, bundle));
  browser = await launchChromium();
  const context = await browser.newContext();
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url)) return route.continue();
    foreignRequests.push(url);
    return route.abort();
  });
  page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => "evs" in window);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the client in Chromium", () => {
  test("runs without node:crypto (the WebCrypto path is the one taken)", async () => {
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
      "undefined",
    );
    expect(await page.evaluate(() => typeof crypto.subtle.sign)).toBe("function");
  });

  test("lists with a token", async () => {
    server.requests.length = 0;
    const result = await page.evaluate(async (project) => {
      const { createEvsClient } = (window as unknown as PageWindow).evs;
      const evs = createEvsClient({
        endpoint: location.origin,
        projectId: project,
        auth: { token: "browser-token" },
      });
      return evs.listSnapshots({ limit: 10 });
    }, PROJECT);
    expect(result).toEqual({ count: 1, snapshots: [SNAPSHOT] });
    const apiCall = server.requests.find((r) => r.url.startsWith("/v2/"));
    expect(apiCall?.headers["x-auth-token"]).toBe("browser-token");
  });

  test("signs with WebCrypto exactly as the Node signer does", async () => {
    server.requests.length = 0;
    await page.evaluate(
      async ({ project, credentials }) => {
        const { createEvsClient, akSk } = (window as unknown as PageWindow).evs;
        const evs = createEvsClient({
          endpoint: location.origin,
          projectId: project,
          auth: akSk(credentials),
        });
        await evs.listSnapshots({ name: "nächtlich snap", id: ["b", "a"] });
      },
      { project: PROJECT, credentials: CREDENTIALS },
    );
    const apiCall = server.requests.find((r) => r.url.startsWith("/v2/"));
    expect(apiCall?.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AK-BROWSER, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$/,
    );
    expect(apiCall?.headers.authorization).toBe(nodeSignature(apiCall!));
    expect(apiCall?.headers["x-project-id"]).toBe(PROJECT);
  });

  test("signRequest gives the same signature in the browser and in Node", async () => {
    const date = "2026-11-22T14:30:00.000Z";
    const url = `https://evs.eu-de.otc.t-systems.com/v2/${PROJECT}/cloudsnapshots`;
    const body = JSON.stringify({ snapshot: { volume_id: "v1", name: "snap-ü" } });
    const init = { method: "POST", headers: { "content-type": "application/json" }, body };
    const inBrowser = await page.evaluate(
      async ({ url, init, credentials, date }) => {
        const { signRequest } = (window as unknown as PageWindow).evs;
        const signed = await signRequest(
          new Request(url, init),
          { ...credentials, projectId: "p1" },
          new Date(date),
        );
        return signed.headers.get("authorization");
      },
      { url, init, credentials: CREDENTIALS, date },
    );
    const inNode = await signRequest(
      new Request(url, init),
      { ...CREDENTIALS, projectId: PROJECT },
      new Date(date),
    );
    expect(inBrowser).toBe(inNode.headers.get("authorization"));
  });

  test("throws EvsApiError for an OpenStack fault, with the request ID", async () => {
    const error = await page.evaluate(async (project) => {
      const { createEvsClient, EvsApiError } = (window as unknown as PageWindow).evs;
      const evs = createEvsClient({
        endpoint: location.origin,
        projectId: project,
        auth: { token: "browser-token" },
      });
      try {
        await evs.updateSnapshot("missing", { name: "x" });
        return undefined;
      } catch (caught) {
        const e = caught as InstanceType<typeof EvsApiError>;
        return {
          isApiError: caught instanceof EvsApiError,
          name: e.name,
          status: e.status,
          kind: e.kind,
          code: e.code,
          requestId: e.requestId,
        };
      }
    }, PROJECT);
    expect(error).toEqual({
      isApiError: true,
      name: "EvsApiError",
      status: 404,
      kind: "itemNotFound",
      code: "404",
      requestId: "req-404",
    });
  });

  test("made no request to any other host", () => {
    expect(foreignRequests).toEqual([]);
  });
});
