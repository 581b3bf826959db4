// Which 404 envelope each family sends is stated once, in the spec: each family's 404
// response names its own example in `x-family-example` and lists it first, so the docs of
// each family show that family's 404 first (Redoc shows the first example). The client's
// spec facts carry the native code read from it.
import { describe, expect, test } from "vitest";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import { FAMILIES, operationIdOf, operationNames } from "../support/family-operations.js";
import {
  findOperation,
  loadBundledSpec,
  namedExamples,
  type ResponseObject,
  resolve,
  responseMediaPointer,
} from "../support/spec.js";

const spec = loadBundledSpec();
const cases = FAMILIES.flatMap((family) =>
  operationNames(family).map((name) => [family, operationIdOf(family, name)] as const),
);

describe.each(cases)("%s: %s", (family, operationId) => {
  const entry = findOperation(spec, operationId);
  const media = responseMediaPointer(spec, entry, "404");
  const response = resolve<ResponseObject & { "x-family-example"?: string }>(
    spec,
    `${entry.pointer}/responses/404`,
  ).value;
  const examples = namedExamples(spec, media);

  test("its 404 names the family's own example, and lists it first", () => {
    const own = response["x-family-example"];
    expect(own).toBeDefined();
    expect([...examples.keys()][0]).toBe(own);
  });

  test("the family's own example is the envelope the facts sheet gives that family", () => {
    const own = examples.get(response["x-family-example"]!);
    if (family === "cloudsnapshots")
      expect(own).toMatchObject({ error: { code: specFacts.nativeNotFoundCode } });
    else expect(own).toMatchObject({ itemNotFound: { code: 404 } });
  });
});

test("the client's native not-found code is the native family's 404 example", () => {
  expect(specFacts.nativeNotFoundCode).toBe("EVS.5404");
  expect(cases.length).toBeGreaterThanOrEqual(2);
});
