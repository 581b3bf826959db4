// The docs site around the references (dist/docs/): the start page picks the language and
// offers the contract for download, the mock page says how to try the API locally. Opened
// from disk in headless Chromium with every non-file request refused; every link is
// followed and must land on a file of the site.
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
// @ts-expect-error -- plain ESM script of the docs build; it has no type declarations.
import { MOCK_INSTALL } from "../../scripts/docs/site-pages.mjs";
import { BUNDLED_SPEC_JSON, REPO_ROOT } from "../support/spec.js";
import {
  DOCS_DIR,
  type OfflineBrowser,
  openOfflineBrowser,
  SCREENSHOT_DIR,
} from "./offline-browser.js";

let offline: OfflineBrowser;

beforeAll(async () => {
  offline = await openOfflineBrowser();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

afterAll(async () => {
  await offline?.close();
});

/** The href of every link of the page, resolved against it. */
const linksOf = (page: Page) =>
  page.$$eval("a[href]", (links) => links.map((a) => (a as HTMLAnchorElement).href));

describe("the start page (start.html)", () => {
  let page: Page;

  beforeAll(async () => {
    page = await offline.open("start.html");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "start.png") });
  });

  test("offers both languages, and each link opens the reference in that language", async () => {
    for (const [id, file, lang] of [
      ["#pick-en", "index.html", "en"],
      ["#pick-zh-CN", "zh-CN.html", "zh-CN"],
    ] as const) {
      const target = await offline.context.newPage();
      await target.goto(page.url());
      await target.click(id);
      await target.waitForURL((url) => url.pathname.endsWith(`/${file}`));
      expect(await target.getAttribute("html", "lang")).toBe(lang);
      await target.locator("#api-content h1").first().waitFor({ state: "visible" });
      await target.close();
    }
  });

  test("every link lands on a file of the site", async () => {
    const links = await linksOf(page);
    expect(links.length).toBeGreaterThanOrEqual(8);
    for (const href of links) {
      expect(href, "a link leaves the site").toMatch(/^file:/);
      const file = fileURLToPath(href.split("#")[0] ?? "");
      expect(path.dirname(file)).toBe(DOCS_DIR);
      expect(existsSync(file), `${href} is missing`).toBe(true);
    }
  });

  test("offers the contract as YAML and JSON, as bundled, and its Chinese translation", async () => {
    const downloads = (await linksOf(page)).filter((href) => /\.(ya?ml|json)$/.test(href));
    const files = downloads.map((href) => path.basename(fileURLToPath(href))).sort();
    expect(files).toEqual([
      "evs-snapshots.json",
      "evs-snapshots.yaml",
      "evs-snapshots.zh-CN.json",
      "evs-snapshots.zh-CN.yaml",
    ]);
    const read = (file: string) => readFile(path.join(DOCS_DIR, file), "utf8");
    const bundle = await readFile(BUNDLED_SPEC_JSON, "utf8");
    expect(await read("evs-snapshots.json")).toBe(bundle);
    expect(await read("evs-snapshots.yaml")).toBe(
      await readFile(path.join(REPO_ROOT, "openapi/bundled/evs-snapshots.yaml"), "utf8"),
    );
    const chinese = JSON.parse(await read("evs-snapshots.zh-CN.json"));
    expect(parse(await read("evs-snapshots.zh-CN.yaml"))).toEqual(chinese);
    // Same contract: the same paths and operations, the same schemas' fields.
    const english = JSON.parse(bundle);
    expect(Object.keys(chinese.paths)).toEqual(Object.keys(english.paths));
    expect(Object.keys(chinese.components.schemas)).toEqual(
      Object.keys(english.components.schemas),
    );
    expect(chinese.info.title).toMatch(/\p{Script=Han}/u);
  });

  test("links to the mock page", async () => {
    await page.click("#to-mock");
    await page.waitForURL((url) => url.pathname.endsWith("/try-the-mock.html"));
  });
});

describe("the mock page (try-the-mock.html)", () => {
  let page: Page;

  beforeAll(async () => {
    page = await offline.open("try-the-mock.html");
  });

  test("says how to install and start the mock and call it with a token, in both languages", async () => {
    const text = await page.locator("body").innerText();
    // Not on the registry yet: the page installs the packed tarball (test/mock/pack.test.ts
    // packs and installs it the same way).
    expect(text).toContain(MOCK_INSTALL);
    expect(text).not.toMatch(/npm install [^.\n]*@evs-toolkit\/mock/);
    expect(text).toContain("npx evs-mock --port 4010");
    expect(text).toMatch(/curl -H 'X-Auth-Token: [^']+' http:\/\/127\.0\.0\.1:4010\/v2\//);
    expect(text).toContain('endpoint: "http://127.0.0.1:4010"');
    const chinese = await page.locator('section[lang="zh-CN"]').innerText();
    expect(chinese).toContain(MOCK_INSTALL);
    expect(chinese).toContain("npx evs-mock --port 4010");
    expect(chinese.match(/\p{Script=Han}/gu)?.length ?? 0).toBeGreaterThan(40);
  });

  test("every link lands on a file of the site", async () => {
    for (const href of await linksOf(page)) {
      expect(href).toMatch(/^file:/);
      expect(existsSync(fileURLToPath(href.split("#")[0] ?? "")), `${href} is missing`).toBe(true);
    }
  });
});

describe("the whole site", () => {
  test("raised no page error and no console error", () => {
    expect(offline.errors).toEqual([]);
  });

  test("attempted no request to any other host", () => {
    expect(offline.outsideRequests).toEqual([]);
  });
});
