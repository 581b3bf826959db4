#!/usr/bin/env -S node --max-semi-space-size=1
/**
 * evs-mock: serves the EVS snapshot API mock until SIGINT/SIGTERM (or, with
 * --exit-with-stdin, until the parent that started it goes away). Prints one line with its
 * URL; a bad option or a busy port is one line on stderr and a non-zero exit.
 *
 * `--max-semi-space-size=1` (in the shebang, and passed by startMock): V8's default young
 * generation keeps ~70 MB of RSS this server does not need; with it, the whole mock holding
 * 100,000 snapshots stays under 200 MB.
 */
import { parseArgs } from "node:util";
import { DEFAULT_CREDENTIALS } from "./emulator/auth.js";
import { MODES, type MockMode, runServer, type ServerOptions } from "./server.js";

const HELP = `Usage: evs-mock [options]

Serves the EVS snapshot API (both path families) on one URL, validated by Prism.

  --mode stateful|static  stateful (default): an emulator that remembers what it is told;
                          static: Prism's examples, chosen with a Prefer header
  --port N                port to listen on (default 4010; 0 picks a free port)
  --host H                address to listen on (default 127.0.0.1)
  --seed S                seed of the snapshot ids (same seed, same ids)
  --transition-ms N|manual  how long creating/deleting/rolling back takes (default 1000;
                          manual: until POST /__evs-mock/advance)
  --quota N               snapshots per project before create answers 413 (default 10000)
  --access-key AK --secret-key SK   the AK/SK pair the gateway accepts
                          (default ${DEFAULT_CREDENTIALS.accessKey} / ${DEFAULT_CREDENTIALS.secretKey})
  --verbose               one log line per request
  --help                  this text

The control API (health, reset, seed, fault rules) is under /__evs-mock/ on the same URL.`;

class UsageError extends Error {}

function integer(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new UsageError(
      `--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  return Number(raw);
}

function parse(argv: string[]): (ServerOptions & { exitWithStdin: boolean }) | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        mode: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        "transition-ms": { type: "string" },
        quota: { type: "string" },
        "access-key": { type: "string" },
        "secret-key": { type: "string" },
        verbose: { type: "boolean" },
        help: { type: "boolean" },
        "exit-with-stdin": { type: "boolean" },
      },
    }));
  } catch (error) {
    // Node's message names the option; the first sentence is the whole story.
    throw new UsageError(
      String((error as Error).message)
        .split(". ")[0]!
        .replace(/\.$/, ""),
    );
  }
  if (values.help) return "help";
  const mode = (values.mode ?? "stateful") as MockMode;
  if (!MODES.includes(mode))
    throw new UsageError(
      `--mode must be ${MODES.join(" or ")}, got ${JSON.stringify(values.mode)}`,
    );
  const transition = values["transition-ms"] as string | undefined;
  const accessKey = values["access-key"] as string | undefined;
  const secretKey = values["secret-key"] as string | undefined;
  if ((accessKey === undefined) !== (secretKey === undefined))
    throw new UsageError("--access-key and --secret-key go together");
  if (mode === "static")
    for (const name of ["seed", "transition-ms", "quota", "access-key"])
      if (values[name] !== undefined)
        throw new UsageError(`--${name} applies to --mode stateful only`);
  return {
    mode,
    port: integer("port", values.port as string | undefined, 0, 65535) ?? 4010,
    host: (values.host as string | undefined) ?? "127.0.0.1",
    seed: values.seed as string | undefined,
    transitionMs:
      transition === "manual" ? "manual" : integer("transition-ms", transition, 0, 3_600_000),
    quota: integer("quota", values.quota as string | undefined, 1, 1_000_000),
    credentials: accessKey && secretKey ? [{ accessKey, secretKey }] : undefined,
    log: values.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    exitWithStdin: Boolean(values["exit-with-stdin"]),
  };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`evs-mock: ${(error as Error).message} (see evs-mock --help)\n`);
    process.exit(2);
  }
  if (options === "help") {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  // The last line of defence: a fault nobody caught is reported, and the mock keeps serving.
  process.on("uncaughtException", (error) =>
    process.stderr.write(`evs-mock: internal error: ${error.message}\n`),
  );
  process.on("unhandledRejection", (error) =>
    process.stderr.write(`evs-mock: internal error: ${(error as Error)?.message ?? error}\n`),
  );
  let server: Awaited<ReturnType<typeof runServer>> | undefined;
  let stopping = false;
  // Registered before starting, so a signal during start-up ends us cleanly too.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (!server) process.exit(0);
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    server.close().finally(() => process.exit(0));
  };
  // `on`, not `once`: a library with its own signal handler (signal-exit) re-raises the
  // signal when it finds no other listener left, which would kill us mid-stop.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // Started through a wrapper (npx runs `sh -c evs-mock`), a signal may end the wrapper and
  // not us; re-parenting tells us, so no orphan keeps the port.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 250).unref();
  try {
    server = await runServer(options);
  } catch (error) {
    process.stderr.write(`evs-mock: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`EVS mock (${server.mode}) listening on ${server.url}\n`);
  if (options.exitWithStdin) {
    process.stdin.on("end", stop);
    process.stdin.on("close", stop);
    process.stdin.resume();
  }
}

await main();
