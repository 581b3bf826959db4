#!/usr/bin/env node
// `npm start` (after `npm run build`): serves the Prism contract mock on 127.0.0.1:4010
// with request validation, and says where the built docs are.
import path from "node:path";
import { DOCS_FILE } from "./build-docs.mjs";
import { startPrism } from "./prism.mjs";

const port = Number(process.env.PORT ?? 4010);
const mock = await startPrism({ port, log: (line) => process.stdout.write(`${line}\n`) });
console.log(`
EVS snapshot mock: ${mock.url}
  Try: curl -H 'X-Auth-Token: any' ${mock.url}/v2/demo/cloudsnapshots/detail   (the mock checks that a token or signature is present)
  Pick a documented answer with a header: Prefer: code=404  or  Prefer: code=404, example=fault
API docs (open in a browser, works offline): ${path.relative(process.cwd(), DOCS_FILE) || DOCS_FILE}
Stop with Ctrl-C.`);
const shutdown = () => mock.stop().then(() => process.exit(0));
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
