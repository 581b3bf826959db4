#!/usr/bin/env node
// Builds the docs site into dist/docs/ from the bundled contract:
//   index.html                 the English API reference (Redoc, inlined)
//   zh-CN.html                 the Simplified Chinese reference: the same contract with the
//                              overlay openapi/overlays/zh-CN.yaml applied (openapi-format)
//   start.html                 picks the language, offers the downloads
//   try-the-mock.html          how to call the API on the local mock
//   evs-snapshots{,.zh-CN}.{yaml,json}   the contract (and its translation) for download
//
// Every page works from disk with no network and sends nothing anywhere: Redoc is inlined
// (--inlineBundle), telemetry is off, and each page carries a Content-Security-Policy that
// lets it use only what it carries inline, so the browser never contacts another host,
// whatever Redoc adds later. The overlay is checked before it is applied (see
// scripts/docs/overlay.mjs): an incomplete or stale translation fails the build as it
// fails the lint.
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { LANGUAGES, otherLanguage, SITE } from "./docs/languages.mjs";
import { translate } from "./docs/overlay.mjs";
import { mockPage, startPage } from "./docs/site-pages.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DOCS_DIR = path.join(root, "dist/docs");
/** The English reference. */
export const DOCS_FILE = path.join(DOCS_DIR, LANGUAGES.en.page);
export const DOCS_FILES = {
  en: DOCS_FILE,
  "zh-CN": path.join(DOCS_DIR, LANGUAGES["zh-CN"].page),
  start: path.join(DOCS_DIR, SITE.start),
  mock: path.join(DOCS_DIR, SITE.mock),
};
const BUNDLE_YAML = path.join(root, "openapi/bundled/evs-snapshots.yaml");
const BUNDLE_JSON = path.join(root, "openapi/bundled/evs-snapshots.json");
const TEMPLATE = path.join(root, "scripts/docs/template.hbs");
export const OFFLINE_ONLY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; worker-src blob:; base-uri 'none'; form-action 'none'";

// Redoc CE 3 shows an "API docs by" badge whose logo it loads from its CDN, with no option
// to drop it; under the policy above the logo is blocked and the badge is empty. The page
// carries the logo itself instead: a small wordmark as a data: URL, so the badge renders
// offline. The build fails if Redoc stops using exactly these URLs.
const REDOC_LOGOS = {
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg": wordmark("Redocly", 64),
  "https://cdn.redoc.ly/redoc/logo-mini.svg": wordmark("R", 14),
};
function wordmark(text, width) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16"><text x="0" y="12.5" font-family="system-ui,sans-serif" font-size="13" font-weight="600" fill="#5f6b7a">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

const cli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")),
  "bin/cli.js",
);

async function redocPage(language, specFile, outFile) {
  const other = otherLanguage(language.lang);
  const redocOptions = {
    // Every schema gets a page under the "Schemas" tag, so the Errors section can link to
    // the three error shapes.
    schemaDefinitionsTagName: "Schemas",
    downloadUrls: [
      { title: language.downloads.yaml, url: language.specYaml },
      { title: language.downloads.json, url: language.specJson },
    ],
    sortRequiredPropsFirst: true,
  };
  const templateOptions = {
    lang: language.lang,
    csp: OFFLINE_ONLY_POLICY,
    otherLang: other.lang,
    otherHref: other.page,
    otherLabel: language.otherLabel,
    siteLabel: language.siteLabel,
    startLabel: language.startLabel,
    mockLabel: language.mockLabel,
  };
  try {
    await promisify(execFile)(
      process.execPath,
      [
        cli,
        "build-docs",
        specFile,
        "--inlineBundle",
        "--output",
        outFile,
        "--title",
        language.title,
        "--template",
        TEMPLATE,
        "--openapi",
        JSON.stringify(redocOptions),
        ...Object.entries(templateOptions).map(([k, v]) => `--templateOptions.${k}=${v}`),
      ],
      {
        cwd: root,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (error) {
    // Redocly prints banners on every run; show its output only when the build failed.
    throw new Error(
      `redocly build-docs failed for ${path.relative(root, specFile)}:\n${error.stdout ?? ""}${error.stderr ?? error.message}`,
    );
  }
  let html = await readFile(outFile, "utf8");
  for (const [url, dataUrl] of Object.entries(REDOC_LOGOS)) {
    const count = html.split(url).length - 1;
    if (count !== 1)
      throw new Error(`${outFile}: expected Redoc's logo URL ${url} once, found it ${count} times`);
    html = html.replace(url, dataUrl);
  }
  if (!html.includes(`<meta http-equiv="Content-Security-Policy"`))
    throw new Error(`${outFile}: the template lost its Content-Security-Policy`);
  await writeFile(outFile, html);
}

export async function buildDocs() {
  await rm(DOCS_DIR, { recursive: true, force: true });
  await mkdir(DOCS_DIR, { recursive: true });
  const english = JSON.parse(await readFile(BUNDLE_JSON, "utf8"));
  const overlayFile = path.join(root, LANGUAGES["zh-CN"].overlay);
  const chinese = await translate(english, parse(await readFile(overlayFile, "utf8")), {
    name: path.relative(root, overlayFile),
  });
  // The contract is offered as committed; its translation is written from the applied overlay.
  await copyFile(BUNDLE_YAML, path.join(DOCS_DIR, LANGUAGES.en.specYaml));
  await copyFile(BUNDLE_JSON, path.join(DOCS_DIR, LANGUAGES.en.specJson));
  const zh = LANGUAGES["zh-CN"];
  await writeFile(path.join(DOCS_DIR, zh.specYaml), stringify(chinese, { lineWidth: 0 }));
  await writeFile(path.join(DOCS_DIR, zh.specJson), `${JSON.stringify(chinese, null, 2)}\n`);
  // One after the other: each Redocly run takes a core and there are two.
  for (const [code, language] of Object.entries(LANGUAGES))
    await redocPage(language, path.join(DOCS_DIR, language.specYaml), DOCS_FILES[code]);
  await writeFile(DOCS_FILES.start, startPage(OFFLINE_ONLY_POLICY));
  await writeFile(DOCS_FILES.mock, mockPage(OFFLINE_ONLY_POLICY));
  return DOCS_FILES;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const files = await buildDocs();
    console.log(
      `docs: ${Object.values(files)
        .map((f) => path.relative(root, f))
        .join(", ")}`,
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
