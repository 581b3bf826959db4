#!/usr/bin/env node
// Runs the client's unit, integration, fault and pack tests on every Node line the client
// claims in its `engines` (22, 24, 26), each with the official binary from the npm registry
// (scripts/ci/node.sh). The mock the tests talk to (Prism needs Node >= 24.18) is started
// once here, on the Node running this script, and handed to each run by URL.
//   node scripts/test-node-lines.mjs            every line
//   node scripts/test-node-lines.mjs --others   every line but this Node's (npm test covers it)
//   node scripts/test-node-lines.mjs 22.23.5    one version
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMock } from "@evs-toolkit/mock";

const root = fileURLToPath(new URL("..", import.meta.url));
/** The newest release of each line the client's engines field claims (^22.12 || >=24). */
const LINES = ["22.23.5", "24.22.3", "26.12.1"];
const SUITES = ["test/client", "test/fault", "test/package"];
const vitest = path.join(root, "node_modules/vitest/vitest.mjs");

const args = process.argv.slice(2);
const major = (version) => version.split(".")[0];
const versions =
  args[0] === "--others"
    ? LINES.filter((version) => major(version) !== major(process.versions.node))
    : args.length > 0
      ? args
      : LINES;
const prism = await startMock({ mode: "static", port: 0 });

function runOn(version) {
  const binDir = execFileSync("bash", [path.join(root, "scripts/ci/node.sh"), version], {
    encoding: "utf8",
  }).trim();
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(
      path.join(binDir, "node"),
      [vitest, "run", "--config", "test/vitest.config.ts", ...SUITES],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          // npm and npx in the pack test run on this line's Node too.
          PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
          EVS_TEST_PRISM_URL: prism.url,
        },
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => {
      const summary = output
        .split("\n")
        .filter((line) => /Test Files|Tests |FAIL|×/.test(line))
        .join("\n");
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      console.log(
        `node ${version}: ${code === 0 ? "passed" : "FAILED"} in ${seconds} s\n${summary}`,
      );
      if (code !== 0) console.log(output.slice(-4000));
      resolve(code === 0);
    });
  });
}

let ok = true;
try {
  // One line at a time: the machine is small, and the suites have real servers and timers.
  for (const version of versions) ok = (await runOn(version)) && ok;
} finally {
  await prism.stop();
}
process.exit(ok ? 0 : 1);
