#!/usr/bin/env node
// Builds the publishable package into dist/: ESM only, one file per entry point
//   index.js (createEvsClient, errors), aksk.js (akSk, signRequest), raw.js (rawClient)
// plus the chunks they share (chunk-*.js), so every class exists once however many entry
// points an app imports. CommonJS apps load the same files with require(esm) (Node >=
// 22.12): one implementation, so `instanceof EvsApiError` holds across import and require.
// esbuild writes the JavaScript (dependencies left external); tsc writes the declarations
// and type-checks src on the way.
import { execFileSync } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundleOptions, ENTRY_POINTS } from "./bundle-options.mjs";

const dir = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(dir, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

async function bundle() {
  const result = await build(bundleOptions);
  // A warning here is a broken bundle, not noise.
  if (result.warnings.length > 0) {
    throw new Error(`esbuild warnings:\n${result.warnings.map((w) => w.text).join("\n")}`);
  }
}

// The signer reaches node:crypto through process.getBuiltinModule at run time; a static
// builtin import would break every browser consumer, so it fails the build.
const BUILTINS = builtinModules.join("|");
const BUILTIN_IMPORT = new RegExp(
  String.raw`(?:\bfrom\s*|\bimport\s*\(?\s*|require\s*\(\s*)(["'])(?:node:[\w/]+|(?:${BUILTINS}))\1`,
);

async function assertNoBuiltinImports(outfile) {
  const code = await readFile(path.join(dist, outfile), "utf8");
  const lines = code.split("\n");
  const bad = lines.map((line, i) => [i + 1, line]).filter(([, line]) => BUILTIN_IMPORT.test(line));
  if (bad.length > 0) {
    const where = bad.map(([n, line]) => `  dist/${outfile}:${n}: ${line.trim()}`).join("\n");
    throw new Error(
      `Node builtin imported statically; the package must also run in browsers:\n${where}`,
    );
  }
}

async function main() {
  await rm(dist, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.build.json")], {
      stdio: "inherit",
    });
  } catch {
    throw new Error("tsc reported the errors above");
  }
  await bundle();
  for (const file of await readdir(dist)) {
    if (file.endsWith(".js")) await assertNoBuiltinImports(file);
  }
}

try {
  await main();
  console.log(`@evs-toolkit/client: dist/ built (ESM: ${ENTRY_POINTS.join(", ")}; d.ts)`);
} catch (error) {
  console.error(`@evs-toolkit/client: build failed: ${error.message}`);
  process.exit(1);
}
