// The two API references (dist/docs/index.html and zh-CN.html), opened from disk in headless
// Chromium with every non-file request refused: each must show every operation, an
// Authentication section near the top and an Errors section whose links land on the three
// error shapes, a way to the other language, and no page error; neither may try to reach
// any host (CDN, fonts, telemetry) — readers open the docs offline and behind firewalls, and
// a page that calls out leaks who reads it. The Chinese page's prose must be Chinese.
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listOperations, loadBundledSpec, type OpenApiDocument } from "../support/spec.js";
import {
  chineseShare,
  DOCS_DIR,
  type OfflineBrowser,
  openOfflineBrowser,
  SCREENSHOT_DIR,
} from "./offline-browser.js";

interface TranslatedDocument extends OpenApiDocument {
  info: { title: string; description: string };
  tags: { name: string; "x-displayName"?: string }[];
}

const LANGUAGES = [
  {
    lang: "en",
    page: "index.html",
    spec: "evs-snapshots.json",
    other: "zh-CN.html",
    otherLang: "zh-CN",
  },
  {
    lang: "zh-CN",
    page: "zh-CN.html",
    spec: "evs-snapshots.zh-CN.json",
    other: "index.html",
    otherLang: "en",
  },
] as const;
const SCREENSHOT_OPERATION = "createSnapshotNative";
// Redoc scrolls smoothly; on a busy 2-core machine that takes seconds, not the default 1 s.
const POLL_MS = 10_000;
// The operations come from the contract itself, so a new one is checked without editing this.
const operations = listOperations(loadBundledSpec());

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The `## ` headings of the overview, in order: the sections the sidebar lists first. */
const overviewHeadings = (spec: TranslatedDocument) =>
  [...spec.info.description.matchAll(/^## (.+)$/gm)].map((m) => m[1] ?? "");

/** The heading of the overview section that links to the schema pages: the Errors section. */
function errorsHeading(spec: TranslatedDocument): string {
  const sections = spec.info.description.split(/^## /m).slice(1);
  const errors = sections.find((s) => s.includes("(#/schemas/"));
  if (!errors) throw new Error("the overview has no section linking to the schema pages");
  return errors.split("\n")[0] ?? "";
}

/** Resolves once the element's top edge is inside the viewport (Redoc scrolls smoothly). */
async function expectScrolledTo(page: Page, selector: string): Promise<void> {
  const top = () =>
    page
      .locator(selector)
      .first()
      .evaluate((element) => {
        const { top } = element.getBoundingClientRect();
        return top >= -2 && top < window.innerHeight - 50;
      });
  await expect
    .poll(top, { message: `${selector} is not scrolled into view`, timeout: POLL_MS })
    .toBe(true);
}

/** Text of the rendered Markdown blocks (prose), without code spans and code blocks. */
const proseOf = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('#api-content [data-component-name="Markdown/Markdown"]')]
      .map((block) => {
        const copy = block.cloneNode(true) as HTMLElement;
        for (const code of copy.querySelectorAll("code, pre")) code.remove();
        return copy.innerText;
      })
      .filter((text) => text.trim() !== ""),
  );

describe.each(LANGUAGES)("the $lang reference ($page)", (language) => {
  let offline: OfflineBrowser;
  let page: Page;
  let spec: TranslatedDocument;
  /** Prose blocks seen on every view the tests open, measured at the end. */
  const prose = new Set<string>();
  const collectProse = async () => {
    for (const text of await proseOf(page)) prose.add(text);
  };

  beforeAll(async () => {
    offline = await openOfflineBrowser();
    spec = JSON.parse(await readFile(path.join(DOCS_DIR, language.spec), "utf8"));
    page = await offline.open(language.page);
    await page.locator("#api-content h1").first().waitFor({ state: "visible" });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${language.lang}-overview.png`) });
    await collectProse();
  });

  afterAll(async () => {
    await offline?.close();
  });

  test("declares its language and the title of the contract in that language", async () => {
    expect(await page.getAttribute("html", "lang")).toBe(language.lang);
    expect(await page.locator("#api-content h1").first().innerText()).toContain(spec.info.title);
    if (language.lang === "zh-CN") expect(spec.info.title).toMatch(/\p{Script=Han}/u);
  });

  test("lists Authentication first in the sidebar, and its link lands on the section", async () => {
    const [authentication] = overviewHeadings(spec);
    if (language.lang === "en") expect(authentication).toBe("Authentication");
    const sidebar = page.locator('[data-component-name="Menu/MenuItem"]');
    // Near the top: right after the API's own entry.
    expect((await sidebar.nth(1).innerText()).trim()).toBe(authentication);
    await sidebar.nth(1).click();
    await expect.poll(() => page.url(), { timeout: POLL_MS }).toMatch(/#\/section\//);
    const id = decodeURIComponent(new URL(page.url()).hash.slice(2));
    await expect
      .poll(() => page.locator(`[id="${id}"]`).innerText(), { timeout: POLL_MS })
      .toContain(authentication);
    await expectScrolledTo(page, `[id="${id}"]`);
    const section = await page.locator("#api-content").innerText();
    expect(section).toContain("X-Auth-Token");
    expect(section).toContain("SDK-HMAC-SHA256");
  });

  test("Errors links each of the three error shapes to its schema, and each link lands", async () => {
    const heading = errorsHeading(spec);
    if (language.lang === "en") expect(heading).toBe("Errors");
    const hrefs = [
      ...new Set(
        [...spec.info.description.matchAll(/\]\((#\/schemas\/[a-z]+)\)/g)].map((m) => m[1] ?? ""),
      ),
    ];
    expect(hrefs).toEqual([
      "#/schemas/errorenvelope",
      "#/schemas/nativeerror",
      "#/schemas/openstackfault",
      "#/schemas/apigatewayerror",
    ]);
    const schemas = spec.components.schemas as Record<string, { title?: string }>;
    for (const href of hrefs) {
      const name = Object.keys(schemas).find((key) => `#/schemas/${key.toLowerCase()}` === href);
      if (!name) throw new Error(`${href} names no schema of the contract`);
      await page
        .locator('[data-component-name="Menu/MenuItem"]', { hasText: heading })
        .first()
        .click();
      await page.locator(`#api-content a[href="${href}"]`).first().click();
      await expect.poll(() => new URL(page.url()).hash, { timeout: POLL_MS }).toBe(href);
      const target = `[id="${href.slice(2)}"]`;
      await page.locator(target).first().waitFor({ state: "visible" });
      // Redoc fills a section in after it becomes visible.
      await expect
        .poll(() => page.locator(target).first().innerText(), { timeout: POLL_MS })
        .toContain(schemas[name]?.title ?? name);
      await expectScrolledTo(page, target);
      await collectProse();
    }
  });

  test("the security details of an operation link back to the Authentication section", async () => {
    await page.goto(
      `${page.url().split("#")[0]}#/native-snapshots/${SCREENSHOT_OPERATION.toLowerCase()}`,
    );
    const [authentication] = overviewHeadings(spec);
    // Redoc's own label, English on both pages (Redoc CE 3 has no option for its labels).
    await page.getByText("View security details").first().click();
    // The details open in a modal that Redoc portals next to its root element.
    const link = page
      .locator("body > div:not(#redoc)")
      .getByRole("link", { name: authentication, exact: true });
    await link.click();
    await expect.poll(() => page.url(), { timeout: POLL_MS }).toMatch(/#\/section\//);
    const id = decodeURIComponent(new URL(page.url()).hash.slice(2));
    await expectScrolledTo(page, `[id="${id}"]`);
  });

  test("the Servers panel lists the clouds only: no local address, no literal backticks", async () => {
    await page.goto(page.url().split("#")[0] ?? "");
    const servers = page.locator("text=myhuaweicloud.com").first();
    await servers.waitFor({ state: "visible" });
    const text = await page.locator("body").innerText();
    expect(text).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(text, "a code span was rendered as literal backticks").not.toContain("`");
  });

  test("offers its spec for download as YAML and JSON, files of the site", async () => {
    const hrefs = await page.$$eval(
      'a[download][href$=".yaml"], a[download][href$=".json"]',
      (links) => links.map((a) => a.getAttribute("href") ?? ""),
    );
    const stem = language.spec.replace(/\.json$/, "");
    expect([...new Set(hrefs)].sort()).toEqual([`${stem}.json`, `${stem}.yaml`]);
    for (const href of hrefs) expect(existsSync(path.join(DOCS_DIR, href)), href).toBe(true);
  });

  test("the 'API docs by' badge renders its logo offline", async () => {
    const logo = page.locator('img[alt="redocly logo"]').first();
    await logo.waitFor({ state: "attached" });
    expect(
      await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    ).toBe(true);
  });

  // Redoc renders one tag's operations at a time: open the tag, then the operation. The
  // operation's section shows its summary and its method and path ("PUT\n/v2/…").
  test.each(operations.map((o) => [o.operationId, o] as const))(
    "shows %s by summary, anchor and path",
    async (operationId, { method, path: apiPath }) => {
      const operation = spec.paths[apiPath]?.[method];
      if (!operation) throw new Error(`${operationId} missing from ${language.spec}`);
      const [tagName] = operation.tags;
      const tag = spec.tags.find((t) => t.name === tagName);
      if (!tag) throw new Error(`${operationId} has no declared tag, so the docs list it nowhere`);
      const menuLink = page.locator(`a[href$="/${operationId.toLowerCase()}"]`).first();
      if (!(await menuLink.isVisible()))
        await page
          .getByRole("link", { name: tag["x-displayName"] ?? tag.name, exact: true })
          .click();
      await menuLink.waitFor({ state: "visible" });
      expect(await menuLink.innerText()).toContain(operation.summary);
      await menuLink.click();

      const anchor = `[id$="/${operationId.toLowerCase()}"]`;
      const section = page.locator(anchor).first();
      await section.waitFor({ state: "visible" });
      await expectScrolledTo(page, anchor);
      await expect
        .poll(() => section.innerText(), { timeout: POLL_MS })
        .toContain(operation.summary);
      const text = await section.innerText();
      expect(text).toMatch(new RegExp(`${method.toUpperCase()}\\s+${escapeRegExp(apiPath)}\\s`));
      await collectProse();
      if (operationId === SCREENSHOT_OPERATION)
        await page.screenshot({
          path: path.join(SCREENSHOT_DIR, `${language.lang}-operation.png`),
        });
    },
  );

  // Measured over every prose block the tests above rendered (overview, schemas, all
  // operations: over 100 blocks), code left out. Chinese prose keeps product and protocol
  // names in Latin letters (EVS, API, Token, SDK, OpenStack, UTC, HTTP); this translation
  // measures 0.92 (3,653 Han characters, 302 Latin words). Above 0.8 means at most about a
  // tenth of the prose could be English, and a page rendered from the English contract
  // measures 0; one untranslated paragraph is caught by the second check, which wants Han
  // characters in every block. The English page is the control: no Han character at all.
  test("its prose is in its language", () => {
    const blocks = [...prose];
    expect(blocks.length).toBeGreaterThan(40);
    const { share, han, latinWords } = chineseShare(blocks.join("\n"));
    if (language.lang === "zh-CN") {
      expect(share, `${han} Han characters, ${latinWords} Latin words`).toBeGreaterThan(0.8);
      const english = blocks.filter((b) => !/\p{Script=Han}/u.test(b));
      expect(english, "prose blocks with no Chinese at all").toEqual([]);
    } else expect(han).toBe(0);
  });

  test("links to the other language, which opens with its own lang", async () => {
    const link = page.locator(".site-bar a.other-language");
    expect(await link.getAttribute("hreflang")).toBe(language.otherLang);
    await link.click();
    await page.waitForURL((url) => url.pathname.endsWith(`/${language.other}`));
    expect(await page.getAttribute("html", "lang")).toBe(language.otherLang);
  });

  // Last, so that they cover the page load and all the navigation above.
  test("raised no page error and no console error", () => {
    expect(offline.errors).toEqual([]);
  });

  test("attempted no request to any other host (CDN, fonts, telemetry)", () => {
    expect(offline.outsideRequests, "the docs page tried to reach the network").toEqual([]);
  });
});
