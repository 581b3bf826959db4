// The Prism mock, validating requests against the same spec, refuses the invalid corpus
// with a violation (`sl-violations` header) that names the field, and accepts the boundary
// cases: what a developer testing against `npm start` sees.
import { describe, expect, inject, test } from "vitest";
import type { CorpusCase } from "../fixtures/request-corpus.js";
import { INVALID_REQUESTS, perOperation, VALID_REQUESTS } from "../fixtures/request-corpus.js";
import type { PrismViolation } from "../support/prism-client.js";
import { callOperation } from "../support/prism-client.js";
import { loadBundledSpec } from "../support/spec.js";

const spec = loadBundledSpec();
const prismUrl = inject("prismUrl");

const send = (operationId: string, request: CorpusCase["request"]) =>
  callOperation(
    prismUrl,
    spec,
    request.in === "body"
      ? { operationId, body: request.body }
      : { operationId, query: request.query },
  );

const namesField = (violation: PrismViolation, field: string) =>
  violation.location.includes(field) || violation.message.includes(`'${field}'`);

describe("the Prism mock refuses", () => {
  test.each(perOperation(INVALID_REQUESTS))("%s", async (_label, invalid, operationId) => {
    const answer = await send(operationId, invalid.request);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const errors = answer.violations.filter((v) => v.severity === "Error");
    expect(
      errors.some((v) => namesField(v, invalid.field)),
      `no violation names "${invalid.field}": ${JSON.stringify(answer.violations)}`,
    ).toBe(true);
  });
});

describe("the Prism mock accepts", () => {
  test.each(perOperation(VALID_REQUESTS))("%s", async (_label, valid, operationId) => {
    const answer = await send(operationId, valid.request);
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBeLessThan(300);
  });
});
