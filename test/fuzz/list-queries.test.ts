// Fuzz: list queries per family, generated from the spec's query parameters and mutated,
// judged by the client's validation, the JSON Schema of each parameter and the Prism mock.
import fc from "fast-check";
import { inject, test } from "vitest";
import type { SnapshotFamily } from "../../packages/client/src/index.js";
import { FAMILIES, operationIdOf } from "../support/family-operations.js";
import type { ExpectedDifference } from "./judge.js";
import { expectAgreement, judge, newJudgement } from "./judge.js";
import type { Verdict } from "./oracles.js";
import { clientVerdict, PROJECT_ID, prismVerdict, schemas } from "./oracles.js";
import type { QueryCase } from "./query-cases.js";
import { queryCases, queryParameters, textParameters, wireQuery } from "./query-cases.js";

const SEED = 20_241_123;
const RUNS = 500;
const OPERATION_IDS = Object.fromEntries(
  FAMILIES.map((family) => [family, operationIdOf(family, "listSnapshots")]),
) as Record<SnapshotFamily, string>;
const otherFamily = (family: SnapshotFamily): SnapshotFamily => FAMILIES.find((f) => f !== family)!;
const parameterNames = (family: SnapshotFamily) =>
  queryParameters(schemas.spec, OPERATION_IDS[family]).map((p) => p.name);

/** Where the client or Prism knowingly differs from the spec (see judge.ts). */
/** What the client refuses in IDs and filters (issue 9): C0/C1 controls, DEL, lone surrogates. */
function isUrlUnsafe(text: string): boolean {
  return /\p{Cc}/u.test(text) || /\p{Cs}/u.test(text);
}

function expectedDifferences(family: SnapshotFamily): ExpectedDifference<QueryCase>[] {
  const known = parameterNames(family);
  const texts = textParameters(schemas.spec, OPERATION_IDS[family]);
  return [
    {
      id: "text a URL cannot carry",
      reason:
        "The client refuses control characters and lone surrogates in IDs and filters before sending (a lone " +
        "surrogate makes encodeURIComponent throw; control characters are never part of an ID or a name); the " +
        "schema and Prism accept any string.",
      judge: "client",
      applies: ({ query }) =>
        Object.values(query)
          .flat()
          .some((value) => typeof value === "string" && isUrlUnsafe(value)),
      verdict: "reject",
      schema: "accept",
    },
    {
      id: "Prism ignores empty values",
      reason:
        "Prism treats a parameter sent with an empty value (`limit=`, `marker=`) as absent and accepts the request; " +
        "the schema validates the empty string, which `limit`, `offset` and `marker` (minLength 1) refuse.",
      judge: "prism",
      applies: ({ query }) => Object.values(query).some((value) => value === ""),
      verdict: "accept",
      schema: "reject",
    },
    {
      id: "unknown parameter",
      reason:
        "OpenAPI cannot forbid query parameters it does not list, so the schema and Prism ignore them; the client " +
        "refuses keys that are not its family's parameters (typos, or the other family's filters).",
      judge: "client",
      applies: ({ query }) => Object.keys(query).some((key) => !known.includes(key)),
      verdict: "reject",
      schema: "accept",
    },
    {
      id: "typed value",
      reason:
        "On the wire every query value is text, so `true` or `1.5` is a valid string filter (or `id`); the client " +
        "takes typed values and refuses a boolean or number where the spec says string.",
      judge: "client",
      applies: ({ query }) =>
        texts.some((key) => ["boolean", "number"].includes(typeof query[key])),
      verdict: "reject",
      schema: "accept",
    },
  ];
}

/** Each parameter's schema on its wire value(s); unknown keys are not the schema's business. */
function schemaVerdict(
  validators: typeof schemas.full,
  operationId: string,
  known: string[],
  wire: string,
): Verdict {
  const params = new URLSearchParams(wire);
  const valid = [...new Set(params.keys())]
    .filter((name) => known.includes(name))
    .every((name) => {
      const values = params.getAll(name);
      return validators.queryParameter(operationId, name)(values.length === 1 ? values[0]! : values)
        .valid;
    });
  return valid ? "accept" : "reject";
}

test.concurrent.each(FAMILIES)(
  "list queries on the %s family: client, schema and Prism agree",
  async (family) => {
    const operationId = OPERATION_IDS[family];
    const known = parameterNames(family);
    const differences = expectedDifferences(family);
    const judgement = newJudgement(differences);
    const listUrl = `${inject("prismUrl")}/v2/${PROJECT_ID}/${family}/detail`;

    await fc.assert(
      fc.asyncProperty(
        queryCases(schemas.spec, operationId, parameterNames(otherFamily(family))),
        async (testCase) => {
          const wire = wireQuery(testCase.query);
          const prism = await prismVerdict(wire === "" ? listUrl : `${listUrl}?${wire}`, {
            method: "GET",
          });
          judge(judgement, differences, testCase, {
            client: await clientVerdict(family, (evs) =>
              evs.listSnapshots(testCase.query as never),
            ),
            schemaFull: schemaVerdict(schemas.full, operationId, known, wire),
            schemaCharacters: schemaVerdict(schemas.characters, operationId, known, wire),
            prism: prism.verdict,
            prismViolations: prism.violations,
          });
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );

    expectAgreement(judgement, RUNS);
  },
  120_000,
);
