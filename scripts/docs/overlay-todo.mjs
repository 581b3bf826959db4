#!/usr/bin/env node
// For translators: prints, as overlay actions ready to paste into the overlay, every prose
// string the overlay does not translate yet and every action whose English changed, with the
// English as comments and the fingerprint to record once the translation is reviewed.
//   node scripts/docs/overlay-todo.mjs [overlay file]   (default: openapi/overlays/zh-CN.yaml)
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { checkOverlay } from "./overlay.mjs";
import { collectProse, fingerprint, jsonPathOf } from "./prose.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const overlayFile = path.resolve(process.argv[2] ?? path.join(root, "openapi/overlays/zh-CN.yaml"));
const english = JSON.parse(
  readFileSync(path.join(root, "openapi/bundled/evs-snapshots.json"), "utf8"),
);
const { problems, translations } = checkOverlay(english, parse(readFileSync(overlayFile, "utf8")));

const byObject = new Map();
for (const entry of collectProse(english)) {
  if (translations.has(entry.pointer)) continue;
  const list = byObject.get(entry.objectPointer) ?? [];
  list.push(entry);
  byObject.set(entry.objectPointer, list);
}
const comment = (text) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => `    #   ${line}`)
    .join("\n");
for (const [objectPointer, entries] of byObject) {
  const source = Object.fromEntries(entries.map((e) => [e.key, e.text]));
  console.log(`  - target: "${jsonPathOf(english, objectPointer)}"`);
  console.log(`    x-source-hash: "${fingerprint(source)}"`);
  for (const e of entries) console.log(`    # ${e.key}:\n${comment(e.text)}`);
  console.log("    update:");
  for (const e of entries) console.log(`      ${e.key}: TODO`);
}
const stale = problems.filter((p) => p.includes("stale"));
if (stale.length) console.log(`\n# stale actions:\n# ${stale.join("\n# ")}`);
