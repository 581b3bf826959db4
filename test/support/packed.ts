/**
 * What the package tests share: a package as a team gets it (`npm pack`, whose prepack runs
 * the package's build, then the tarball installed into an empty project outside the
 * repository), and commands run there with the environment a fresh project would have.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/** No npm_* variables of an outer `npm test`, and nothing of the outer vitest run. */
export const freshEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|TEST$|NODE_OPTIONS$)/i.test(key)),
);

export interface Run {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export async function run(command: string, args: string[], cwd: string): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd,
      env: freshEnv,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 170_000,
    });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, stdout: failed.stdout ?? "", stderr: failed.stderr || failed.message };
  }
}

/** Its stdout, or an error with the command and all it printed. */
export async function runOk(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (!result.ok)
    throw new Error(
      `${path.basename(command)} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}

export interface PackedInstall {
  /** The temporary folder holding the tarball and the consumer project; remove() deletes it. */
  work: string;
  /** The empty project (ESM) the tarball is installed into. */
  consumer: string;
  tarball: string;
  /** The paths in the tarball (`package/…`). */
  files: string[];
  remove(): Promise<void>;
}

/** Packs `packageDir` and installs the tarball, plus `alongside` (other package specs), into an empty project. */
export async function packAndInstall(
  packageDir: string,
  alongside: string[] = [],
): Promise<PackedInstall> {
  const work = await mkdtemp(path.join(tmpdir(), `evs-${path.basename(packageDir)}-pack-`));
  const consumer = path.join(work, "consumer");
  await runOk("npm", ["pack", "--pack-destination", work], packageDir);
  const name = (await readdir(work)).find((file) => file.endsWith(".tgz"));
  if (!name) throw new Error(`npm pack wrote no tarball into ${work}`);
  const tarball = path.join(work, name);
  const files = (await runOk("tar", ["-tzf", tarball], work)).split("\n").filter(Boolean);
  await mkdir(consumer);
  await writeFile(
    path.join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  await runOk(
    "npm",
    ["install", tarball, ...alongside, "--prefer-offline", "--no-audit", "--no-fund"],
    consumer,
  );
  return {
    work,
    consumer,
    tarball,
    files,
    remove: () => rm(work, { recursive: true, force: true }),
  };
}
