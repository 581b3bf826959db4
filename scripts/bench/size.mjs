// Bundle sizes: minified with esbuild, then gzip level 9. The client is bundled for the
// browser with everything it imports (openapi-fetch included); the vendor SDK core can
// only run on Node (axios' Node adapter, log4js, fs), so it is bundled for Node with its
// whole dependency tree and only Node built-ins left out.
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
  return [
    {
      name: "@evs-toolkit/client (browser, with openapi-fetch)",
      ...(await bundledBytes({
        contents: `export * from ${JSON.stringify(clientFile)};`,
        platform: "browser",
      })),
    },
    {
      name: "openapi-fetch alone (browser)",
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
