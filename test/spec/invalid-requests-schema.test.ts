// The request schemas refuse the invalid corpus, each time with an error that names the
// offending field, and accept the boundary cases. Run through our Ajv validators, the
// ones the client's fuzz tests reuse.
import type { ErrorObject } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import type { CorpusCase } from "../fixtures/request-corpus.js";
import { INVALID_REQUESTS, perOperation, VALID_REQUESTS } from "../fixtures/request-corpus.js";
import type { SchemaCheck } from "../support/schema.js";
import { createSpecValidators, describeErrors } from "../support/schema.js";

const validators = createSpecValidators();

function validateRequest(operationId: string, request: CorpusCase["request"]): SchemaCheck {
  if (request.in === "body") return validators.requestBody(operationId)(request.body);
  // Every query parameter separately, as a server checks them.
  const checks = Object.entries(request.query).map(([name, raw]) =>
    validators.queryParameter(operationId, name)(raw),
  );
  return { valid: checks.every((c) => c.valid), errors: checks.flatMap((c) => c.errors) };
}

// The field is named by the error's location (`/snapshot/name`) or, for `required` and
// `additionalProperties`, by its params (`missingProperty`, `additionalProperty`).
const namesField = (error: ErrorObject, field: string) =>
  error.instancePath.split("/").includes(field) || Object.values(error.params).includes(field);

describe("the request schemas refuse", () => {
  test.each(perOperation(INVALID_REQUESTS))("%s", (_label, invalid, operationId) => {
    const result = validateRequest(operationId, invalid.request);
    expect(result.valid).toBe(false);
    expect(
      result.errors.some((e) => namesField(e, invalid.field)),
      `no error names "${invalid.field}":\n${describeErrors(result.errors)}`,
    ).toBe(true);
  });
});

describe("the request schemas accept", () => {
  test.each(perOperation(VALID_REQUESTS))("%s", (_label, valid, operationId) => {
    const result = validateRequest(operationId, valid.request);
    expect(result.valid, describeErrors(result.errors)).toBe(true);
  });
});
