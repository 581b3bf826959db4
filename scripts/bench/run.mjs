#!/usr/bin/env node
// `npm run bench`: measures the client and the toolkit in one run on 127.0.0.1, prints the
// headline table and writes BENCHMARKS.md at the repository root. Not part of `npm test`:
// it takes minutes and its numbers depend on the machine.
//
// The full build runs first: it is one of the measurements and it also produces the
// client's dist/, which the client measurements then load as users would.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { clientEntry, internalSigner } from "./client-entry.mjs";
import { measureColdStart } from "./cold-start.mjs";
import { describeMachine } from "./machine.mjs";
import { measureMock, withMockSection } from "./mock.mjs";
import { root } from "./paths.mjs";
import { benchmarksMarkdown, headlineTable } from "./report.mjs";
import { measureRequestCost, measureSigner } from "./request-cost.mjs";
import { measureScale } from "./scale.mjs";
import { measureSizes } from "./size.mjs";
import { elapsedMs } from "./stats.mjs";
import { measureBuild, measurePrism } from "./toolkit.mjs";

const log = (line) => process.stderr.write(`[bench] ${line}\n`);

/** Runs one measurement; a failure is recorded in the report instead of ending the run. */
async function step(name, measure) {
  const start = process.hrtime.bigint();
  log(`${name}…`);
  try {
    const result = await measure();
    log(`${name} done in ${(elapsedMs(start) / 1000).toFixed(1)} s`);
    return result;
  } catch (error) {
    log(`${name} FAILED: ${error.stack ?? error}`);
    return { error: String(error.message ?? error).split("\n")[0] };
  }
}

const start = process.hrtime.bigint();
const results = { machine: describeMachine() };
results.build = await step("full build (npm run build)", measureBuild);
const client = await clientEntry(log);
results.clientSource = client.source;
const evs = await import(client.url);
// AK/SK signing is its own entry point (dist/aksk.js, next to dist/index.js).
const aksk = await import(new URL("aksk.js", client.url).href);
results.requestCost = await step("per-request cost", () => measureRequestCost(evs, aksk));
results.signer = await step("signer alone", async () =>
  measureSigner(aksk, await internalSigner()),
);
results.sizes = await step("bundle sizes", () => measureSizes(client.file));
results.coldStart = await step("cold start", () => measureColdStart(client.file));
results.scale = await step("scale", () => measureScale(client.url));
results.prism = await step("Prism", measurePrism);
results.mock = await step("mock (@evs-toolkit/mock)", measureMock);
results.totalMs = elapsedMs(start);

const file = path.join(root, "BENCHMARKS.md");
writeFileSync(file, withMockSection(benchmarksMarkdown(results), results.mock));
const headline = headlineTable(results);
console.log(headline);
log(`wrote ${path.relative(process.cwd(), file) || file}`);

// The README quotes the headline; it is rewritten here, between its markers, so it cannot drift.
const readme = path.join(root, "README.md");
const MARKERS = /(<!-- bench:headline -->\n)[\s\S]*?(\n<!-- \/bench:headline -->)/;
const readmeText = readFileSync(readme, "utf8");
if (MARKERS.test(readmeText)) {
  writeFileSync(
    readme,
    readmeText.replace(MARKERS, (_all, open, close) => `${open}${headline}${close}`),
  );
  log("updated the headline in README.md");
} else {
  log("README.md has no <!-- bench:headline --> markers: headline not copied");
}
