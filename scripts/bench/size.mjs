// Bundle sizes: minified with esbuild, then gzip level 9. The client is bundled for the
// browser with everything it imports; openapi-fetch is measured alone, for comparison (raw
// has its types and call shape, not its runtime). The vendor SDK core can
// only run on Node (axios' Node adapter, log4js, fs), so it is bundled for Node with its
// whole dependency tree and only Node built-ins left out.

import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { root } from "./paths.mjs";

async function bundledBytes({ contents, platform }) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: platform === "browser" ? "esm" : "cjs",
    platform,
    target: platform === "browser" ? "es2022" : "node20",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export async function measureSizes(clientFile) {
  const entry = (name) => JSON.stringify(path.join(path.dirname(clientFile), `${name}.js`));
  return [
    {
      name: "@evs-toolkit/client: createEvsClient with a token (browser)",
      ...(await bundledBytes({
        contents: `export { createEvsClient } from ${entry("index")};`,
        platform: "browser",
      })),
    },
    {
      name: "@evs-toolkit/client: the full API, index + aksk + raw (browser)",
      ...(await bundledBytes({
        contents: ["index", "aksk", "raw"]
          .map((name) => `export * from ${entry(name)};`)
          .join("\n"),
        platform: "browser",
      })),
    },
    {
      name: "openapi-fetch alone (browser), for comparison: raw does not load it",
      ...(await bundledBytes({
        contents: `export * from 'openapi-fetch'; export { default } from 'openapi-fetch';`,
        platform: "browser",
      })),
    },
    {
      name: "vendor SDK core (node): main entry + ClientBuilder, all dependencies",
      ...(await bundledBytes({
        contents: `module.exports = { ...require('@huaweicloud/huaweicloud-sdk-core'), ...require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder') };`,
        platform: "node",
      })),
    },
  ];
}
