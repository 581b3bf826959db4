// The two guards the offline claims rest on. The reference and site suites open the pages
// with the Content-Security-Policy bypassed, so that their request recorder sees whatever a
// page tries; this file proves that the recorder does see outside requests, and that every
// built page still carries the policy that keeps it off the network for real readers.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error -- plain ESM script shared with `npm run build:docs`; it has no type declarations.
import { DOCS_FILES, OFFLINE_ONLY_POLICY } from "../../scripts/build-docs.mjs";
import type { OfflineBrowser } from "./offline-browser.js";
import { openOfflineBrowser } from "./offline-browser.js";

const pages = Object.values(DOCS_FILES as Record<string, string>);

describe("every built page", () => {
  test.each(pages.map((file) => [path.basename(file), file]))(
    "%s carries the offline-only Content-Security-Policy",
    async (_name, file) => {
      const html = await readFile(file, "utf8");
      const policies = [
        ...html.matchAll(/http-equiv="Content-Security-Policy" content="([^"]*)"/g),
      ];
      // The Redoc template writes the quotes as HTML entities.
      const decoded = policies.map((match) => match[1]!.replaceAll("&#x27;", "'"));
      expect(decoded).toEqual([OFFLINE_ONLY_POLICY]);
      expect(OFFLINE_ONLY_POLICY).toMatch(/^default-src 'none';/);
    },
  );
});

describe("the request recorder of the docs suites", () => {
  let site: OfflineBrowser;
  beforeAll(async () => {
    site = await openOfflineBrowser();
  });
  afterAll(() => site?.close());

  test("records a request a page makes to another host (so its empty record means something)", async () => {
    const page = await site.open("start.html");
    await page.evaluate(() =>
      Promise.allSettled([
        fetch("https://docs-guard.invalid/probe"),
        new Promise((resolve) => {
          const image = new Image();
          image.onload = image.onerror = resolve;
          image.src = "http://127.0.0.2:9/pixel.png";
        }),
      ]),
    );
    expect(site.outsideRequests).toEqual(
      expect.arrayContaining(["https://docs-guard.invalid/probe", "http://127.0.0.2:9/pixel.png"]),
    );
    await page.close();
  });
});
