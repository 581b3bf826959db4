#!/usr/bin/env node
// Builds the publishable package:
//   spec/evs-snapshots.{yaml,json}  copied from openapi/bundled/ (generated there by
//                                   `npm run generate`): the package ships the same bytes,
//                                   never a second hand-kept copy
//   dist/*.js                       esbuild, ESM for Node; the client's signing module is
//                                   bundled in (the emulator verifies AK/SK with it)
//   dist/index.d.ts                 tsc, declarations of the public API
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dir = path.dirname(fileURLToPath(import.meta.url));
const bundled = path.join(dir, "../../openapi/bundled");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
export const SPEC_FILES = ["evs-snapshots.yaml", "evs-snapshots.json"];

async function main() {
  await rm(path.join(dir, "dist"), { recursive: true, force: true });
  await mkdir(path.join(dir, "spec"), { recursive: true });
  for (const file of SPEC_FILES)
    await copyFile(path.join(bundled, file), path.join(dir, "spec", file));
  const result = await build({
    entryPoints: ["src/index.ts", "src/cli.ts", "src/server.ts"].map((file) =>
      path.join(dir, file),
    ),
    outdir: path.join(dir, "dist"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node24",
    // Prism is resolved at run time from the installed @stoplight/prism-cli.
    packages: "external",
    logLevel: "silent",
  });
  if (result.warnings.length > 0)
    throw new Error(`esbuild warnings:\n${result.warnings.map((w) => w.text).join("\n")}`);
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.build.json")], {
      stdio: "inherit",
    });
  } catch {
    throw new Error("tsc reported the errors above");
  }
}

try {
  await main();
  console.log("@evs-toolkit/mock: dist/ built, spec/ copied from openapi/bundled/");
} catch (error) {
  console.error(`@evs-toolkit/mock: build failed: ${error.message}`);
  process.exit(1);
}
