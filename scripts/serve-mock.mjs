#!/usr/bin/env node
// `npm start` (after `npm run build`) and `npm run mock`: serves @evs-toolkit/mock — by
// default the stateful emulator behind Prism — on 127.0.0.1:4010 (PORT or --port to
// change; --mode static for Prism's examples), and says where the built docs are.
// Ctrl-C (SIGINT) or SIGTERM stops the mock's process too.
import path from "node:path";
import { parseArgs } from "node:util";
import { startMock } from "@evs-toolkit/mock";
import { DOCS_FILES } from "./build-docs.mjs";

let values;
try {
  ({ values } = parseArgs({
    options: { mode: { type: "string" }, port: { type: "string" }, verbose: { type: "boolean" } },
  }));
} catch (error) {
  console.error(`serve-mock: ${error.message.split(". ")[0]}`);
  process.exit(2);
}
let mock;
try {
  mock = await startMock({
    mode: values.mode ?? "stateful",
    port: Number(values.port ?? process.env.PORT ?? 4010),
    log: values.verbose ? (line) => console.log(line) : undefined,
  });
} catch (error) {
  console.error(`serve-mock: ${error.message}`);
  process.exit(1);
}
const stateful = mock.mode === "stateful";
const shown = (file) => path.relative(process.cwd(), file) || file;
console.log(`
EVS snapshot mock (${mock.mode}): ${mock.url}
  Try: curl -H 'X-Auth-Token: any' ${mock.url}/v2/demo/cloudsnapshots/detail   (a token or an AK/SK signature is required)
  ${stateful ? "It remembers: create, list, show, update, delete and roll back snapshots in any project." : "Answers are the spec's examples."}
  Pick a documented answer with a header: Prefer: code=404  or  Prefer: code=404, example=fault
  Control API (health, reset, seed, fault rules): ${mock.controlUrl}/openapi.yaml
API docs (open in a browser, works offline): ${shown(DOCS_FILES.start)}
  (English reference: ${shown(DOCS_FILES.en)}, 简体中文: ${shown(DOCS_FILES["zh-CN"])})
Stop with Ctrl-C.`);
const shutdown = () => mock.stop().then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
