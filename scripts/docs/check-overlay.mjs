#!/usr/bin/env node
// `npm run lint:overlay`: fails when a translation overlay is incomplete, has actions that
// match nothing, or is stale (see overlay.mjs for the rules), listing every problem.
//   node scripts/docs/check-overlay.mjs [--spec bundle.json] [overlay.yaml ...]
// Defaults: the committed bundle and every overlay of openapi/overlays/.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { translate } from "./overlay.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const specAt = args.indexOf("--spec");
const specFile =
  specAt >= 0
    ? path.resolve(args[specAt + 1])
    : path.join(root, "openapi/bundled/evs-snapshots.json");
const rest = specAt >= 0 ? args.filter((_, i) => i !== specAt && i !== specAt + 1) : args;
const overlaysDir = path.join(root, "openapi/overlays");
const overlays = rest.length
  ? rest.map((f) => path.resolve(f))
  : readdirSync(overlaysDir)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => path.join(overlaysDir, f));

const english = JSON.parse(readFileSync(specFile, "utf8"));
let failed = false;
for (const file of overlays) {
  const name = path.relative(process.cwd(), file);
  try {
    await translate(english, parse(readFileSync(file, "utf8")), { name });
    console.log(`${name}: complete and current`);
  } catch (error) {
    failed = true;
    console.error(error.message);
  }
}
if (failed) {
  console.error(
    "\nnode scripts/docs/overlay-todo.mjs prints the missing and stale actions with their English.",
  );
  process.exit(1);
}
