// Every error status the spec documents for each operation is served by the mock: asked for
// a status alone, Prism answers it with the first example documented there, which must be
// a valid error envelope. (The `documented-error-statuses` lint rule keeps the list
// complete; this proves each entry actually works end to end.)
import { describe, expect, inject, test } from "vitest";
import { callOperation } from "../support/prism-client.js";
import { createSpecValidators, describeErrors } from "../support/schema.js";
import { findOperation, namedExamples, responseMediaPointer } from "../support/spec.js";
import { OPERATIONS, validCall } from "./operations.js";

const validators = createSpecValidators();
const { spec } = validators;

// Concurrent within an operation: the statuses are independent requests to one Prism.
describe.each(OPERATIONS)("$operationId: every documented error status", ({ operationId }) => {
  const OPERATION = operationId;
  const entry = findOperation(spec, OPERATION);
  const errorStatuses = Object.keys(entry.operation.responses).filter((status) =>
    /^[45]\d\d$/.test(status),
  );

  test("includes every status the vendor documents for EVS", () => {
    expect(errorStatuses).toEqual([
      "400",
      "401",
      "403",
      "404",
      "405",
      "406",
      "407",
      "408",
      "409",
      "413",
      "415",
      "429",
      "500",
      "501",
      "502",
      "503",
      "504",
    ]);
  });

  test.concurrent.each(errorStatuses)("%s is served with its first example", async (status) => {
    const [firstExample] = namedExamples(spec, responseMediaPointer(spec, entry, status)).values();
    const answer = await callOperation(inject("prismUrl"), spec, {
      ...validCall(spec, OPERATION),
      prefer: `code=${status}`,
    });
    expect(answer.status).toBe(Number(status));
    expect(answer.body).toEqual(firstExample);
    const result = validators.response(OPERATION, status)(answer.body);
    expect(result.valid, describeErrors(result.errors)).toBe(true);
  });
});
