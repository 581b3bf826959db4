/**
 * `.size-limit.json` measures "the full API" by naming what it imports: this keeps that list
 * equal to every value the three entry points export, so a new export cannot escape the budget.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const budgets = JSON.parse(readFileSync(path.join(root, ".size-limit.json"), "utf8")) as {
  name: string;
  import: string | Record<string, string>;
}[];

test("the full-API budget imports every value export of index, aksk and raw", async () => {
  const full = budgets.find((budget) => budget.name.includes("full API"));
  expect(typeof full?.import).toBe("object");
  for (const [file, names] of Object.entries(full!.import as Record<string, string>)) {
    const listed = names
      .replace(/[{}\s]/g, "")
      .split(",")
      .sort();
    const module = (await import(path.join(root, file))) as object;
    expect(listed, file).toEqual(Object.keys(module).sort());
  }
  expect(Object.keys(full!.import as object).sort()).toEqual(
    ["index", "aksk", "raw"].map((entry) => `packages/client/dist/${entry}.js`).sort(),
  );
});
