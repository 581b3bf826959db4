// The README's retention job runs as written: its block, after the README's client example
// (which creates `evs`; endpoint swapped for the stateful mock, as the README says), against
// a project holding older nightly snapshots. It must keep the newest KEEP and leave the
// others gone (404), the snapshot it made tonight among those kept.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type RunningMock, startMock } from "@evs-toolkit/mock";
import { afterAll, beforeAll, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const PROJECT = "20a68d6b7a124ae2b6b8a22046ee5966";
const VOLUME = "5aa119a8-d25b-45a7-8d1b-88e127885635";
const OLDER = 9;
// Nested runs must not inherit the outer npm/vitest run's settings.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|TEST$|NODE_OPTIONS$)/i.test(key)),
);

const tsBlocks = (markdown: string) =>
  [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
function only(blocks: string[], what: string, test: (code: string) => boolean): string {
  const found = blocks.filter(test);
  if (found.length !== 1)
    throw new Error(`expected exactly one ${what} in the README, found ${found.length}`);
  return found[0]!;
}

let work = "";
let mock: RunningMock;
beforeAll(async () => {
  await mkdir(path.join(root, ".tmp"), { recursive: true });
  work = await mkdtemp(path.join(root, ".tmp", "retention-"));
  mock = await startMock({ transitionMs: 0 });
}, 60_000);
afterAll(async () => {
  await mock?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Listed {
  id: string;
  name: string | null;
  created_at: string;
}

async function nightlySnapshots(): Promise<Listed[]> {
  const answer = await fetch(
    `${mock.url}/v2/${PROJECT}/cloudsnapshots/detail?volume_id=${VOLUME}`,
    { headers: { "X-Auth-Token": "t" } },
  );
  const { snapshots } = (await answer.json()) as { snapshots: Listed[] };
  return snapshots
    .filter((s) => s.name?.startsWith("nightly-"))
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
}

test("the README's retention job keeps the newest KEEP nightly snapshots", {
  timeout: 90_000,
}, async () => {
  const blocks = tsBlocks(await readFile(path.join(root, "README.md"), "utf8"));
  const client = only(blocks, "client example", (code) => code.includes("createEvsClient("));
  const job = only(blocks, "retention job", (code) => code.includes("waitForSnapshotDeleted("));
  const keep = Number(/const KEEP = (\d+);/.exec(job)?.[1]);
  expect(keep).toBeGreaterThan(0);
  expect(keep).toBeLessThan(OLDER);
  const endpoint = /endpoint: evsEndpoint\(\{[^}]*\}\),?/;
  expect(client).toMatch(endpoint);

  const seeded = await mock.seed({
    project_id: PROJECT,
    count: OLDER,
    name_prefix: "nightly-2026-11-",
    volume_ids: [VOLUME],
  });
  const script = `${client.replace(endpoint, `endpoint: ${JSON.stringify(mock.url)},`)}\n${job}\nconsole.log("RETENTION DONE", tonight.id, expired.length);\n`;
  const file = path.join(work, "retention-job.ts");
  await writeFile(file, script);
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], {
    cwd: root,
    env: { ...env, EVS_TOKEN: "any-token" },
    timeout: 80_000,
  });
  expect(stderr).toBe("");
  const [, tonight, deleted] = /RETENTION DONE (\S+) (\d+)/.exec(stdout) ?? [];
  expect(Number(deleted)).toBe(OLDER + 1 - keep);

  const kept = await nightlySnapshots();
  expect(kept).toHaveLength(keep);
  expect(kept[0]!.id).toBe(tonight);
  // The oldest seeded snapshots are the ones gone, each answering 404.
  const gone = seeded.ids.slice(0, OLDER + 1 - keep);
  for (const id of gone) {
    const shown = await fetch(`${mock.url}/v2/${PROJECT}/cloudsnapshots/${id}`, {
      headers: { "X-Auth-Token": "t" },
    });
    expect(shown.status).toBe(404);
  }
  expect(kept.map((s) => s.id)).not.toContain(gone[0]);
});
