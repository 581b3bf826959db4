// Fuzz: create, update and rollback bodies, generated from the spec and mutated, judged by the
// client's validation, the JSON Schema of the bundled spec and the Prism mock; they must
// agree on accept/reject (see judge.ts for how the byte limit is handled).
import fc from "fast-check";
import { inject, test } from "vitest";
import type {
  EvsClient,
  SnapshotFamily,
  SnapshotOperationName,
} from "../../packages/client/src/index.js";
import { FAMILIES, operationIdOf, operationNames } from "../support/family-operations.js";
import type { BodyCase } from "./body-cases.js";
import { bodyCases, reservedPrefix } from "./body-cases.js";
import type { ExpectedDifference } from "./judge.js";
import { expectAgreement, judge, newJudgement } from "./judge.js";
import type { Verdict } from "./oracles.js";
import { clientVerdict, PROJECT_ID, prismVerdict, schemas } from "./oracles.js";

const SEED = 20_241_122;
const RUNS = 500;
const SNAPSHOT_ID = "f9faf7df-fdc1-4093-9ef3-5cba06eef995";

/** The operation's operationId in each family that has it (from the spec's routes). */
function operationIdsByFamily(
  name: SnapshotOperationName,
): Partial<Record<SnapshotFamily, string>> {
  return Object.fromEntries(
    FAMILIES.filter((f) => operationNames(f).includes(name)).map((f) => [
      f,
      operationIdOf(f, name),
    ]),
  );
}

// Per operation: the option schema, the key the body is sent under, and the operation in
// each family that has it (rollback is native only).
const OPERATIONS = {
  create: {
    schema: "CreateSnapshotOption",
    bodyKey: "snapshot",
    operationId: operationIdsByFamily("createSnapshot"),
    method: "POST",
    path: (family: SnapshotFamily) => `/v2/${PROJECT_ID}/${family}`,
    call: (body: BodyCase["body"]) => (evs: EvsClient<SnapshotFamily>) =>
      evs.createSnapshot(body as never),
  },
  update: {
    schema: "UpdateSnapshotOption",
    bodyKey: "snapshot",
    operationId: operationIdsByFamily("updateSnapshot"),
    method: "PUT",
    path: (family: SnapshotFamily) => `/v2/${PROJECT_ID}/${family}/${SNAPSHOT_ID}`,
    call: (body: BodyCase["body"]) => (evs: EvsClient<SnapshotFamily>) =>
      evs.updateSnapshot(SNAPSHOT_ID, body as never),
  },
  rollback: {
    schema: "RollbackSnapshotOption",
    bodyKey: "rollback",
    operationId: operationIdsByFamily("rollbackSnapshot"),
    method: "POST",
    path: (family: SnapshotFamily) => `/v2/${PROJECT_ID}/${family}/${SNAPSHOT_ID}/rollback`,
    call: (body: BodyCase["body"]) => (evs: EvsClient<SnapshotFamily>) =>
      evs.rollbackSnapshot(SNAPSHOT_ID, body as never),
  },
} as const;

/**
 * Where the client knowingly differs from the spec for bodies of `schema` (see judge.ts):
 * only where the schema has a name with a reserved prefix (not the rollback's disk name),
 * and where it has a volume_id.
 */
const expectedDifferences = (schema: string): ExpectedDifference<BodyCase>[] => {
  const prefix = reservedPrefix(schemas.spec, schema);
  const differences: ExpectedDifference<BodyCase>[] = [];
  if (schema !== "UpdateSnapshotOption") {
    differences.push({
      id: "volume ID a URL cannot carry",
      reason:
        "The client refuses control characters and lone surrogates in IDs (volume_id) before sending; the " +
        "schema and Prism accept any string.",
      judge: "client",
      applies: ({ body }) =>
        typeof body.volume_id === "string" &&
        (/\p{Cc}/u.test(body.volume_id) || /\p{Cs}/u.test(body.volume_id)),
      verdict: "reject",
      schema: "accept",
    });
  }
  if (prefix === undefined) return differences;
  differences.push({
    id: "reserved name prefix",
    reason:
      "The spec only advises against names starting with x-reserved-prefix (the service accepts them, but such " +
      "snapshots cannot be operated on); the client refuses them unless allowReservedName is set.",
    judge: "client",
    applies: ({ body }) => typeof body.name === "string" && body.name.startsWith(prefix),
    verdict: "reject",
    schema: "accept",
  });
  return differences;
};

const verdictOf = (valid: boolean): Verdict => (valid ? "accept" : "reject");

const cases = (Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[]).flatMap((operation) =>
  (Object.keys(OPERATIONS[operation].operationId) as SnapshotFamily[]).map((family) => ({
    operation,
    family,
  })),
);

test.concurrent.each(cases)(
  "$operation bodies on the $family family: client, schema and Prism agree",
  async ({ operation, family }) => {
    const op = OPERATIONS[operation];
    const operationId = (op.operationId as Partial<Record<SnapshotFamily, string>>)[family] ?? "";
    const prismUrl = `${inject("prismUrl")}${op.path(family)}`;
    const EXPECTED_DIFFERENCES = expectedDifferences(op.schema);
    const judgement = newJudgement(EXPECTED_DIFFERENCES);

    await fc.assert(
      fc.asyncProperty(bodyCases(schemas.spec, op.schema), async (testCase) => {
        // The validators see what goes on the wire: the body after a JSON round trip.
        const wire = JSON.stringify({ [op.bodyKey]: testCase.body });
        const sent = JSON.parse(wire) as unknown;
        const prism = await prismVerdict(prismUrl, { method: op.method, body: wire });
        judge(judgement, EXPECTED_DIFFERENCES, testCase, {
          client: await clientVerdict(family, op.call(testCase.body)),
          schemaFull: verdictOf(schemas.full.requestBody(operationId)(sent).valid),
          schemaCharacters: verdictOf(schemas.characters.requestBody(operationId)(sent).valid),
          prism: prism.verdict,
          prismViolations: prism.violations,
        });
      }),
      { numRuns: RUNS, seed: SEED },
    );

    expectAgreement(judgement, RUNS);
  },
  120_000,
);
