// Finds the @evs-toolkit/client module to measure: the built package (packages/client/dist)
// as users get it, built first when missing. Only if the package cannot be built does it
// fall back to bundling the TypeScript source with esbuild into a temporary directory.
// The internal signer is always bundled from source (see internalSigner).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { root } from "./paths.mjs";

const packageDir = path.join(root, "packages/client");

function builtEntry() {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  const dot = manifest.exports?.["."] ?? manifest.exports;
  const target =
    typeof dot === "string"
      ? dot
      : (dot?.import ?? dot?.default ?? manifest.module ?? manifest.main);
  const file = typeof target === "string" ? target : target?.default;
  if (!file) return undefined;
  const entry = path.join(packageDir, file);
  return entry.includes(`${path.sep}dist${path.sep}`) && existsSync(entry) ? entry : undefined;
}

async function bundleSource(entry) {
  const outfile = path.join(mkdtempSync(path.join(tmpdir(), "evs-bench-client-")), "bundle.mjs");
  await build({
    entryPoints: [path.join(packageDir, entry)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile,
    logLevel: "error",
  });
  return outfile;
}

/** @returns {Promise<{ file: string, url: string, source: string }>} */
export async function clientEntry(log) {
  let file = builtEntry();
  if (!file) {
    log("packages/client/dist missing: running npm run build:client");
    try {
      execFileSync("npm", ["run", "build:client"], { cwd: root, stdio: "pipe" });
    } catch (error) {
      log(
        `npm run build:client failed (${error.stderr?.toString().trim().split("\n").at(-1) ?? error.message})`,
      );
    }
    file = builtEntry();
  }
  const source = file
    ? "built package (packages/client/dist)"
    : "esbuild bundle of packages/client/src (package not buildable)";
  file ??= await bundleSource("src/index.ts");
  return { file, url: pathToFileURL(file).href, source };
}

/**
 * The signer the client runs on every AK/SK request (`createRequestSigner`). It is internal,
 * not exported by the package, so it is bundled from the source to be timed on its own.
 */
export async function internalSigner() {
  return import(pathToFileURL(await bundleSource("src/signing/sign.ts")).href);
}
