// Adding an operation to the spec must be cheap and must not be forgotten: the client's
// routes come from spec-facts (generated from the spec), and this test fails when an
// operation of the spec has no client method, or no call in the contract tests against
// Prism (support/operation-calls.ts, run by against-prism.test.ts), or when the contract
// tests of the mock (test/prism-mock/operations.ts) do not list it.
import { describe, expect, it } from "vitest";
import { createEvsClient } from "../../packages/client/src/index.js";
import { contractOperations } from "../prism-mock/operations.js";
import { FAMILIES, operationIdOf, operationNames } from "../support/family-operations.js";
import { loadBundledSpec } from "../support/spec.js";
import { OPERATION_CALLS } from "./support/operation-calls.js";

const spec = loadBundledSpec();

describe.each(FAMILIES)("every operation of the %s family", (family) => {
  const names = operationNames(family);
  const evs = createEvsClient({
    endpoint: "https://evs.eu-de.otc.t-systems.com",
    projectId: "p",
    auth: { token: "t" },
    family,
  }) as unknown as Record<string, unknown>;

  it.each(names)("%s is a method of the client", (name) => {
    expect(typeof evs[name]).toBe("function");
  });

  it.each(names)("%s has a call in the contract tests against Prism", (name) => {
    expect(Object.keys(OPERATION_CALLS)).toContain(name);
  });
});

describe("the route table and the contract test lists follow the spec", () => {
  it("spec-facts routes every operationId of the spec, and nothing else", () => {
    const routed = FAMILIES.flatMap((family) =>
      operationNames(family).map((name) => operationIdOf(family, name)),
    );
    expect(routed.sort()).toEqual(
      contractOperations(spec)
        .map((o) => o.operationId)
        .sort(),
    );
  });

  it("the contract calls hold no operation the spec does not have", () => {
    const inSpec = new Set<string>(FAMILIES.flatMap(operationNames));
    expect(Object.keys(OPERATION_CALLS).filter((name) => !inSpec.has(name))).toEqual([]);
  });
});
