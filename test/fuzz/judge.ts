// Compares the three verdicts of one case. JSON Schema cannot count UTF-8 bytes, so each
// judge is compared with the schema validator that has its powers:
//   Prism  vs the schema WITHOUT `x-max-utf8-bytes` (both count characters only);
//   client vs the schema WITH it (both count bytes).
// Where a judge knowingly differs from the spec, the difference is listed (by each test)
// with its reason; a case that differs in any other way is a disagreement.
import { expect } from "vitest";
import type { Verdict } from "./oracles.js";

export interface Verdicts {
  client: Verdict;
  schemaFull: Verdict;
  schemaCharacters: Verdict;
  prism: Verdict;
  prismViolations?: string | undefined;
}

export interface ExpectedDifference<Case> {
  id: string;
  reason: string;
  /** Whose verdict differs: the client's (from the full schema) or Prism's (from the character-only one). */
  judge: "client" | "prism";
  applies(testCase: Case): boolean;
  /** The verdicts this difference explains. */
  verdict: Verdict;
  schema: Verdict;
}

export interface Judgement<Case> {
  disagreements: { case: Case; verdicts: Verdicts; problem: string }[];
  /** How often each expected difference explained a case. */
  expected: Map<string, number>;
  accepted: number;
  rejected: number;
}

export function newJudgement<Case>(differences: ExpectedDifference<Case>[]): Judgement<Case> {
  return {
    disagreements: [],
    expected: new Map(differences.map((d) => [d.id, 0])),
    accepted: 0,
    rejected: 0,
  };
}

export function judge<Case>(
  judgement: Judgement<Case>,
  differences: ExpectedDifference<Case>[],
  testCase: Case,
  verdicts: Verdicts,
): void {
  const problems: string[] = [];
  const compare = (who: "client" | "prism", verdict: Verdict, schema: Verdict, label: string) => {
    if (verdict === schema) return;
    const explained = differences.find(
      (d) => d.judge === who && d.applies(testCase) && d.verdict === verdict && d.schema === schema,
    );
    if (explained)
      judgement.expected.set(explained.id, (judgement.expected.get(explained.id) ?? 0) + 1);
    else problems.push(`${who} ${verdict}, ${label} ${schema}`);
  };
  compare("prism", verdicts.prism, verdicts.schemaCharacters, "schema (characters)");
  compare("client", verdicts.client, verdicts.schemaFull, "schema (bytes)");
  if (problems.length > 0)
    judgement.disagreements.push({ case: testCase, verdicts, problem: problems.join("; ") });
  if (verdicts.schemaFull === "accept") judgement.accepted++;
  else judgement.rejected++;
}

/**
 * The run agreed everywhere, exercised both outcomes (a generator that only ever produced
 * valid or only invalid cases would prove nothing), and met every listed difference.
 */
export function expectAgreement<Case>(judgement: Judgement<Case>, runs: number): void {
  expect(judgement.disagreements).toEqual([]);
  expect(judgement.accepted).toBeGreaterThan(runs / 10);
  expect(judgement.rejected).toBeGreaterThan(runs / 10);
  expect([...judgement.expected].filter(([, count]) => count === 0)).toEqual([]);
}
