#!/usr/bin/env node
// The mock's benchmarks (@evs-toolkit/mock), part of `npm run bench` and runnable alone
// (`node scripts/bench/mock.mjs` rewrites its section of BENCHMARKS.md):
// - start to first answer: Prism's own CLI (`prism mock`), the static mode, the stateful mode;
// - throughput and p50/p99 at 16 concurrent, the same list request (one snapshot in the
//   answer) against static Prism, stateful through Prism, the emulator alone and a trivial
//   Node server answering the stateful answer's bytes (the floor); every server in a
//   process of its own, the load from this one;
// - a 1,000-item page out of 100,000 stored, at the emulator alone and through Prism;
// - RSS of the whole stateful mock (one process) holding 100,000 snapshots.
// Every loop is bounded in count and time.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMock } from "@evs-toolkit/mock";
import { LOAD_CONCURRENCY, LOAD_REQUESTS, runLoad } from "./load.mjs";
import { root } from "./paths.mjs";
import { freePort } from "./servers.mjs";
import { elapsedMs, fmt, median, percentile } from "./stats.mjs";

const STARTS = 3;
const LOAD_ROUNDS = 3;
const PAGE_SAMPLES = 40;
const STORED = 100_000;
const PROJECT = "bench-project";
const HEADERS = { "X-Auth-Token": "bench-token" };
const TARGETS = {
  throughputRatio: 0.8,
  pageMs: 20,
  startDeltaMs: 500,
  rssBytes: 200 * 1024 * 1024,
};
const log = (line) => process.stderr.write(`[bench:mock] ${line}\n`);

const listPath = (query = "limit=10") => `/v2/${PROJECT}/cloudsnapshots/detail?${query}`;

async function firstAnswer(url, deadline) {
  for (;;) {
    try {
      const response = await fetch(`${url}${listPath()}`, { headers: HEADERS });
      await response.arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Prism's own CLI, as `prism mock` runs: spawn to the first answer. */
async function prismCliStart() {
  const cli = path.join(
    path.dirname(createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json")),
    "dist/index.js",
  );
  const port = await freePort();
  const start = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [cli, "mock", path.join(root, "openapi/bundled/evs-snapshots.yaml"), "--port", String(port)],
    {
      stdio: ["ignore", "ignore", "ignore"],
    },
  );
  try {
    await firstAnswer(`http://127.0.0.1:${port}`, Date.now() + 60_000);
    return elapsedMs(start);
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
}

async function mockStart(mode) {
  const start = process.hrtime.bigint();
  const mock = await startMock({ mode, port: 0 });
  await firstAnswer(mock.url, Date.now() + 60_000);
  const ms = elapsedMs(start);
  await mock.stop();
  return ms;
}

/** A helper server in its own process (see mock-child.mjs). */
async function child(kind, arg) {
  const process_ = spawn(
    process.execPath,
    [path.join(root, "scripts/bench/mock-child.mjs"), kind, ...(arg ? [arg] : [])],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const [line] = await Promise.race([
    once(process_.stdout, "data"),
    once(process_, "exit").then(([code]) => {
      throw new Error(`the ${kind} server exited with code ${code} before listening`);
    }),
  ]);
  return {
    url: line.toString().trim(),
    stop: async () => {
      process_.stdin.end();
      if (process_.exitCode === null) await once(process_, "exit");
    },
  };
}

async function seedOne(url) {
  const response = await fetch(`${url}/v2/${PROJECT}/cloudsnapshots`, {
    method: "POST",
    headers: { ...HEADERS, "Content-Type": "application/json" },
    body: JSON.stringify({
      snapshot: { volume_id: "5aa119a8-d25b-45a7-8d1b-88e127885635", name: "bench" },
    }),
  });
  if (response.status !== 202) throw new Error(`seeding answered ${response.status}`);
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

async function pageLatencies(url, query) {
  const samples = [];
  for (let i = 0; i < PAGE_SAMPLES; i++) {
    const offset = Math.floor((i * 7919) % (STORED - 1000));
    const start = process.hrtime.bigint();
    const response = await fetch(`${url}${listPath(`limit=1000&offset=${offset}${query}`)}`, {
      headers: HEADERS,
    });
    const body = await response.json();
    samples.push(elapsedMs(start));
    if (body.snapshots?.length !== 1000)
      throw new Error(`a page had ${body.snapshots?.length} items`);
  }
  return { p50: median(samples), p99: percentile(samples, 99) };
}

/** Seeds STORED snapshots through a control API (`…/__evs-mock`); a refusal stops the bench. */
async function seedStored(controlUrl) {
  const seeded = await fetch(`${controlUrl}/snapshots`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      project_id: PROJECT,
      count: STORED,
      volume_ids: ["vol-a", "vol-b", "vol-c", "vol-d"],
    }),
  });
  if (seeded.status !== 201)
    throw new Error(`seeding ${STORED} at ${controlUrl} answered ${seeded.status}`);
}

/** The emulator's own cost of a 1,000-item page (route, filter, page, serialise), no HTTP. */
async function pagesInProcess() {
  const { createEmulator } = await import("../../packages/mock/dist/server.js");
  const emulator = createEmulator({ seed: "bench", transitionMs: 0 });
  for (let i = 0; i < STORED; i++)
    emulator.store.add(
      PROJECT,
      { volumeId: `vol-${i % 4}`, name: `seed-${i}`, status: "available" },
      false,
    );
  const headers = { "x-auth-token": "t" };
  const time = (query) => {
    const samples = [];
    for (let i = 0; i < PAGE_SAMPLES; i++) {
      const offset = Math.floor((i * 7919) % (STORED - 1000));
      const start = process.hrtime.bigint();
      const answer = emulator.handle(
        {
          method: "GET",
          url: listPath(`limit=1000&offset=${offset}${query}`),
          headers,
          body: Buffer.alloc(0),
        },
        false,
      );
      JSON.stringify(answer.body);
      samples.push(elapsedMs(start));
    }
    return { p50: median(samples), p99: percentile(samples, 99) };
  };
  return { plain: time(""), filtered: time("&status=available") };
}

export async function measureMock() {
  const result = {};
  log("start to first answer…");
  result.start = {};
  for (const [name, measure] of [
    ["prismCli", prismCliStart],
    ["static", () => mockStart("static")],
    ["stateful", () => mockStart("stateful")],
  ]) {
    const runs = [];
    for (let i = 0; i < STARTS; i++) runs.push(await measure());
    result.start[name] = median(runs);
  }

  log("throughput…");
  const staticMock = await startMock({ mode: "static", port: 0 });
  const stateful = await startMock({ mode: "stateful", port: 0, seed: "bench", transitionMs: 0 });
  await seedOne(stateful.url);
  const emulator = await child("emulator");
  await seedOne(emulator.url);
  const sample = await fetch(`${stateful.url}${listPath()}`, { headers: HEADERS });
  const bytesFile = path.join(tmpdir(), `evs-mock-bench-${process.pid}.json`);
  const headers = {};
  for (const name of ["content-type", "x-request-id", "sl-violations"])
    if (sample.headers.get(name)) headers[name] = sample.headers.get(name);
  writeFileSync(
    bytesFile,
    JSON.stringify({
      status: sample.status,
      headers,
      body: Buffer.from(await sample.arrayBuffer()).toString("base64"),
    }),
  );
  const trivial = await child("trivial", bytesFile);
  const targets = {
    static: staticMock.url,
    stateful: stateful.url,
    emulator: emulator.url,
    trivial: trivial.url,
  };
  const listLoad = (url) => runLoad(() => fetch(`${url}${listPath()}`, { headers: HEADERS }));
  const rounds = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
  for (const url of Object.values(targets)) await listLoad(url); // warm-up
  // Side by side in rounds: the machine is shared, a ratio from one round is fairer.
  for (let round = 0; round < LOAD_ROUNDS; round++)
    for (const [name, url] of Object.entries(targets)) rounds[name].push(await listLoad(url));
  result.load = Object.fromEntries(
    Object.entries(rounds).map(([name, runs]) => [
      name,
      {
        perSecond: median(runs.map((r) => r.perSecond)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        failures: runs.reduce((sum, r) => sum + r.failures, 0),
        requests: runs.reduce((sum, r) => sum + r.requests, 0),
      },
    ]),
  );
  result.load.ratio = median(
    rounds.stateful.map((r, i) => r.perSecond / rounds.static[i].perSecond),
  );
  await Promise.all([staticMock.stop(), trivial.stop()]);

  log(`${STORED} stored…`);
  await stateful.reset();
  await seedStored(stateful.controlUrl);
  result.rssSeeded = rssOf(stateful.pid);
  await seedStored(`${emulator.url}/__evs-mock`);
  result.page = {
    inProcess: await pagesInProcess(),
    emulator: await pageLatencies(emulator.url, ""),
    emulatorFiltered: await pageLatencies(emulator.url, "&status=available"),
    throughPrism: await pageLatencies(stateful.url, ""),
  };
  result.rss = rssOf(stateful.pid);
  await Promise.all([stateful.stop(), emulator.stop()]);
  return result;
}

const met = (ok) => (ok ? "✅ met" : "❌ not met");

/** The mock's section of BENCHMARKS.md (between its markers). */
export function mockSection(result) {
  if (!result || result.error)
    return `## Mock (@evs-toolkit/mock)\n\nThe mock bench failed: ${result?.error ?? "no result"}\n`;
  const { start, load: l, page, rss, rssSeeded } = result;
  const row = (name, r) =>
    `| ${name} | ${r.perSecond.toFixed(0)} req/s | ${fmt.ms(r.p50)} | ${fmt.ms(r.p99)} | ${r.failures} of ${r.requests} |`;
  const startDelta = start.stateful - start.prismCli;
  return `## Mock (@evs-toolkit/mock)

\`node scripts/bench/mock.mjs\` (also run by \`npm run bench\`). Loopback, 2 shared cores; each
server in its own process, the load (${LOAD_REQUESTS} × ${LOAD_CONCURRENCY} concurrent, the same
\`GET …/cloudsnapshots/detail?limit=10\` answering one snapshot) from the bench process, ${LOAD_ROUNDS}
rounds side by side, medians. The machine is shared with other work: start times and absolute
rates swing with its load (compare Prism's own start in the same run); the ratios, taken
side by side, are steadier.

| measure | result | target | met |
|---|---|---|---|
| Start to first answer, stateful vs Prism's own CLI | ${fmt.ms(start.stateful)} vs ${fmt.ms(start.prismCli)} (${startDelta >= 0 ? "+" : ""}${fmt.ms(startDelta)}; static ${fmt.ms(start.static)}) | within ${TARGETS.startDeltaMs} ms of Prism's start | ${met(startDelta <= TARGETS.startDeltaMs)} |
| Throughput, stateful through Prism vs static Prism | ${fmt.ratio(l.ratio)} (${l.stateful.perSecond.toFixed(0)} vs ${l.static.perSecond.toFixed(0)} req/s) | ≥ ${TARGETS.throughputRatio}× | ${met(l.ratio >= TARGETS.throughputRatio)} |
| 1,000-item page out of ${STORED.toLocaleString("en")} stored, at the emulator (route, page, serialise; no HTTP) | p50 ${fmt.ms(page.inProcess.plain.p50)} / p99 ${fmt.ms(page.inProcess.plain.p99)} (with a status filter, a full scan: p50 ${fmt.ms(page.inProcess.filtered.p50)}) | ≤ ${TARGETS.pageMs} ms | ${met(page.inProcess.plain.p50 <= TARGETS.pageMs)} |
| The same page from the emulator alone over HTTP (fetch and parse included) | p50 ${fmt.ms(page.emulator.p50)} / p99 ${fmt.ms(page.emulator.p99)} (filtered: p50 ${fmt.ms(page.emulatorFiltered.p50)}) | (recorded) | — |
| The same page through Prism (it validates 1,000 items) | p50 ${fmt.ms(page.throughPrism.p50)} / p99 ${fmt.ms(page.throughPrism.p99)} | (recorded) | — |
| RSS of the whole stateful mock (one process) with ${STORED.toLocaleString("en")} snapshots, after ${PAGE_SAMPLES} of those pages through Prism | ${fmt.mb(rss)} (right after seeding: ${fmt.mb(rssSeeded)}) | ≤ 200 MB | ${met(rss <= TARGETS.rssBytes)} |

| server (16 concurrent) | throughput | p50 | p99 | non-200 |
|---|---|---|---|---|
${row("static Prism (the static mode)", l.static)}
${row("stateful through Prism", l.stateful)}
${row("the emulator alone", l.emulator)}
${row("trivial Node server, same bytes (floor)", l.trivial)}
`;
}

const SECTION = /<!-- bench:mock -->\n[\s\S]*?<!-- \/bench:mock -->\n?/;

/** BENCHMARKS.md text with the mock's section put in (replaced, or appended once). */
export function withMockSection(markdown, result) {
  const section = `<!-- bench:mock -->\n${mockSection(result)}<!-- /bench:mock -->\n`;
  return SECTION.test(markdown)
    ? markdown.replace(SECTION, section)
    : `${markdown.trimEnd()}\n\n${section}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureMock();
  const file = path.join(root, "BENCHMARKS.md");
  writeFileSync(file, withMockSection(readFileSync(file, "utf8"), result));
  console.log(mockSection(result));
}
