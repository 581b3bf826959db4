// Starts the Prism mock on the bundled spec and resolves once it listens. Used by
// `npm start` and by the test suite's global setup, so both run the same mock.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLED_SPEC = path.join(root, "openapi/bundled/evs-snapshots.yaml");
const prismCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json")),
  "dist/index.js",
);

/**
 * @param {{ port?: number, host?: string, errors?: boolean, timeoutMs?: number, log?: (line: string) => void }} [options]
 * `errors`: answer a response that violates the spec with 500 instead of passing it on.
 */
export function startPrism({
  port = 4010,
  host = "127.0.0.1",
  errors = false,
  timeoutMs = 30_000,
  log = () => {},
} = {}) {
  const args = [prismCli, "mock", BUNDLED_SPEC, "--host", host, "--port", String(port)];
  if (errors) args.push("--errors");
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const url = `http://${host}:${port}`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Prism did not start on ${url} within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line.trim()) log(line);
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve({ url, stop, process: child });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with code ${code} before listening on ${url}:\n${output}`));
    });
  });
}
