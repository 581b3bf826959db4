// The built API reference (dist/docs/index.html) must work from disk with no network and
// must not contact anyone (CDN, fonts, telemetry): readers open it offline and behind
// firewalls, and a page that calls out leaks who reads it. Opened in headless Chromium
// with every non-file request refused and recorded.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "../support/chromium.js";
import { listOperations, loadBundledSpec, REPO_ROOT } from "../support/spec.js";

const DOCS_FILE = path.join(REPO_ROOT, "dist/docs/index.html");
const SCREENSHOT = "/tmp/docs.png";
const SCREENSHOT_OPERATION = "createSnapshotNative";
const operations = listOperations(loadBundledSpec());

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

let browser: Browser;
let page: Page;
/** Every request the page attempted that was neither file: nor data:. */
const outsideRequests: string[] = [];

beforeAll(async () => {
  if (!existsSync(DOCS_FILE))
    await promisify(execFile)(process.execPath, ["scripts/build-docs.mjs"], { cwd: REPO_ROOT });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    outsideRequests.push(url);
    return route.abort();
  });
  page = await context.newPage();
  await page.goto(pathToFileURL(DOCS_FILE).href, { waitUntil: "load" });
});

afterAll(async () => {
  await browser?.close();
});

describe("the built docs", () => {
  test("load no script from http(s)", async () => {
    const html = await readFile(DOCS_FILE, "utf8");
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=\s*["']?(https?:)?\/\//i);
  });

  test("render the API title", async () => {
    const heading = page.getByRole("heading", { name: /EVS Snapshot API/ }).first();
    await heading.waitFor({ state: "visible" });
    expect(await heading.innerText()).toMatch(/EVS Snapshot API\s*\(2\.0\)/);
  });

  // Redoc renders one tag's operations at a time: open the tag, then the operation. The
  // operation's section shows its method and path ("PUT\n/v2/…") in the request panel.
  test.each(operations.map((o) => [o.operationId, o] as const))(
    "show %s by summary, anchor and path",
    async (operationId, { operation, method, path: apiPath }) => {
      const [tag] = operation.tags;
      if (!tag) throw new Error(`${operationId} has no tag, so the docs list it nowhere`);
      await page.getByRole("link", { name: tag, exact: true }).click();
      const menuLink = page.locator(`a[href$="/${operationId.toLowerCase()}"]`).first();
      await menuLink.waitFor({ state: "visible" });
      expect(await menuLink.innerText()).toContain(operation.summary);
      await menuLink.click();

      const section = page.locator(`[id$="/${operationId.toLowerCase()}"]`).first();
      await section.waitFor({ state: "visible" });
      const text = await section.innerText();
      expect(text).toContain(operation.summary);
      expect(text).toMatch(new RegExp(`${method.toUpperCase()}\\s+${escapeRegExp(apiPath)}\\s`));
      if (operationId === SCREENSHOT_OPERATION) await page.screenshot({ path: SCREENSHOT });
    },
  );

  // Last, so that it covers the page load and all the navigation above.
  test("attempt no request to any other host (CDN, fonts, telemetry)", () => {
    expect(outsideRequests, "the docs page tried to reach the network").toEqual([]);
  });
});
