// Cold start: wall time of a fresh `node` process that loads one module and exits, spawn
// to exit, SPAWNS interleaved rounds. Every variant runs the same one-line
// ES-module program, so Node's own start-up cancels out in the difference to the empty
// module; the vendor core is CommonJS and is loaded with require (main entry plus the
// ClientBuilder a service client needs).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { median } from "./stats.mjs";

const SPAWNS = 15;
const LOADER = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const [mode, ...files] = process.argv.slice(1);
for (const file of files) mode === 'require' ? createRequire(file)(file) : await import(pathToFileURL(file).href);
`;

async function spawnMs(args) {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, ["--input-type=module", "-e", LOADER, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`cold start of ${args.join(" ")} failed:\n${stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function measureColdStart(clientFile) {
  const require = createRequire(import.meta.url);
  const empty = path.join(mkdtempSync(path.join(tmpdir(), "evs-bench-empty-")), "empty.mjs");
  writeFileSync(empty, "export {};\n");
  const variants = {
    "empty module": ["import", empty],
    "@evs-toolkit/client": ["import", clientFile],
    "vendor SDK core (require)": [
      "require",
      require.resolve("@huaweicloud/huaweicloud-sdk-core"),
      require.resolve("@huaweicloud/huaweicloud-sdk-core/ClientBuilder"),
    ],
  };
  const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let i = 0; i < SPAWNS; i++) {
    for (const [name, args] of Object.entries(variants)) samples[name].push(await spawnMs(args));
  }
  // The difference is taken within each round (paired), then the median over rounds.
  const empties = samples["empty module"];
  return Object.entries(samples).map(([name, ms]) => ({
    name,
    ms: median(ms),
    overEmptyMs: median(ms.map((t, i) => t - empties[i])),
  }));
}
