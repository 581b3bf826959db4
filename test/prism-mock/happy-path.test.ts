// Each operation of the spec answers a valid request on the Prism mock with its success
// status, a body that satisfies the response schema (or no body where the spec documents
// none) and an `X-Request-Id`; and the mock enforces authentication as the real service
// does.
import { describe, expect, inject, test } from "vitest";
import { callOperation } from "../support/prism-client.js";
import { createSpecValidators, describeErrors } from "../support/schema.js";
import { OPERATIONS, validCall } from "./operations.js";

const validators = createSpecValidators();
const { spec } = validators;
const prismUrl = inject("prismUrl");

describe.each(OPERATIONS)("$operationId", ({ operationId, success, successHasBody }) => {
  const body = successHasBody ? "a valid body" : "no body";
  test(`answers a valid request with ${success}, ${body} and an X-Request-Id`, async () => {
    const answer = await callOperation(prismUrl, spec, validCall(spec, operationId));
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(Number(success));
    if (successHasBody) {
      const result = validators.response(operationId, success)(answer.body);
      expect(result.valid, describeErrors(result.errors)).toBe(true);
    } else {
      expect(answer.body).toBe("");
    }
    expect(answer.headers.get("X-Request-Id")).toMatch(/\S/);
  });

  test("refuses a request without credentials with 401 and an error envelope", async () => {
    const answer = await callOperation(prismUrl, spec, {
      ...validCall(spec, operationId),
      authenticated: false,
    });
    expect(answer.status).toBe(401);
    const result = validators.response(operationId, "401")(answer.body);
    expect(result.valid, describeErrors(result.errors)).toBe(true);
  });
});
