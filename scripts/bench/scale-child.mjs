// Child process of the scale benchmark (run with --expose-gc): iterates every snapshot of
// the paging server with the client and prints one JSON line with the wall time and memory
// growth over a baseline taken after a full GC.
//   natural: no forced GC; the peaks of heapUsed and RSS as sampled (garbage included).
//   live:    a full GC at every page boundary, then heapUsed: what the iteration retains.
//   floor:   sampled like natural, but paging with raw fetch + response.json() (no client):
//            what the runtime itself needs for the same pages.
// argv: <natural|live|floor> <client module URL> <endpoint> <expected total>
const [mode, clientUrl, endpoint, totalArg] = process.argv.slice(2);
const total = Number(totalArg);
const PAGE = 1000;
const { createEvsClient, iterateSnapshots } = await import(clientUrl);
const { PROJECT_ID, TOKEN, snapshotId } = await import("./fixtures.mjs");

const evs = createEvsClient({
  endpoint,
  projectId: PROJECT_ID,
  family: "cloudsnapshots",
  auth: { token: TOKEN },
});

async function* rawFetchSnapshots() {
  for (let offset = 0; offset < total; offset += PAGE) {
    const url = `${endpoint}/v2/${PROJECT_ID}/cloudsnapshots/detail?limit=${PAGE}&offset=${offset}`;
    yield* (await (await fetch(url, { headers: { "x-auth-token": TOKEN } })).json()).snapshots;
  }
}

globalThis.gc();
const baseline = process.memoryUsage();
const peak = { heapUsed: baseline.heapUsed, rss: baseline.rss };
const sample = () => {
  const { heapUsed, rss } = process.memoryUsage();
  peak.heapUsed = Math.max(peak.heapUsed, heapUsed);
  peak.rss = Math.max(peak.rss, rss);
};
// Except in live mode, a timer also samples while a page is being fetched and parsed.
const sampler = mode === "live" ? undefined : setInterval(sample, 2);

const start = process.hrtime.bigint();
let seen = 0;
let lastId;
for await (const snapshot of mode === "floor"
  ? rawFetchSnapshots()
  : iterateSnapshots(evs, { limit: PAGE })) {
  seen++;
  lastId = snapshot.id;
  if (mode === "live" && seen % PAGE === 0) globalThis.gc();
  if (seen % 250 === 0) sample();
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
clearInterval(sampler);
sample();
if (seen !== total || lastId !== snapshotId(total - 1))
  throw new Error(`iterated ${seen} snapshots ending at ${lastId}, expected ${total}`);
process.stdout.write(
  `${JSON.stringify({ seen, ms, heapGrowth: peak.heapUsed - baseline.heapUsed, rssGrowth: peak.rss - baseline.rss })}\n`,
);
