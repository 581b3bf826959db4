// @evs-toolkit/mock as a team gets it: `npm pack` (its prepack builds it and copies the
// bundled spec in), the tarball installed into an empty project outside the repository,
// then `npx evs-mock --port 0` serving, and a vitest file there that starts the mock from
// its globalSetup with startMock() and passes.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freshEnv, type PackedInstall, packAndInstall, runOk } from "../support/packed.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const mockDir = path.join(root, "packages/mock");
const vitestVersion = (createRequire(import.meta.url)("vitest/package.json") as { version: string })
  .version;
let consumer = "";
let files: string[] = [];
let packed: PackedInstall | undefined;

beforeAll(async () => {
  packed = await packAndInstall(mockDir, [`vitest@${vitestVersion}`]);
  ({ consumer, files } = packed);
}, 180_000);

afterAll(() => packed?.remove());

test("the tarball ships the built code, the bundled spec and the control API, not the sources", async () => {
  for (const file of [
    "dist/cli.js",
    "bin/evs-mock.js",
    "dist/index.js",
    "dist/index.d.ts",
    "spec/evs-snapshots.yaml",
    "spec/evs-snapshots.json",
    "control-api.yaml",
    "README.md",
    "LICENSE",
    "package.json",
  ])
    expect(files).toContain(`package/${file}`);
  expect(files.filter((file) => file.startsWith("package/src/"))).toEqual([]);
  const installed = path.join(consumer, "node_modules/@evs-toolkit/mock");
  expect(await readFile(path.join(installed, "spec/evs-snapshots.yaml"), "utf8")).toBe(
    await readFile(path.join(root, "openapi/bundled/evs-snapshots.yaml"), "utf8"),
  );
});

test("npx evs-mock --port 0 serves the API and its control API", { timeout: 60_000 }, async () => {
  const child: ChildProcess = spawn("npx", ["evs-mock", "--port", "0"], {
    cwd: consumer,
    env: freshEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let output = "";
    child.stderr!.on("data", (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (chunk) => {
        output += chunk;
        const match = /listening on (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once("exit", () => reject(new Error(`evs-mock exited: ${output}`)));
    });
    const created = await fetch(`${url}/v2/p1/cloudsnapshots`, {
      method: "POST",
      headers: { "X-Auth-Token": "t", "Content-Type": "application/json" },
      body: JSON.stringify({ snapshot: { volume_id: "vol-1", name: "packed" } }),
    });
    expect(created.status).toBe(202);
    const list = await fetch(`${url}/v2/p1/snapshots/detail?name=packed`, {
      headers: { "X-Auth-Token": "t" },
    });
    expect(((await list.json()) as { snapshots: unknown[] }).snapshots).toHaveLength(1);
    expect(await (await fetch(`${url}/__evs-mock/health`)).json()).toMatchObject({
      status: "ok",
      mode: "stateful",
    });
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await once(child, "exit");
  }
});

test("a vitest suite in the consumer starts the mock in globalSetup and passes", {
  timeout: 120_000,
}, async () => {
  await writeFile(
    path.join(consumer, "global-setup.js"),
    `import { startMock } from "@evs-toolkit/mock";
export default async function setup(project) {
  const mock = await startMock({ port: 0, seed: "consumer", transitionMs: 0 });
  project.provide("evsMockUrl", mock.url);
  return () => mock.stop();
}
`,
  );
  await writeFile(
    path.join(consumer, "vitest.config.js"),
    `import { defineConfig } from "vitest/config";
export default defineConfig({ test: { globalSetup: ["./global-setup.js"], include: ["*.test.js"] } });
`,
  );
  await writeFile(
    path.join(consumer, "mock.test.js"),
    `import { expect, inject, test } from "vitest";
test("create, then list it from the other family", async () => {
  const url = inject("evsMockUrl");
  const headers = { "X-Auth-Token": "t", "Content-Type": "application/json" };
  const created = await fetch(url + "/v2/team/snapshots", { method: "POST", headers, body: JSON.stringify({ snapshot: { volume_id: "v" } }) });
  expect(created.status).toBe(202);
  const { snapshot } = await created.json();
  const list = await (await fetch(url + "/v2/team/cloudsnapshots/detail?id=" + snapshot.id, { headers })).json();
  expect(list.count).toBe(1);
  expect(list.snapshots[0].status).toBe("available");
});
`,
  );
  const output = await runOk("npx", ["vitest", "run"], consumer);
  expect(output).toMatch(/1 passed/);
});
