// Per-request cost of one native list call (50 snapshots) over keep-alive loopback, for
// raw fetch and each client. The server runs in its own process. Variants are interleaved
// call by call in a freshly shuffled order (seeded), so no variant always follows the same
// other one and absorbs its after-effects (the vendor SDK's garbage, cold caches); each
// round keeps each variant's median call, ratios are taken within a round, and the median
// over rounds is reported.
//
// Each call is timed twice: wall time (hrtime) and this process's CPU time
// (process.cpuUsage(), user + system, all threads). The AK/SK target is about CPU ("µs CPU
// per request"): the server runs in another process, so the client's CPU is what a
// variant itself spends, while its wall time also holds the loopback round trip and
// whatever the machine's other load does to it.
import { fork } from "node:child_process";
import { once } from "node:events";
import { setTimeout as idle } from "node:timers/promises";
import createOpenApiClient from "openapi-fetch";
import { ACCESS_KEY, PROJECT_ID, SECRET_KEY, TOKEN } from "./fixtures.mjs";
import { meanMicros, median, percentile } from "./stats.mjs";
import { vendorListClient, vendorSigner } from "./vendor-sdk.mjs";

const SNAPSHOTS = 50;
const ROUNDS = 21;
const CALLS_PER_ROUND = 150;
const WARMUP_CALLS = 300;
const SIGNS_PER_ROUND = 20_000;
const SIGN_ROUNDS = 9;
/** Signs timed one by one, each after an idle wait of IDLE_MS (what a request's signing follows). */
const SIGNS_AFTER_IDLE = 1_000;
const IDLE_MS = 1;
/** Fixed seed: a rerun shuffles the same way. */
const SHUFFLE_SEED = 0x9e3779b9;
const LIST_PATH = "/v2/{project_id}/cloudsnapshots/detail";

async function startServerProcess() {
  const child = fork(new URL("./server-process.mjs", import.meta.url), [String(SNAPSHOTS)]);
  const [{ url }] = await once(child, "message");
  return {
    url,
    stop: () => {
      child.disconnect();
      return once(child, "exit");
    },
  };
}

// What an AK/SK request carries beyond a token one, with values of the real lengths. The
// control variant sends them on the token path, so that "AK/SK minus control" is the cost
// of computing the signature, and "control minus token" that of carrying the extra bytes.
const SIGNATURE_SIZED_HEADERS = {
  "x-sdk-date": "20261122T000000Z",
  "x-project-id": PROJECT_ID,
  authorization: `SDK-HMAC-SHA256 Access=${ACCESS_KEY}, SignedHeaders=accept;host;x-project-id;x-sdk-date, Signature=${"0".repeat(64)}`,
};
// One header spread, like the AK/SK path's own; init is reused (the transport builds a new one per attempt).
const withSignatureSizedHeaders = (url, init) => {
  init.headers = { ...init.headers, ...SIGNATURE_SIZED_HEADERS };
  return fetch(url, init);
};

/** Each variant makes the same request and resolves to the parsed list. */
function variants(endpoint, evs, aksk) {
  const listUrl = `${endpoint}${LIST_PATH.replace("{project_id}", PROJECT_ID)}?limit=${SNAPSHOTS}`;
  const openapi = createOpenApiClient({ baseUrl: endpoint });
  const clientOptions = { endpoint, projectId: PROJECT_ID, family: "cloudsnapshots" };
  const withToken = evs.createEvsClient({ ...clientOptions, auth: { token: TOKEN } });
  const withAkSk = evs.createEvsClient({
    ...clientOptions,
    auth: aksk.akSk({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }),
  });
  const withTokenAndPadding = evs.createEvsClient({
    ...clientOptions,
    auth: { token: TOKEN },
    fetch: withSignatureSizedHeaders,
  });
  const vendor = vendorListClient({
    endpoint,
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
    projectId: PROJECT_ID,
  });
  return {
    "raw fetch": async () => (await fetch(listUrl, { headers: { "X-Auth-Token": TOKEN } })).json(),
    "openapi-fetch (bare)": async () =>
      (
        await openapi.GET(LIST_PATH, {
          params: { path: { project_id: PROJECT_ID }, query: { limit: SNAPSHOTS } },
          headers: { "X-Auth-Token": TOKEN },
        })
      ).data,
    "our client, token": () => withToken.listSnapshots({ limit: SNAPSHOTS }),
    "our client, token + AK/SK-sized headers": () =>
      withTokenAndPadding.listSnapshots({ limit: SNAPSHOTS }),
    "our client, AK/SK": () => withAkSk.listSnapshots({ limit: SNAPSHOTS }),
    "vendor SDK core, AK/SK": () => vendor({ limit: SNAPSHOTS }),
  };
}

/** One call of `fn`: wall and client-process CPU (user + system), both in µs. */
async function costOf(fn) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e3;
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: user + system };
}

/** Median and quartiles of per-round differences (noisy on a shared machine: the quartiles go with the median). */
function spread(perRound) {
  return {
    micros: median(perRound),
    quartiles: [percentile(perRound, 25), percentile(perRound, 75)],
  };
}

function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** mulberry32: a small seeded PRNG, enough to shuffle call orders reproducibly. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates on a copy. */
function shuffled(list, random) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export async function measureRequestCost(evs, aksk) {
  const server = await startServerProcess();
  try {
    const calls = variants(server.url, evs, aksk);
    const random = seededRandom(SHUFFLE_SEED);
    const names = Object.keys(calls);
    for (const name of names) {
      const list = await calls[name]();
      if (list?.snapshots?.length !== SNAPSHOTS)
        throw new Error(`${name} did not return the ${SNAPSHOTS} snapshots`);
      for (let i = 0; i < WARMUP_CALLS; i++) await calls[name]();
    }
    // Variants take turns call by call, in a new random order each time, so a slow spell of
    // the machine hits them all alike and no variant is always next after the same one;
    // each round keeps the median call of each variant.
    // Per round and variant: the median call's wall time and, separately, the median CPU time.
    const rounds = [];
    const cpuRounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const wall = Object.fromEntries(names.map((name) => [name, []]));
      const cpu = Object.fromEntries(names.map((name) => [name, []]));
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        for (const name of shuffled(names, random)) {
          const cost = await costOf(calls[name]);
          wall[name].push(cost.wall);
          cpu[name].push(cost.cpu);
        }
      }
      rounds.push(Object.fromEntries(names.map((name) => [name, median(wall[name])])));
      cpuRounds.push(Object.fromEntries(names.map((name) => [name, median(cpu[name])])));
    }
    const floor = "raw fetch";
    const signed = "our client, AK/SK";
    const token = "our client, token";
    const control = "our client, token + AK/SK-sized headers";
    const over = (perRound, base) => spread(perRound.map((round) => round[signed] - round[base]));
    return {
      variants: names.map((name) => ({
        name,
        micros: median(rounds.map((round) => round[name])),
        cpuMicros: median(cpuRounds.map((round) => round[name])),
        ratio: median(rounds.map((round) => round[name] / round[floor])),
      })),
      // The target: client CPU that AK/SK adds over the plain token path.
      akSkCpu: over(cpuRounds, token),
      // Split against the control: signing alone, and the same in wall time.
      akSkCpuOverControl: over(cpuRounds, control),
      akSkWall: over(rounds, token),
      akSkWallOverControl: over(rounds, control),
      config: {
        snapshots: SNAPSHOTS,
        rounds: ROUNDS,
        callsPerRound: CALLS_PER_ROUND,
        seed: SHUFFLE_SEED,
      },
    };
  } finally {
    await server.stop();
  }
}

/**
 * The signers alone, same GET: the client's internal request signer (what each AK/SK request
 * runs, given the URL parts the transport already has), the public signRequest (builds a new
 * signed Request) and the vendor's AKSKSigner.sign.
 */
export async function measureSigner(aksk, { createRequestSigner }) {
  const endpoint = "https://evs.eu-de.otc.t-systems.com";
  const credentials = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, projectId: PROJECT_ID };
  const url = `${endpoint}/v2/${PROJECT_ID}/cloudsnapshots/detail?limit=${SNAPSHOTS}`;
  const requestSigner = createRequestSigner(credentials);
  const { host, pathname, search } = new URL(url);
  const headers = { accept: "application/json" };
  const signers = {
    "our request signer (per request, internal)": () =>
      requestSigner({ method: "GET", url: { host, pathname, search }, headers }),
    "our signRequest (public helper)": () =>
      aksk.signRequest(
        new Request(url, { headers: { "content-type": "application/json" } }),
        credentials,
      ),
    "vendor AKSKSigner.sign": vendorSigner({ endpoint, ...credentials }),
  };
  const results = {};
  for (const [name, sign] of Object.entries(signers)) {
    await meanMicros(SIGNS_PER_ROUND / 4, sign);
    results[name] = [];
  }
  for (let r = 0; r < SIGN_ROUNDS; r++) {
    for (const name of rotate(Object.keys(signers), r))
      results[name].push(await meanMicros(SIGNS_PER_ROUND, signers[name]));
  }
  // The same signs, each alone right after the process sat idle for IDLE_MS, as a request's
  // signing does after the previous answer's network wait; the signers take turns in a
  // shuffled order.
  const afterIdle = Object.fromEntries(Object.keys(signers).map((name) => [name, []]));
  const random = seededRandom(SHUFFLE_SEED);
  for (let i = 0; i < SIGNS_AFTER_IDLE; i++) {
    for (const name of shuffled(Object.keys(signers), random)) {
      await idle(IDLE_MS);
      const start = process.hrtime.bigint();
      await signers[name]();
      afterIdle[name].push(Number(process.hrtime.bigint() - start) / 1e3);
    }
  }
  return Object.entries(results).map(([name, samples]) => ({
    name,
    micros: median(samples),
    afterIdleMicros: median(afterIdle[name]),
  }));
}
