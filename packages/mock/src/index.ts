/**
 * @evs-toolkit/mock — the EVS snapshot API mock for contract tests: Prism validating every
 * request and response, in front of a stateful emulator (or answering from the spec's
 * examples). startMock() runs the `evs-mock` CLI in a child process and talks to its control
 * API; stop() ends it, and the child also ends when this process does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export type MockMode = "stateful" | "static";

export { DEFAULT_CREDENTIALS } from "./credentials.js";

export interface StartMockOptions {
  /** "stateful" (default) or "static" (Prism's examples only). */
  mode?: MockMode;
  /** 0 (default here) picks a free port. */
  port?: number;
  host?: string;
  /** Seed of the snapshot ids: the same seed gives the same ids in the same order. */
  seed?: string;
  /** How long creating/deleting/rolling back takes: ms (default 1000), 0, or "manual" (see advance()). */
  transitionMs?: number | "manual";
  /** Snapshots per project before create answers 413 (default 10,000). */
  quota?: number;
  /** The AK/SK pair the gateway accepts (default DEFAULT_CREDENTIALS). */
  credentials?: { accessKey: string; secretKey: string };
  /** Receives the mock's log lines (one per request when given). */
  log?: (line: string) => void;
  /** How long to wait for the mock to listen (default 30 s). */
  startTimeoutMs?: number;
}

export interface SeedOptions {
  project_id: string;
  count?: number;
  name_prefix?: string;
  status?: string;
  description?: string;
  volume_ids?: string[];
  availability_zone?: string;
  enterprise_project_id?: string;
  service_type?: string;
  dedicated_storage_id?: string;
  dedicated_storage_name?: string;
  metadata?: Record<string, string>;
}

export interface FaultRule {
  /** An operationId of the spec (e.g. "createSnapshotNative") or "*". */
  operation: string;
  /** Answer with this documented status; the body is the spec's example for it. */
  status?: number;
  /** Which example (e.g. "fault", "native", "apiGateway"); default the first. */
  example?: string;
  delayMs?: number;
  /** Close the connection without answering. */
  drop?: boolean;
  /** For the next N calls (default 1). */
  times?: number;
}

export interface RunningMock {
  /** Base URL of the API, e.g. http://127.0.0.1:41234 (use it as the client's endpoint). */
  url: string;
  /** Base URL of the control API (`${url}/__evs-mock`). */
  controlUrl: string;
  mode: MockMode;
  /** The mock's process id. */
  pid: number;
  /** Empties the store, clears the fault rules and restarts the id sequence. */
  reset(): Promise<void>;
  /** Adds `count` snapshots to a project at once; answers their ids (the first 1,000). */
  seed(options: SeedOptions): Promise<{ created: number; ids: string[] }>;
  addFault(rule: FaultRule): Promise<{ id: number }>;
  clearFaults(): Promise<void>;
  /** Completes pending transitions now (all, or one snapshot's). */
  advance(snapshotId?: string): Promise<number>;
  /** Sets the status of a disk (rollback needs `available` or `error_rollbacking`). */
  setDiskStatus(projectId: string, volumeId: string, status: string): Promise<void>;
  health(): Promise<{ status: string; mode: MockMode; snapshots?: number; projects?: number }>;
  /** Ends the mock's process; resolves when it has exited. */
  stop(): Promise<void>;
}

export const CLI = fileURLToPath(new URL("./cli.js", import.meta.url));
/** The flags of the CLI's shebang (see cli.ts): a small young generation keeps RSS bounded. */
const NODE_FLAGS = ["--max-semi-space-size=1"];

function cliArguments(options: StartMockOptions): string[] {
  const args = ["--port", String(options.port ?? 0), "--exit-with-stdin"];
  if (options.mode) args.push("--mode", options.mode);
  if (options.host) args.push("--host", options.host);
  if (options.seed !== undefined) args.push("--seed", options.seed);
  if (options.transitionMs !== undefined)
    args.push("--transition-ms", String(options.transitionMs));
  if (options.quota !== undefined) args.push("--quota", String(options.quota));
  if (options.credentials)
    args.push(
      "--access-key",
      options.credentials.accessKey,
      "--secret-key",
      options.credentials.secretKey,
    );
  if (options.log) args.push("--verbose");
  return args;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
  });
}

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const child = spawn(process.execPath, [...NODE_FLAGS, CLI, ...cliArguments(options)], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  // If this process ends without stop(), the child sees its stdin close and ends too;
  // on a normal exit it is also signalled directly.
  const onExit = () => child.kill("SIGTERM");
  process.once("exit", onExit);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the EVS mock did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(output.trim() || `the EVS mock exited with code ${code} before listening`));
    });
  });
  child.stdout!.removeAllListeners("data");
  child.stderr!.removeAllListeners("data");
  const log = options.log;
  if (log)
    child.stderr!.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) log(line);
    });
  else child.stderr!.resume();
  child.stdout!.resume();

  const controlUrl = `${url}/__evs-mock`;
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!response.ok)
      throw new Error(
        `EVS mock control ${method} ${path}: ${response.status} ${parsed?.error ?? text}`,
      );
    return parsed as T;
  };
  const mode = options.mode ?? "stateful";
  let stopped: Promise<void> | undefined;
  return {
    url,
    controlUrl,
    mode,
    pid: child.pid!,
    reset: () => control("POST", "/reset").then(() => undefined),
    seed: (seedOptions) => control("POST", "/snapshots", seedOptions),
    addFault: (rule) =>
      control<{ rule: { id: number } }>("POST", "/faults", rule).then((r) => r.rule),
    clearFaults: () => control("DELETE", "/faults").then(() => undefined),
    advance: (snapshotId) =>
      control<{ advanced: number }>(
        "POST",
        "/advance",
        snapshotId ? { snapshot_id: snapshotId } : {},
      ).then((r) => r.advanced),
    setDiskStatus: (projectId, volumeId, status) =>
      control("POST", "/disks", { project_id: projectId, volume_id: volumeId, status }).then(
        () => undefined,
      ),
    health: () => control("GET", "/health"),
    stop() {
      stopped ??= (async () => {
        process.removeListener("exit", onExit);
        const done = exited(child);
        child.kill("SIGTERM");
        const force = setTimeout(() => child.kill("SIGKILL"), 5000);
        await done;
        clearTimeout(force);
      })();
      return stopped;
    },
  };
}
