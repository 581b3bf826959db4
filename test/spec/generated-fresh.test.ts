// The committed generated files (bundle, client types, client spec facts) are exactly what
// scripts/generate.mjs makes from openapi/ today: Prism, the docs and the client read the
// generated files, so an edit to openapi/ without regenerating would silently not ship.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error -- plain ESM script shared with `npm run generate`; it has no type declarations.
import { GENERATED_FILES, generate } from "../../scripts/generate.mjs";
import { REPO_ROOT } from "../support/spec.js";

const generatedFiles = GENERATED_FILES as string[];
let outDir = "";

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "evs-generate-"));
  await generate(outDir);
});
afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe("generated files", () => {
  test("include the bundled spec (so the comparison below is not vacuous)", () => {
    expect(generatedFiles).toEqual(
      expect.arrayContaining([
        "openapi/bundled/evs-snapshots.json",
        "openapi/bundled/evs-snapshots.yaml",
      ]),
    );
  });

  test.each(generatedFiles)("%s is up to date with openapi/", async (file) => {
    const [fresh, committed] = await Promise.all([
      readFile(path.join(outDir, file)),
      readFile(path.join(REPO_ROOT, file)),
    ]);
    expect(
      committed.equals(fresh),
      `${file} is stale: run \`npm run generate\` and commit the result`,
    ).toBe(true);
  });
});
