// The documentation runs: the root README's client example against startMock() (only the
// endpoint swapped, as the README says to do against the mock), and the mock package
// README's vitest globalSetup and CI shell script, extracted from the markdown as written.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type RunningMock, startMock } from "@evs-toolkit/mock";
import { afterAll, beforeAll, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const vitestCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")),
  "vitest.mjs",
);
// Nested runs must not inherit the outer npm/vitest run's settings.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|TEST$|NODE_OPTIONS$)/i.test(key)),
);

interface Block {
  lang: string;
  code: string;
}

function codeBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1]!,
    code: m[2]!,
  }));
}

function only(blocks: Block[], what: string, test: (block: Block) => boolean): string {
  const found = blocks.filter(test);
  if (found.length !== 1)
    throw new Error(`expected exactly one ${what} in the README, found ${found.length}`);
  return found[0]!.code;
}

async function run(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
) {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd,
      env: { ...env, ...extraEnv },
      timeout: 120_000,
      maxBuffer: 8 * 1024 * 1024,
    });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, stdout: failed.stdout ?? "", stderr: failed.stderr || failed.message };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let work = "";
let mock: RunningMock;
beforeAll(async () => {
  // Inside the repository, so the examples' imports resolve to this workspace's packages.
  await mkdir(path.join(root, ".tmp"), { recursive: true });
  work = await mkdtemp(path.join(root, ".tmp", "readme-"));
  mock = await startMock();
}, 60_000);
afterAll(async () => {
  await mock?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test("the README's client example completes against startMock()", { timeout: 60_000 }, async () => {
  const readme = await readFile(path.join(root, "README.md"), "utf8");
  const example = only(
    codeBlocks(readme),
    "client example",
    (b) => b.lang === "ts" && b.code.includes("createEvsClient("),
  );
  expect(readme).toContain('Against the mock: `endpoint: "http://127.0.0.1:4010"` with any token');
  const endpoint = /endpoint: evsEndpoint\(\{[^}]*\}\),?/;
  expect(example).toMatch(endpoint);
  const script = `${example.replace(endpoint, `endpoint: ${JSON.stringify(mock.url)},`)}\nconsole.log("README EXAMPLE DONE", snapshot.id);\n`;
  const file = path.join(work, "readme-example.ts");
  await writeFile(file, script);
  const result = await run(process.execPath, [file], root, { EVS_TOKEN: "any-token" });
  expect(result.stderr).toBe("");
  expect(result.ok).toBe(true);
  const id = /README EXAMPLE DONE (\S+)/.exec(result.stdout)?.[1];
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  // It iterated the snapshot it created (printed with its size), and the update went through.
  expect(result.stdout).toContain(`${id} `);
  const shown = await fetch(
    `${mock.url}/v2/20a68d6b7a124ae2b6b8a22046ee5966/cloudsnapshots/${id}`,
    {
      headers: { "X-Auth-Token": "t" },
    },
  );
  expect(await shown.json()).toMatchObject({
    snapshot: { id, status: "available", description: "kept for 30 days" },
  });
});

test("the mock README's vitest globalSetup runs as written", { timeout: 120_000 }, async () => {
  const readme = await readFile(path.join(root, "packages/mock/README.md"), "utf8");
  const blocks = codeBlocks(readme);
  const project = path.join(work, "vitest-project");
  await mkdir(project);
  for (const name of ["global-setup.ts", "vitest.config.ts", "snapshots.test.ts"]) {
    const code = only(blocks, name, (b) => b.lang === "ts" && b.code.startsWith(`// ${name}\n`));
    await writeFile(path.join(project, name), code);
  }
  await writeFile(
    path.join(project, "package.json"),
    JSON.stringify({ type: "module", private: true }),
  );
  const result = await run(process.execPath, [vitestCli, "run", "--root", project], project);
  expect(result.stdout + result.stderr).toMatch(/1 passed/);
  expect(result.ok).toBe(true);
});

test("the mock README's CI shell script runs as written and stops the mock", {
  timeout: 120_000,
}, async () => {
  const readme = await readFile(path.join(root, "packages/mock/README.md"), "utf8");
  const script = only(
    codeBlocks(readme),
    "CI script",
    (b) => b.lang === "sh" && b.code.startsWith("#!/usr/bin/env bash"),
  );
  expect(script).toContain("npm test");
  // The script's own test command becomes one list call against the mock it started.
  const check = `node -e "fetch(process.env.EVS_ENDPOINT + '/v2/ci/cloudsnapshots/detail', { headers: { 'X-Auth-Token': 't' } }).then((r) => process.exit(r.status === 200 ? 0 : 1))"`;
  const file = path.join(work, "ci.sh");
  await writeFile(file, script.replace("npm test", check));
  const port = await freePort();
  const result = await run("bash", [file], work, {
    EVS_MOCK_PORT: String(port),
    PATH: `${path.join(root, "node_modules/.bin")}:${process.env.PATH}`,
  });
  expect(result.stderr).toBe("");
  expect(result.ok).toBe(true);
  // The trap stopped the mock: its port is free again.
  const health = `http://127.0.0.1:${port}/__evs-mock/health`;
  await expect
    .poll(
      () =>
        fetch(health).then(
          () => "up",
          () => "down",
        ),
      { timeout: 5000 },
    )
    .toBe("down");
});
