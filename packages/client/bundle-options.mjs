// The esbuild options of the client's dist/ JavaScript, shared by build.mjs and the test that
// proves dist/ is fresh (test/readme/client-readme.test.ts installs the packed dist/).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));

export const ENTRY_POINTS = ["index", "aksk", "raw"];

export const bundleOptions = {
  // Chunk names and source-map paths are relative to it: fixed, so any caller gets the same files.
  absWorkingDir: dir,
  entryPoints: ENTRY_POINTS.map((name) => path.join(dir, `src/${name}.ts`)),
  outdir: path.join(dir, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  chunkNames: "chunk-[hash]",
  // Neutral, not node: the same files must run in browsers, and esbuild then refuses
  // to resolve Node builtins instead of quietly accepting them.
  platform: "neutral",
  target: "es2022",
  // Dependencies stay imports so an application gets one copy of each.
  external: Object.keys(pkg.dependencies ?? {}),
  sourcemap: true,
  logLevel: "silent",
};
