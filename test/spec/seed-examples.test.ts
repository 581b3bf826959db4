// The vendor's own examples (transcribed into test/fixtures/seed-examples.json) are the
// primary source: each must satisfy the schema of its operation and status, and the spec
// must carry it, unchanged, as a named example there, so the mock and the docs show it.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { createSpecValidators, describeErrors } from "../support/schema.js";
import {
  findOperation,
  namedExamples,
  requestBodyMediaPointer,
  responseMediaPointer,
} from "../support/spec.js";

interface SeedExample {
  source: string;
  operations: string[];
  kind: "request" | "response";
  /** Response status; absent for requests. */
  status?: string;
  specExample: string;
  note?: string;
  body: unknown;
}

const seeds = (
  JSON.parse(readFileSync(new URL("../fixtures/seed-examples.json", import.meta.url), "utf8")) as {
    examples: SeedExample[];
  }
).examples;
const validators = createSpecValidators();
const { spec } = validators;

// One case per seed example and operation it belongs to.
const cases = seeds.flatMap((seed) =>
  seed.operations.map(
    (operationId) =>
      [
        `${seed.source} ${operationId} ${seed.kind} ${seed.status ?? ""} "${seed.specExample}"`,
        { ...seed, operationId },
      ] as const,
  ),
);

describe("seed examples", () => {
  test("cover all five seed pages and the operations they describe", () => {
    expect(new Set(seeds.map((s) => s.source.slice(0, 3)))).toEqual(
      new Set(["000", "001", "002", "003", "004"]),
    );
    const operations = new Set(seeds.flatMap((s) => s.operations));
    for (const id of [
      "createSnapshotNative",
      "createSnapshotCompatible",
      "listSnapshotsNative",
      "updateSnapshotNative",
      "updateSnapshotCompatible",
    ]) {
      expect(operations).toContain(id);
    }
  });

  test.each(cases)("%s validates against the schema of its operation and status", (_name, seed) => {
    const validate =
      seed.kind === "request"
        ? validators.requestBody(seed.operationId)
        : validators.response(seed.operationId, seed.status ?? "");
    const result = validate(seed.body);
    expect(result.valid, describeErrors(result.errors)).toBe(true);
  });

  test.each(cases)(
    "%s is a named example of the spec at that operation and status",
    (_name, seed) => {
      const entry = findOperation(spec, seed.operationId);
      const media =
        seed.kind === "request"
          ? requestBodyMediaPointer(spec, entry)
          : responseMediaPointer(spec, entry, seed.status ?? "");
      const examples = namedExamples(spec, media);
      expect(
        [...examples.keys()],
        `${seed.operationId} has no example "${seed.specExample}" at ${media}`,
      ).toContain(seed.specExample);
      expect(examples.get(seed.specExample)).toEqual(seed.body);
    },
  );
});
