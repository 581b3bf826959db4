// Credentials never leave the configured origin. A second local server plays a foreign host:
// the home server names it in `snapshots_links` hrefs and redirects to it. Whatever the
// auth (token, or AK/SK with a security token) and the path family, the foreign host must
// never see X-Auth-Token, Authorization or X-Security-Token, nor any secret value.
import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import type { EvsAuth, EvsClient, SnapshotFamily } from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsRedirectError,
  EvsValidationError,
  iterateSnapshots,
} from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";
import { FAMILIES } from "../support/family-operations.js";
import type { SeenRequest, TestServer } from "../support/loopback-server.js";
import { sendJson, startServer } from "../support/loopback-server.js";
import { nativeListItem, PROJECT_ID, snapshot } from "./snapshots.js";

const TOKEN = "home-only-token-7f3a9c";
const AK_SK = {
  accessKey: "HOMEONLYACCESSKEY001",
  secretKey: "home-only-secret-2b8e",
  securityToken: "home-only-sts-token-91d4",
};
const AUTHS: { name: string; auth: EvsAuth; secrets: string[] }[] = [
  { name: "token", auth: { token: TOKEN }, secrets: [TOKEN] },
  { name: "AK/SK with security token", auth: akSk(AK_SK), secrets: Object.values(AK_SK) },
];
const CREDENTIAL_HEADERS = ["x-auth-token", "authorization", "x-security-token"];
const REDIRECTS = [301, 302, 303, 307, 308];

/** Every way a request could carry a credential to the foreign host. */
function leaks(requests: SeenRequest[], secrets: string[]): string[] {
  return requests.flatMap((request) => {
    const found = CREDENTIAL_HEADERS.filter((name) => name in request.headers).map(
      (name) => `header ${name}`,
    );
    const text = `${request.url}\n${JSON.stringify(request.headers)}`;
    found.push(...secrets.filter((secret) => text.includes(secret)).map(() => "a secret value"));
    return found.map((what) => `${request.method} ${request.url}: ${what}`);
  });
}

// What the home server does next; set by each test.
let scenario: { kind: "paging" } | { kind: "redirect"; status: number } = { kind: "paging" };
let home: TestServer;
let foreign: TestServer;

/** A valid answer to any request, so that following a link or redirect would "work". */
function answerAnything(method: string, url: URL, res: ServerResponse, page = 1): void {
  const native = url.pathname.includes("/cloudsnapshots");
  const fields = { id: `s-${page}`, name: `page-${page}` };
  if (method === "GET") {
    const item = native ? nativeListItem(fields) : snapshot(fields);
    return sendJson(res, 200, native ? { count: 2, snapshots: [item] } : { snapshots: [item] });
  }
  sendJson(res, method === "POST" ? 202 : 200, { snapshot: snapshot(fields) });
}

beforeAll(async () => {
  foreign = await startServer((req, res) =>
    answerAnything(req.method, new URL(req.url, foreign.url), res),
  );
  home = await startServer((req, res) => {
    const url = new URL(req.url, home.url);
    if (scenario.kind === "redirect") {
      res.writeHead(scenario.status, { location: `${foreign.url}${req.url}`, "content-length": 0 });
      return res.end();
    }
    // Paging: the first page links to the second one on the foreign host (in the other
    // family, like the real backend); the client must rebuild the URL on its endpoint.
    const firstPage = !url.searchParams.has("marker") && !url.searchParams.has("offset");
    if (!firstPage) return answerAnything("GET", url, res, 2);
    const native = url.pathname.includes("/cloudsnapshots");
    const item = native
      ? nativeListItem({ id: "s-1", name: "page-1" })
      : snapshot({ id: "s-1", name: "page-1" });
    const links = [
      { rel: "next", href: `${foreign.url}/v2/${PROJECT_ID}/snapshots/detail?limit=1&marker=s-1` },
    ];
    sendJson(
      res,
      200,
      native
        ? { count: 2, snapshots: [item], snapshots_links: links }
        : { snapshots: [item], snapshots_links: links },
    );
  });
});

afterEach(() => {
  home.requests.length = 0;
  foreign.requests.length = 0;
});

afterAll(async () => {
  await home?.close();
  await foreign?.close();
});

describe.each(AUTHS)("with $name auth", ({ auth, secrets }) => {
  describe.each(FAMILIES)("on the %s family", (family) => {
    const client = (): EvsClient<SnapshotFamily> =>
      createEvsClient({
        endpoint: home.url,
        projectId: PROJECT_ID,
        family,
        auth,
        timeoutMs: 5_000,
        retry: { attempts: 0 },
      });

    test("a next link naming a foreign host is not followed: the next page comes from home", async () => {
      scenario = { kind: "paging" };
      const names: string[] = [];
      for await (const item of iterateSnapshots(client(), { limit: 1 }))
        names.push(item.name ?? "");
      expect(names).toEqual(["page-1", "page-2"]);
      expect(home.requests).toHaveLength(2);
      expect(foreign.requests).toEqual([]);
    });

    test.each(REDIRECTS)(
      "a %i redirect to a foreign host is refused, for list, create and update",
      async (status) => {
        scenario = { kind: "redirect", status };
        const evs = client();
        await expect(evs.listSnapshots({ limit: 1 })).rejects.toBeInstanceOf(EvsRedirectError);
        await expect(evs.createSnapshot({ volume_id: "vol-1", name: "n" })).rejects.toBeInstanceOf(
          EvsRedirectError,
        );
        await expect(evs.updateSnapshot("s-1", { name: "n" })).rejects.toBeInstanceOf(
          EvsRedirectError,
        );
        expect(home.requests).toHaveLength(3);
        expect(leaks(foreign.requests, secrets)).toEqual([]);
      },
    );

    test("the raw client is held to the same origin", async () => {
      scenario = { kind: "redirect", status: 307 };
      const raw = rawClient(client());
      const path =
        family === "snapshots"
          ? "/v2/{project_id}/snapshots/detail"
          : "/v2/{project_id}/cloudsnapshots/detail";
      await expect(
        raw.GET(path, { params: { path: { project_id: PROJECT_ID } } }),
      ).rejects.toBeInstanceOf(EvsRedirectError);
      await expect(
        // @ts-expect-error baseUrl is not an option of raw: credentials go only to the endpoint
        raw.GET(path, { baseUrl: foreign.url, params: { path: { project_id: PROJECT_ID } } }),
      ).rejects.toBeInstanceOf(EvsValidationError);
      expect(leaks(foreign.requests, secrets)).toEqual([]);
    });
  });
});
