// Opens the built docs site in headless Chromium with every request that is not file:,
// data: or blob: refused and recorded, and records page errors and console errors, so that
// each suite can assert the page works offline and contacts no one.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../support/chromium.js";
import { REPO_ROOT } from "../support/spec.js";

export const DOCS_DIR = path.join(REPO_ROOT, "dist/docs");
export const SCREENSHOT_DIR = path.join(REPO_ROOT, ".tmp/screenshots");
const SITE_FILES = ["index.html", "zh-CN.html", "start.html", "try-the-mock.html"];

export const docsUrl = (file: string) => pathToFileURL(path.join(DOCS_DIR, file)).href;

/** Builds the site when a file is missing (a targeted run without `npm run build`). */
export async function ensureDocsBuilt(): Promise<void> {
  if (SITE_FILES.every((f) => existsSync(path.join(DOCS_DIR, f)))) return;
  await promisify(execFile)(process.execPath, ["scripts/build-docs.mjs"], { cwd: REPO_ROOT });
}

export interface OfflineBrowser {
  browser: Browser;
  context: BrowserContext;
  /** Every request the pages attempted that was neither file:, data: nor blob:. */
  outsideRequests: string[];
  /** Uncaught exceptions and console errors, with the page they came from. */
  errors: string[];
  open(file: string): Promise<Page>;
  close(): Promise<void>;
}

export async function openOfflineBrowser(): Promise<OfflineBrowser> {
  await ensureDocsBuilt();
  const browser = await launchChromium();
  // bypassCSP: the pages' own Content-Security-Policy would block an outside request before
  // the route below sees it, so `outsideRequests` could never fill. With the policy bypassed,
  // the route records everything a page tries (offline-guard.test.ts checks the policy).
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    bypassCSP: true,
  });
  const outsideRequests: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();
    outsideRequests.push(url);
    return route.abort();
  });
  const watch = (page: Page) => {
    page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${page.url()}: console: ${message.text()}`);
    });
  };
  context.on("page", watch);
  return {
    browser,
    context,
    outsideRequests,
    errors,
    async open(file) {
      const page = await context.newPage();
      await page.goto(docsUrl(file), { waitUntil: "load" });
      return page;
    },
    close: () => browser.close(),
  };
}

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]+/g;

/**
 * How Chinese a text is: Han characters / (Han characters + Latin words). A Han character
 * is about one word, so this weighs the two scripts alike; code is left out by the caller.
 */
export function chineseShare(text: string): { han: number; latinWords: number; share: number } {
  const han = text.match(HAN)?.length ?? 0;
  const latinWords = text.match(LATIN_WORD)?.length ?? 0;
  return { han, latinWords, share: han + latinWords === 0 ? 0 : han / (han + latinWords) };
}
