// Every example in the bundled spec satisfies its own schema: Prism serves these examples
// and the docs show them, so an invalid one would teach clients a wrong shape.
import { describe, expect, test } from "vitest";
import { createSpecValidators, describeErrors } from "../support/schema.js";
import { collectExamples } from "./collect-examples.js";

const validators = createSpecValidators();
const cases = collectExamples(validators.spec);

describe("examples in the bundled spec", () => {
  test("are found in every kind of place (bodies, responses, parameters, headers, schemas)", () => {
    const where = cases.map((c) => c.where).join("\n");
    expect(where).toMatch(/request application\/json example "createRequest"/);
    expect(where).toMatch(/ 404 application\/json example "native"/);
    expect(where).toMatch(/parameter limit example/);
    expect(where).toMatch(/header X-Request-Id example/);
    expect(where).toMatch(/\/components\/schemas\/Timestamp examples\[0\]/);
  });

  test.each(cases.map((c) => [c.where, c] as const))(
    "%s validates against its schema",
    (_where, example) => {
      const result = validators.schemaAt(example.schemaPointer)(example.value);
      expect(result.valid, describeErrors(result.errors)).toBe(true);
    },
  );
});
