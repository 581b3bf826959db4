// Renders the benchmark results as markdown: a headline table of ratios and verdicts, then
// one section per area with the raw medians. A measurement that failed shows its error.
import { fmt } from "./stats.mjs";
import { NO_TARGET, TARGETS, verdict } from "./targets.mjs";

const table = (header, rows) =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");

const failed = (result) => (result?.error ? `measurement failed: ${result.error}` : undefined);
const byName = (list, name) => list.find((item) => item.name === name);
const signed = (text, value) => (value < 0 ? text : `+${text}`);

function requestCostRows({ requestCost, signer }) {
  if (failed(requestCost)) return [["Per-request cost", failed(requestCost), "", "", ""]];
  const raw = byName(requestCost.variants, "raw fetch");
  const token = byName(requestCost.variants, "our client, token");
  const vendor = byName(requestCost.variants, "vendor SDK core, AK/SK");
  return [
    [
      "Token path, per request",
      fmt.ratio(token.ratio),
      `${fmt.us(token.micros)} vs raw fetch ${fmt.us(raw.micros)}; vendor core ${fmt.ratio(vendor.ratio)}`,
      TARGETS.tokenRatio.text,
      verdict(token.ratio <= TARGETS.tokenRatio.limit),
    ],
    [
      "AK/SK over the token path, client CPU per request",
      `+${fmt.us(requestCost.akSkCpu.micros)} CPU`,
      `our AK/SK path minus our token path, process.cpuUsage() of the client process per call, same rounds (rounds' quartiles ${requestCost.akSkCpu.quartiles.map(fmt.us).join(" – ")}); of which signing +${fmt.us(requestCost.akSkCpuOverControl.micros)} CPU (vs the token path carrying headers of the same size); wall time +${fmt.us(requestCost.akSkWall.micros)} (quartiles ${requestCost.akSkWall.quartiles.map(fmt.us).join(" – ")}); ${signerAlone(signer)}`,
      TARGETS.signingMicros.text,
      verdict(requestCost.akSkCpu.micros <= TARGETS.signingMicros.limit),
    ],
  ];
}

function signerAlone(signer) {
  if (failed(signer)) return "signer alone not measured";
  const [ours, , vendor] = signer;
  return `signer alone (tight loop) ${fmt.us(ours.micros)}/sign, vendor ${fmt.us(vendor.micros)}/sign`;
}

/** Rounded to 0.1 KB the figure could look met when it is not: the bytes go beside it. */
const exactKb = (bytes) => `${fmt.kb(bytes)} (${bytes.toLocaleString("en")} B)`;

function sizeRows({ sizes }) {
  if (failed(sizes)) return [["Browser bundle", failed(sizes), "", "", ""]];
  const [token, full, openapiFetch, vendor] = sizes;
  return [
    [
      "Browser bundle, createEvsClient with a token (min + gzip)",
      exactKb(token.gzip),
      `no signer, no raw client; vendor core (node) ${fmt.kb(vendor.gzip)}`,
      TARGETS.gzipBytes.text,
      verdict(token.gzip <= TARGETS.gzipBytes.limit),
    ],
    [
      "Browser bundle, full API: index + aksk + raw (min + gzip)",
      exactKb(full.gzip),
      `raw on openapi-fetch's runtime would add ${fmt.kb(openapiFetch.gzip)}`,
      TARGETS.fullGzipBytes.text,
      verdict(full.gzip <= TARGETS.fullGzipBytes.limit),
    ],
  ];
}

function coldStartRows({ coldStart }) {
  if (failed(coldStart)) return [["Cold start", failed(coldStart), "", "", ""]];
  const [empty, ours, vendor] = coldStart;
  return [
    [
      "Cold start (import in a fresh process)",
      signed(fmt.ms(ours.overEmptyMs), ours.overEmptyMs),
      `empty module ${fmt.ms(empty.ms)}; vendor core ${signed(fmt.ms(vendor.overEmptyMs), vendor.overEmptyMs)}`,
      TARGETS.coldStartMs.text,
      verdict(ours.overEmptyMs <= TARGETS.coldStartMs.limit),
    ],
  ];
}

function scaleRows({ scale }) {
  if (failed(scale)) return [["Scale", failed(scale), "", "", ""]];
  const small = scale[0];
  const large = scale.at(-1);
  const retained = large.liveHeapGrowth - small.liveHeapGrowth;
  const sampled = Math.max(large.heapGrowth - small.heapGrowth, large.rssGrowth - small.rssGrowth);
  const floor = Math.max(
    large.floorHeapGrowth - small.floorHeapGrowth,
    large.floorRssGrowth - small.floorRssGrowth,
  );
  const perSnapshotRatio = large.microsPerSnapshot / small.microsPerSnapshot;
  const memoryOk = (bytes) => verdict(bytes <= TARGETS.memoryGrowthBytes.limit);
  return [
    [
      "Scale: retained heap, 100,000 vs 1,000 (GC at each page)",
      `${signed(fmt.mb(retained), retained)}`,
      `+${fmt.mb(large.liveHeapGrowth)} vs +${fmt.mb(small.liveHeapGrowth)}`,
      TARGETS.memoryGrowthBytes.text,
      memoryOk(retained),
    ],
    [
      "Scale: sampled peaks, 100,000 vs 1,000 (no forced GC)",
      `${signed(fmt.mb(sampled), sampled)}`,
      `heap +${fmt.mb(large.heapGrowth)} vs +${fmt.mb(small.heapGrowth)}; RSS +${fmt.mb(large.rssGrowth)} vs +${fmt.mb(small.rssGrowth)}; raw fetch paging the same pages, no client: ${signed(fmt.mb(floor), floor)} (heap +${fmt.mb(large.floorHeapGrowth)} vs +${fmt.mb(small.floorHeapGrowth)}; RSS +${fmt.mb(large.floorRssGrowth)} vs +${fmt.mb(small.floorRssGrowth)})`,
      TARGETS.peakOverFloor.text,
      verdict(sampled <= floor * TARGETS.peakOverFloor.limit),
    ],
    [
      "Scale: time, 100,000 vs 1,000",
      fmt.ratio(perSnapshotRatio),
      `${fmt.s(large.ms)} (${fmt.us(large.microsPerSnapshot)}/snapshot) vs ${fmt.ms(small.ms)} (${fmt.us(small.microsPerSnapshot)}/snapshot)`,
      TARGETS.perSnapshotRatio.text,
      verdict(perSnapshotRatio <= TARGETS.perSnapshotRatio.limit),
    ],
  ];
}

function toolkitRows({ build, prism }) {
  const rows = [];
  if (failed(build))
    rows.push(["Full build (`npm run build`)", failed(build), "", NO_TARGET.target, NO_TARGET.met]);
  else
    rows.push([
      "Full build (`npm run build`)",
      build.ok ? fmt.s(build.ms) : `failed after ${fmt.s(build.ms)}: ${build.error}`,
      "one run",
      NO_TARGET.target,
      NO_TARGET.met,
    ]);
  if (failed(prism)) rows.push(["Prism", failed(prism), "", NO_TARGET.target, NO_TARGET.met]);
  else {
    const { load } = prism;
    rows.push([
      "Prism: spawn to first answer",
      fmt.s(prism.firstAnswerMs),
      `listening after ${fmt.s(prism.listeningMs)}, median of ${prism.starts}`,
      NO_TARGET.target,
      NO_TARGET.met,
    ]);
    rows.push([
      `Prism latency, ${load.requests} requests × ${load.concurrency} concurrent`,
      `p50 ${fmt.ms(load.p50)} / p90 ${fmt.ms(load.p90)} / p99 ${fmt.ms(load.p99)}`,
      `${load.perSecond.toFixed(0)} req/s, ${load.failures} non-200`,
      NO_TARGET.target,
      NO_TARGET.met,
    ]);
  }
  return rows;
}

export function headlineTable(results) {
  return table(
    ["measure", "result", "side by side", "target", "met"],
    [
      ...requestCostRows(results),
      ...sizeRows(results),
      ...coldStartRows(results),
      ...scaleRows(results),
      ...toolkitRows(results),
    ],
  );
}

function details(results) {
  const { requestCost, signer, sizes, coldStart, scale } = results;
  const sections = [];
  if (!failed(requestCost)) {
    const { snapshots, rounds, callsPerRound } = requestCost.config;
    sections.push(`## 1. Per-request cost

One native list call answering ${snapshots} snapshots, keep-alive loopback, the server in its own process.
${rounds} rounds of ${callsPerRound} calls per variant. The variants take turns call by call, in a new random order
for every turn (seeded shuffle, seed ${requestCost.config.seed}), so that no variant always runs right after the same
other one and absorbs its after-effects (a fixed rotation made the variant after the vendor SDK pay part of its cost).
Each round keeps each variant's median call; the table gives the median over rounds of those, and the median of the
per-round ratio to raw fetch. The server runs in its own process (scripts/bench/server-process.mjs), so its work
never shares the measuring process's event loop or heap.

Every call is also measured in CPU time: \`process.cpuUsage()\` (user + system, all threads of the client process)
before and after the call. Each round keeps each variant's median CPU call as well, and the AK/SK figure of the
headline is the median over rounds of (AK/SK − token) in CPU time, the target's unit: the server's work is in the
other process, so this is what the client itself spends, while wall time also holds the loopback round trip and
the machine's other load (its AK/SK difference is given beside it, with quartiles).

${table(
  ["variant", "µs / request (wall)", "µs CPU / request", "vs raw fetch (wall)"],
  requestCost.variants.map((v) => [
    v.name,
    fmt.us(v.micros),
    fmt.us(v.cpuMicros),
    fmt.ratio(v.ratio),
  ]),
)}

The vendor row drives \`@huaweicloud/huaweicloud-sdk-core\`'s ClientBuilder/HcClient directly with the request options
a generated EVS service client sends (only the core is installed): axios, AK/SK signed, JSON parsed.`);
  }
  if (!failed(signer)) {
    sections.push(`### Signer alone

One GET of the native list, timed two ways: in a tight loop (median of rounds), and one sign at a time right
after the process sat idle for 1 ms (median of 1,000 each, signers in shuffled turns), which is how a request's
signing runs: after the previous answer's network wait. The request signer is what the client runs on every
AK/SK request (\`createRequestSigner\`, bundled from packages/client/src/signing; it is not exported);
\`signRequest\` is the public helper (clones and rebuilds a \`Request\`, async); the vendor's is
\`AKSKSigner.sign\` on a prepared request.

${table(
  ["signer", "µs / sign, tight loop", "µs / sign, after 1 ms idle"],
  signer.map((s) => [s.name, fmt.us(s.micros), fmt.us(s.afterIdleMicros)]),
)}

Where AK/SK's in-request cost goes was counted once outside this bench, with \`valgrind --tool=callgrind\`
(instructions, repeatable under load) over a few hundred list calls of each path, GC excluded: about 34,000
instructions per request over the token path (67,500 before the signer emitted lowercase header names, which fetch
otherwise lowercases on a slow path several times per request, and took the inner HMAC digest as a latin1 string
instead of a Buffer made in C++). What is left is mostly the three native SHA-256 calls (\`crypto.hash\`: JS wrapper,
C++ binding, OpenSSL) and fetch validating and serialising three more headers. Inside a request each of these runs
right after a network wait, and on this machine (a VM on a shared host) any code is several times slower right after
the process sat idle than in a loop: the "after 1 ms idle" column. So the signing part of a request costs what the
signer costs after idle, not in a loop${requestCost?.akSkCpuOverControl ? ` (this run: signing +${fmt.us(requestCost.akSkCpuOverControl.micros)} CPU in the request, ${fmt.us(signer[0].afterIdleMicros)} for the signer after idle, ${fmt.us(signer[0].micros)} in a loop)` : ""}.
Ruled out with the same after-idle timing: a pure-JavaScript SHA-256 costs as much after idle as the native one
(and 3× more in a loop), and Hash or Hmac objects (\`copy()\` of pre-keyed states, \`createHmac\`) cost 2–3× the
one-shot \`crypto.hash\` calls the signer makes.`);
  }
  if (!failed(sizes)) {
    sections.push(`## 2. Size

esbuild, bundled and minified, then gzip -9.

${table(
  ["bundle", "minified", "gzip"],
  sizes.map((s) => [s.name, fmt.kb(s.minified), exactKb(s.gzip)]),
)}

A KB here is 1,024 bytes, as in the targets (8 KB = 8,192 B, 12 KB = 12,288 B). Where the bytes go: the token-only bundle is the client object's six methods with
what each promises (input checks from the spec's rules, the three error envelopes, secret redaction, bounded
and inert server text, retries with RFC 9110 \`Retry-After\`, time limits, the size limit, the redirect
refusal); the waiters, the paginator, the signer and the raw client are separate functions or entry points,
bundled only when imported. \`raw\` has openapi-fetch's types and call shape but sends through the client's
transport: on openapi-fetch's runtime (${fmt.kb(sizes[2].gzip)} alone) the full API could not stay within 12 KB,
and the request would be built twice.`);
  }
  if (!failed(coldStart)) {
    sections.push(`## 3. Cold start

Fresh \`node\` process that loads the module and exits, spawn to exit; the difference to the empty module is
taken within each round, median over rounds.

${table(
  ["module", "process wall time", "over the empty module"],
  coldStart.map((c) => [c.name, fmt.ms(c.ms), signed(fmt.ms(c.overEmptyMs), c.overEmptyMs)]),
)}`);
  }
  if (!failed(scale)) {
    sections.push(`## 4. Scale

\`iterateSnapshots({ limit: 1000 })\` over a native list generated page by page on demand, one child process
per run (\`--expose-gc\`, baseline after a full GC), median of runs; growth is the peak over that baseline.
"Retained" runs force a full GC at every page boundary, so they show what the iteration keeps alive; the
sampled peaks (no forced GC) also count garbage V8 has not collected yet, which depends on its heuristics.
The raw fetch columns fetch the same pages with \`fetch\` + \`response.json()\` and no client, sampled the same
way: the floor the runtime sets (each page's body is a ~0.4 MB string, which V8 frees only at a full GC).

${table(
  [
    "snapshots",
    "wall time",
    "µs / snapshot",
    "retained heap growth",
    "sampled heap peak growth",
    "sampled RSS peak growth",
    "raw fetch: heap peak",
    "raw fetch: RSS peak",
  ],
  scale.map((s) => [
    s.size.toLocaleString("en"),
    fmt.ms(s.ms),
    fmt.us(s.microsPerSnapshot),
    fmt.mb(s.liveHeapGrowth),
    fmt.mb(s.heapGrowth),
    fmt.mb(s.rssGrowth),
    fmt.mb(s.floorHeapGrowth),
    fmt.mb(s.floorRssGrowth),
  ]),
)}`);
  }
  return sections.join("\n\n");
}

export function benchmarksMarkdown(results) {
  const m = results.machine;
  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench/run.mjs; do not edit by hand, rerun it).

- Date: ${m.date}
- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory} RAM, ${m.os}
- Node: ${m.node}
- Client measured: ${results.clientSource}
- Whole run: ${fmt.s(results.totalMs)}

Everything runs on 127.0.0.1. The machine is shared and noisy: absolute times move between runs, so the
headline compares variants measured side by side in the same rounds (ratios and differences), always medians.

${headlineTable(results)}

${details(results)}
`;
}
