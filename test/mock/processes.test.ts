// Starting and stopping: stop(), SIGINT and SIGTERM end every process the mock started and
// free its port; a parent that dies takes the mock with it; a bad option or a busy port is
// one clear line and a non-zero exit, not Prism's help.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { CLI, startMock } from "@evs-toolkit/mock";
import { describe, expect, test } from "vitest";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The port answers nothing any more and can be bound again. */
async function portIsFree(port: number): Promise<boolean> {
  const server: Server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function runCli(args: string[]): {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
} {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = /listening on (\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once("exit", () => reject(new Error(`exited: ${text}`)));
  });
  url.catch(() => {}); // the bad-start tests expect it to exit
  return { child, output: () => text, url };
}

describe.each(["stateful", "static"] as const)("the %s mode", (mode) => {
  test("stop() ends the process and frees the port", async () => {
    const mock = await startMock({ mode, port: 0 });
    const port = Number(new URL(mock.url).port);
    expect((await fetch(`${mock.url}/__evs-mock/health`)).status).toBe(200);
    await mock.stop();
    expect(isRunning(mock.pid)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
    await mock.stop(); // a second stop is harmless
  });

  test.each(["SIGINT", "SIGTERM"] as const)(
    "%s ends the CLI cleanly and frees the port",
    async (signal) => {
      const cli = runCli(["--mode", mode, "--port", "0"]);
      const url = await cli.url;
      const port = Number(new URL(url).port);
      cli.child.kill(signal);
      const [code] = await once(cli.child, "exit");
      expect(code).toBe(0);
      expect(await portIsFree(port)).toBe(true);
    },
  );
});

test("the mock ends when the process that started it dies without stopping it", async () => {
  // A parent that starts a mock, prints its pid and port, and is then killed hard.
  const script = `
    const { startMock } = await import(${JSON.stringify(new URL("../../packages/mock/dist/index.js", import.meta.url).href)});
    const mock = await startMock({ port: 0 });
    console.log(JSON.stringify({ pid: mock.pid, port: new URL(mock.url).port }));
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(parent.stdout!, "data")) as [Buffer];
  const { pid, port } = JSON.parse(line.toString()) as { pid: number; port: string };
  expect(isRunning(pid)).toBe(true);
  parent.kill("SIGKILL");
  await expect.poll(() => isRunning(pid), { timeout: 5000 }).toBe(false);
  expect(await portIsFree(Number(port))).toBe(true);
});

describe("a bad start is one clear line", () => {
  test.each([
    [["--prot", "1"], /^evs-mock: Unknown option '--prot'.*\(see evs-mock --help\)$/],
    [
      ["--mode", "dynamic"],
      /^evs-mock: --mode must be stateful or static, got "dynamic" \(see evs-mock --help\)$/,
    ],
    [
      ["--port", "70000"],
      /^evs-mock: --port must be an integer from 0 to 65535, got "70000" \(see evs-mock --help\)$/,
    ],
    [
      ["--access-key", "AK"],
      /^evs-mock: --access-key and --secret-key go together \(see evs-mock --help\)$/,
    ],
  ])("%j", async (args, expected) => {
    const cli = runCli(args as string[]);
    const [code] = await once(cli.child, "exit");
    expect(code).toBe(2);
    const lines = cli.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected as RegExp);
  });

  test("a busy port", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
    const { port } = blocker.address() as { port: number };
    try {
      const cli = runCli(["--port", String(port)]);
      const [code] = await once(cli.child, "exit");
      expect(code).toBe(1);
      expect(cli.output().trim()).toBe(`evs-mock: port ${port} on 127.0.0.1 is already in use`);
      await expect(startMock({ port })).rejects.toThrow(
        `evs-mock: port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      blocker.close();
    }
  });
});
