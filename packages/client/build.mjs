#!/usr/bin/env node
// Builds the publishable package into dist/:
//   index.js   + index.d.ts    ESM ("type": "module" makes .js and .d.ts ESM)
//   index.cjs  + index.d.cts   CommonJS, with its own declaration tree so that
//                              `require` under moduleResolution node16/nodenext
//                              never sees ESM-format types
// esbuild writes the JavaScript (one bundle per format, dependencies left external);
// tsc writes the declarations and type-checks src on the way.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dir = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(dir, "dist");
const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

const BUNDLES = [
  { format: "esm", outfile: "index.js" },
  { format: "cjs", outfile: "index.cjs" },
];

const dependencies = Object.keys(pkg.dependencies ?? {});

// src is ESM inside a "type": "module" package, so in the CJS bundle esbuild turns
// `import createClient from "openapi-fetch"` into Node's ESM-imports-CJS rule: default =
// the whole module.exports. But require("openapi-fetch") loads openapi-fetch's own CJS
// build, whose default export is `exports.default` (marked with __esModule), so the client
// would call an object. Re-exporting each dependency through a virtual module, which has
// no package "type", makes esbuild honour __esModule there.
const cjsDependencyInterop = {
  name: "cjs-dependency-interop",
  setup(plugin) {
    plugin.onResolve({ filter: /^[^./]/ }, ({ path: name, namespace }) => {
      if (!dependencies.includes(name)) return undefined;
      return namespace === "cjs-interop"
        ? { path: name, external: true }
        : { path: name, namespace: "cjs-interop" };
    });
    plugin.onLoad({ filter: /.*/, namespace: "cjs-interop" }, ({ path: name }) => ({
      contents: `export * from ${JSON.stringify(name)};\nexport { default } from ${JSON.stringify(name)};\n`,
      loader: "js",
    }));
  },
};

async function bundle({ format, outfile }) {
  const result = await build({
    entryPoints: [path.join(dir, "src/index.ts")],
    outfile: path.join(dist, outfile),
    bundle: true,
    format,
    // Neutral, not node: the same files must run in browsers, and esbuild then refuses
    // to resolve Node builtins instead of quietly accepting them.
    platform: "neutral",
    target: "es2022",
    // Dependencies stay imports so an application gets one copy of each.
    external: dependencies,
    plugins: format === "cjs" ? [cjsDependencyInterop] : [],
    sourcemap: true,
    logLevel: "silent",
  });
  // A warning here (e.g. import.meta in the CJS build) is a broken bundle, not noise.
  if (result.warnings.length > 0) {
    throw new Error(
      `esbuild warnings for ${outfile}:\n${result.warnings.map((w) => w.text).join("\n")}`,
    );
  }
}

// The signer reaches node:crypto through process.getBuiltinModule at run time; a static
// builtin import would break every browser consumer, so it fails the build.
const BUILTINS = builtinModules.join("|");
const BUILTIN_IMPORT = new RegExp(
  String.raw`(?:\bfrom\s*|\bimport\s*\(?\s*|require\s*\(\s*)(["'])(?:node:[\w/]+|(?:${BUILTINS}))\1`,
);

async function assertNoBuiltinImports({ outfile }) {
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

async function declarationFiles(folder) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".d.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

// Each .d.ts becomes a .d.cts whose relative imports name .cjs files, so the CJS tree
// resolves to itself (./x.cjs -> ./x.d.cts) rather than into the ESM tree.
async function writeCjsDeclarations() {
  for (const file of await declarationFiles(dist)) {
    const source = await readFile(file, "utf8");
    const cjs = source.replace(
      /((?:\bfrom|\bimport\()\s*)(["'])(\.{1,2}\/[^"']*)\.js\2/g,
      "$1$2$3.cjs$2",
    );
    await writeFile(file.replace(/\.d\.ts$/, ".d.cts"), cjs);
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
  await writeCjsDeclarations();
  for (const target of BUNDLES) {
    await bundle(target);
    await assertNoBuiltinImports(target);
  }
}

try {
  await main();
  console.log("@evs-toolkit/client: dist/ built (esm, cjs, d.ts, d.cts)");
} catch (error) {
  console.error(`@evs-toolkit/client: build failed: ${error.message}`);
  process.exit(1);
}
