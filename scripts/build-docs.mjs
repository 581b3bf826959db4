#!/usr/bin/env node
// Builds the HTML API reference into dist/docs/index.html with Redoc inlined
// (--inlineBundle), so the page works with no network, and with telemetry off.
//
// Redoc 3 still points an <img> at its CDN (the "API docs by" logo) and has no option to
// drop it, so a Content-Security-Policy is added that lets the page use only what it
// carries inline: the browser then never contacts another host, whatever Redoc adds later.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DOCS_FILE = path.join(root, "dist/docs/index.html");
const OFFLINE_ONLY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; worker-src blob:; base-uri 'none'; form-action 'none'";
const cli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")),
  "bin/cli.js",
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    execFileSync(
      process.execPath,
      [
        cli,
        "build-docs",
        "openapi/bundled/evs-snapshots.yaml",
        "--inlineBundle",
        "--output",
        DOCS_FILE,
        "--title",
        "EVS Snapshot API",
      ],
      {
        cwd: root,
        stdio: "pipe",
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      },
    );
  } catch (error) {
    // Redocly prints banners on every run; show its output only when the build failed.
    console.error(String(error.stdout ?? ""), String(error.stderr ?? ""));
    process.exit(1);
  }
  const html = readFileSync(DOCS_FILE, "utf8");
  if (!html.includes('<meta charset="utf8" />'))
    throw new Error(`${DOCS_FILE}: no <meta charset> to put the CSP after`);
  const policy = `<meta http-equiv="Content-Security-Policy" content="${OFFLINE_ONLY_POLICY}" />`;
  writeFileSync(
    DOCS_FILE,
    html.replace('<meta charset="utf8" />', `<meta charset="utf8" />\n  ${policy}`),
  );
  console.log(`docs: ${path.relative(root, DOCS_FILE)}`);
}
