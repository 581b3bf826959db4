// Every code block of packages/client/README.md runs as written, as a user would run it.
// The README's own install commands pack the client and install the tarball into an empty
// project outside the repository; every `<!-- example: NAME -->` block becomes a file
// there, is type-checked (TypeScript 5.9, strict) against the installed package's
// exports, then run with `node` (which strips the types) against a stateful mock started
// here, with EVS_ENDPOINT set as the README says. Each example's output and its effect on
// the mock are checked below; a block with neither marker, or a marker this file has no
// check for, fails the first test.
import { execFile } from "node:child_process";
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DEFAULT_CREDENTIALS, type RunningMock, startMock } from "@evs-toolkit/mock";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { bundleOptions } from "../../packages/client/bundle-options.mjs";
import { type CodeBlock, codeBlocks } from "../support/markdown-examples.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const README = path.join(root, "packages/client/README.md");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const PROJECT = "20a68d6b7a124ae2b6b8a22046ee5966";
const VOLUME = "5aa119a8-d25b-45a7-8d1b-88e127885635";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// Nested runs must not inherit the outer npm/vitest run's settings, nor the examples' own
// variables from the developer's shell (a real EVS_STS would be sent to the mock).
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^(npm_|VITEST|TEST$|NODE_OPTIONS$|EVS_)/i.test(key),
  ),
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
  timeout = 30_000,
): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd,
      env: { ...env, ...extraEnv },
      timeout,
      maxBuffer: 8 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof failed.code === "number" ? failed.code : -1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr || failed.message,
    };
  }
}

let work = "";
let mock: RunningMock;
let blocks: CodeBlock[] = [];
let installRuns: Run[] = [];
let typeCheck: Promise<Run> = Promise.resolve({ code: -1, stdout: "", stderr: "not started" });

/** Against the mock, with the credentials the README tells the reader to use there. */
function runExample(name: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, [path.join("examples", `${name}.ts`)], work, {
    EVS_ENDPOINT: mock.url,
    EVS_TOKEN: "any-token",
    EVS_AK: DEFAULT_CREDENTIALS.accessKey,
    EVS_SK: DEFAULT_CREDENTIALS.secretKey,
    ...extraEnv,
  });
}

async function ranCleanly(name: string): Promise<string[]> {
  const result = await runExample(name);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout.trimEnd().split("\n");
}

/** The mock's state, read over HTTP as any client would (not through the examples' code). */
async function show(id: string): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(`${mock.url}/v2/${PROJECT}/cloudsnapshots/${id}`, {
    headers: { "X-Auth-Token": "t" },
  });
  return { status: answer.status, body: await answer.json() };
}
async function listed(): Promise<{ id: string; name: string | null; status: string }[]> {
  const answer = await fetch(`${mock.url}/v2/${PROJECT}/cloudsnapshots/detail`, {
    headers: { "X-Auth-Token": "t" },
  });
  return ((await answer.json()) as { snapshots: never[] }).snapshots;
}

/**
 * dist/ is what the examples run, packed without its prepack build (see install()): it must
 * be what the build makes of src/ now. esbuild is deterministic, so the JavaScript is
 * rebuilt in memory with the build's own options and compared file by file.
 */
async function assertDistFresh(): Promise<void> {
  const { outputFiles = [] } = await build({ ...bundleOptions, write: false });
  for (const file of outputFiles.filter((output) => output.path.endsWith(".js"))) {
    const onDisk = await readFile(file.path, "utf8").catch(() => undefined);
    if (onDisk !== file.text)
      throw new Error(
        `${path.relative(root, file.path)} is not built from src/ as it is now: run \`npm run build\``,
      );
  }
}

/**
 * The install block, one command at a time, each where its comment says. `<version>` is the
 * placeholder for the client's version. The tarball goes to the empty project (npm's
 * pack-destination, set by environment, so the command stays as written), and scripts are
 * off: prepack would rebuild dist/ under the other suites reading it (`npm run build` made it).
 */
async function install(block: CodeBlock): Promise<Run[]> {
  const { version } = JSON.parse(
    await readFile(path.join(root, "packages/client/package.json"), "utf8"),
  ) as { version: string };
  const where: Record<string, string> = {
    "in a clone of this repository": root,
    "in your project": work,
  };
  await assertDistFresh();
  const runs: Run[] = [];
  for (const line of block.code.split("\n").filter((l) => l.trim())) {
    const [, command = "", comment = ""] = /^(.*?)\s*#\s*([^:]*)/.exec(line) ?? [];
    const cwd = where[comment.trim()];
    if (!cwd) throw new Error(`README line "${line}": no known place to run it ("${comment}")`);
    const result = await run(
      "bash",
      ["-c", command.replace("<version>", version)],
      cwd,
      {
        npm_config_pack_destination: work,
        npm_config_ignore_scripts: "true",
        npm_config_prefer_offline: "true",
        npm_config_audit: "false",
        npm_config_fund: "false",
      },
      90_000,
    );
    if (result.code !== 0)
      throw new Error(`${command} failed:\n${result.stdout}\n${result.stderr}`);
    runs.push(result);
  }
  return runs;
}

/**
 * tsc over every example, as a Node project would have it set up (what `node file.ts` can
 * run is what these options allow). Started once the files exist, so it runs while the
 * examples do; its test awaits it.
 */
async function typeCheckExamples(): Promise<Run> {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    lib: ["es2023"],
    types: ["node"],
    typeRoots: [path.join(root, "node_modules/@types")],
    verbatimModuleSyntax: true,
    erasableSyntaxOnly: true,
    skipLibCheck: true,
  };
  await writeFile(
    path.join(work, "tsconfig.json"),
    JSON.stringify({ compilerOptions, include: ["examples/*.ts"] }),
  );
  return run(process.execPath, [tsc, "-p", ".", "--pretty", "false"], work, {}, 60_000);
}

beforeAll(async () => {
  blocks = codeBlocks(await readFile(README, "utf8"));
  work = await mkdtemp(path.join(tmpdir(), "evs-client-readme-"));
  await writeFile(
    path.join(work, "package.json"),
    JSON.stringify({ name: "readme-examples", private: true, type: "module" }),
  );
  await mkdir(path.join(work, "examples"));
  for (const block of blocks)
    if (block.marker && "run" in block.marker && block.lang === "ts")
      await writeFile(path.join(work, "examples", `${block.marker.run}.ts`), block.code);
  const installBlock = blocks.find(
    (b) => b.marker && "run" in b.marker && b.marker.run === "install",
  );
  [mock, installRuns] = await Promise.all([
    startMock({ port: 0, seed: "client-readme", transitionMs: 0 }),
    installBlock ? install(installBlock) : Promise.resolve([]),
  ]);
  typeCheck = typeCheckExamples().catch((error: Error) => ({
    code: -1,
    stdout: "",
    stderr: error.message,
  }));
}, 120_000);
afterAll(async () => {
  await mock?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await mock?.reset();
});

/** What each example must print and do. A README example without an entry here fails. */
const CHECKS: Record<string, () => Promise<void>> = {
  async install() {
    expect(installRuns).toHaveLength(2);
    const installed = path.join(work, "node_modules/@evs-toolkit/client");
    // A real copy from the tarball, not a link to the workspace.
    expect((await lstat(installed)).isSymbolicLink()).toBe(false);
    const manifest = JSON.parse(await readFile(path.join(installed, "package.json"), "utf8"));
    const workspace = JSON.parse(
      await readFile(path.join(root, "packages/client/package.json"), "utf8"),
    );
    expect([manifest.name, manifest.version]).toEqual([workspace.name, workspace.version]);
    expect((await lstat(path.join(installed, "dist/index.js"))).isFile()).toBe(true);
  },

  async token() {
    const [line, ...rest] = await ranCleanly("token");
    expect(rest).toEqual([]);
    const id = new RegExp(`^(${UUID}) available$`).exec(line!)?.[1];
    expect(id, line).toBeDefined();
    expect(await show(id!)).toMatchObject({
      status: 200,
      body: {
        snapshot: {
          name: "before-upgrade",
          description: "taken before the 2.0 upgrade",
          status: "available",
        },
      },
    });
  },

  async aksk() {
    await mock.seed({ project_id: PROJECT, count: 4 });
    expect(await ranCleanly("aksk")).toEqual(["signed and accepted: 4 snapshots"]);
    // The mock checks the signature: with another secret key the same program is refused,
    // and the key does not appear in what it prints.
    const wrongKey = "not-the-mocks-secret-key";
    const refused = await runExample("aksk", { EVS_SK: wrongKey });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/EvsApiError.*401|401.*APIG\.0301/s);
    expect(refused.stdout + refused.stderr).not.toContain(wrongKey);
  },

  async "sign-request"() {
    expect(await ranCleanly("sign-request")).toEqual([
      `200 SDK-HMAC-SHA256 Access=${DEFAULT_CREDENTIALS.accessKey}`,
    ]);
    const refused = await runExample("sign-request", { EVS_SK: "not-the-mocks-secret-key" });
    expect(refused.stdout).toMatch(/^401 /);
  },

  async listing() {
    const [counts, rest, ...names] = await ranCleanly("listing");
    expect([counts, rest]).toEqual(["3 2", "1"]);
    expect(names.sort()).toEqual(["a", "b", "c"]);
    expect((await listed()).map((s) => s.name).sort()).toEqual(["a", "b", "c"]);
  },

  async "show-rollback-delete"() {
    const lines = await ranCleanly("show-rollback-delete");
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^disk ${VOLUME} rolled back to ${UUID}$`)),
      expect.stringMatching(new RegExp(`^snapshot ${UUID} deleted$`)),
    ]);
    const id = lines[1]!.split(" ")[1]!;
    expect(lines[0]).toContain(id);
    expect((await show(id)).status).toBe(404);
    expect(await listed()).toEqual([]);
  },

  async waiting() {
    const [line, ...rest] = await ranCleanly("waiting");
    expect(rest).toEqual([]);
    const id = new RegExp(`^(${UUID}) was available, now it is gone$`).exec(line!)?.[1];
    expect(id, line).toBeDefined();
    expect((await show(id!)).status).toBe(404);
  },

  async errors() {
    expect(await ranCleanly("errors")).toEqual([
      expect.stringMatching(/^gone: EVS\.5404, request [0-9a-f]{32}$/),
      expect.stringMatching(/^bad name: .*255/),
    ]);
    expect(await listed()).toEqual([]);
  },

  async retries() {
    const lines = await ranCleanly("retries");
    const path = `/v2/${PROJECT}/cloudsnapshots/detail`;
    expect(lines).toEqual([
      `retry 1 of GET ${path}: EvsNetworkError`,
      `retry 2 of GET ${path}: EvsNetworkError`,
      "listed 0 snapshots on the third attempt",
    ]);
    // Both dropped connections were used up by the example's list.
    const faults = await fetch(`${mock.controlUrl}/faults`).then((r) => r.json());
    expect(faults).toEqual({ rules: [] });
  },

  async raw() {
    const [line, ...rest] = await ranCleanly("raw");
    expect(rest).toEqual([]);
    const [status, count, error] = line!.split(" ", 3);
    expect([status, count]).toEqual(["404", "undefined"]);
    // raw's `error` (as openapi-fetch's): the parsed body of the mock's example fault.
    expect(JSON.parse(line!.slice(`${status} ${count} `.length))).toEqual({
      itemNotFound: { code: 404, message: expect.stringMatching(/could not be found/) },
    });
    expect(error).toMatch(/^\{"itemNotFound"/);
  },

  async types() {
    // The type check (the test above) holds its `@ts-expect-error`; at run time it prints.
    expect(await ranCleanly("types")).toEqual(["true false"]);
  },
};

test("every code block of the client README is run here, or marked not run with a reason", () => {
  const unmarked = blocks.filter((b) => !b.marker).map((b) => `line ${b.line} (${b.lang})`);
  expect(
    unmarked,
    "blocks with neither <!-- example: NAME --> nor <!-- not run: REASON -->",
  ).toEqual([]);
  const reasonless = blocks.filter((b) => b.marker && "notRun" in b.marker && !b.marker.notRun);
  expect(reasonless.map((b) => `line ${b.line}`)).toEqual([]);
  const names = blocks.flatMap((b) => (b.marker && "run" in b.marker ? [b.marker.run] : []));
  expect(new Set(names).size, "example names are unique").toBe(names.length);
  expect(names.sort()).toEqual(Object.keys(CHECKS).sort());
  // Only TypeScript programs and the install commands have a way to run here.
  const runnable = blocks.filter((b) => b.marker && "run" in b.marker);
  expect(
    runnable.filter((b) => b.lang !== "ts" && (b.marker as { run: string }).run !== "install"),
  ).toEqual([]);
});

test("the block reader tells run, not-run and unmarked blocks apart, and refuses an open fence", () => {
  const markdown = [
    "<!-- example: one -->",
    "```ts",
    "console.log(1);",
    "```",
    "<!-- not run: output shown -->",
    "```text",
    "1",
    "```",
    "",
    "```sh",
    "echo unmarked",
    "```",
    "<!-- not run: -->",
    "```ts",
    "```",
  ].join("\n");
  expect(codeBlocks(markdown).map(({ lang, line, marker }) => ({ lang, line, marker }))).toEqual([
    { lang: "ts", line: 2, marker: { run: "one" } },
    { lang: "text", line: 6, marker: { notRun: "output shown" } },
    { lang: "sh", line: 10, marker: undefined },
    { lang: "ts", line: 14, marker: { notRun: "" } },
  ]);
  expect(codeBlocks(markdown)[0]!.code).toBe("console.log(1);\n");
  expect(() => codeBlocks("text\n```ts\nopen")).toThrow(
    /line 2: the code fence ``` is never closed/,
  );
});

for (const [name, check] of Object.entries(CHECKS))
  test(`example "${name}" does what the README says`, check);

test("the examples type-check against the installed package (TypeScript 5.9, strict)", {
  timeout: 60_000,
}, async () => {
  const result = await typeCheck;
  expect(result.stdout).toBe("");
  expect(result.code).toBe(0);
});
