// The toolkit itself: full build wall time, Prism start-up to first answer, and Prism
// latency under a bounded concurrent load on loopback.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { startMock } from "@evs-toolkit/mock";
import { PROJECT_ID, TOKEN } from "./fixtures.mjs";
import { runLoad } from "./load.mjs";
import { root } from "./paths.mjs";
import { freePort } from "./servers.mjs";
import { elapsedMs, median } from "./stats.mjs";

const PRISM_STARTS = 3;
const BUILD_TIMEOUT_MS = 180_000;

/** One `npm run build` (generate, client, docs); a failure is reported, not thrown. */
export async function measureBuild() {
  const start = process.hrtime.bigint();
  const child = spawn("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill("SIGTERM"), BUILD_TIMEOUT_MS);
  const [code] = await once(child, "exit");
  clearTimeout(timer);
  const ms = elapsedMs(start);
  return code === 0
    ? { ok: true, ms }
    : { ok: false, ms, error: output.trim().split("\n").slice(-3).join(" / ") };
}

function listRequest(prismUrl) {
  return fetch(`${prismUrl}/v2/${PROJECT_ID}/cloudsnapshots/detail?limit=10`, {
    headers: { "X-Auth-Token": TOKEN },
  });
}

async function firstAnswerMs() {
  const start = process.hrtime.bigint();
  const prism = await startMock({ mode: "static", port: await freePort() });
  const listeningMs = elapsedMs(start);
  const response = await listRequest(prism.url);
  await response.arrayBuffer();
  if (response.status !== 200)
    throw new Error(`Prism answered ${response.status} to a valid list request`);
  return { prism, listeningMs, firstAnswerMs: elapsedMs(start) };
}

export async function measurePrism() {
  const starts = [];
  for (let i = 0; i < PRISM_STARTS; i++) {
    const run = await firstAnswerMs();
    starts.push(run);
    if (i < PRISM_STARTS - 1) await run.prism.stop();
  }
  const { prism } = starts.at(-1);
  try {
    return {
      listeningMs: median(starts.map((s) => s.listeningMs)),
      firstAnswerMs: median(starts.map((s) => s.firstAnswerMs)),
      starts: PRISM_STARTS,
      load: await runLoad(() => listRequest(prism.url)),
    };
  } finally {
    await prism.stop();
  }
}
