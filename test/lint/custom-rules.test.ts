// The custom Spectral rules (scripts/spectral/) guard the API's invariants; a rule that
// never fires guards nothing. Each fixture in test/fixtures/lint/ is clean except for one
// defect, so it must get results from its rule and from no other rule; the control
// fixture and the real bundled spec must get none at all.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../support/spec.js";

interface SpectralResult {
  code: string;
  message: string;
  severity: number;
  path: string[];
  source: string;
}

const SPECTRAL_CLI = path.join(REPO_ROOT, "node_modules/@stoplight/spectral-cli/dist/index.js");
const FIXTURES = path.join(REPO_ROOT, "test/fixtures/lint");
const BUNDLED_SPEC = path.join(REPO_ROOT, "openapi/bundled/evs-snapshots.yaml");

const BROKEN_FIXTURES = [
  {
    fixture: "missing-twin.yaml",
    rule: "families-in-step",
    message:
      /has no twin POST \/v2\/\{project_id\}\/snapshots; add it, or state the reason in x-no-twin/,
  },
  { fixture: "twins-differ.yaml", rule: "families-in-step", message: /differ in requestBody/ },
  {
    fixture: "no-twin-without-reason.yaml",
    rule: "families-in-step",
    message: /x-no-twin needs a reason/,
  },
  {
    fixture: "no-twin-but-twin-exists.yaml",
    rule: "families-in-step",
    message: /declares x-no-twin, but its twin GET \/v2\/\{project_id\}\/snapshots\/detail exists/,
  },
  {
    fixture: "twin-difference-without-reason.yaml",
    rule: "families-in-step",
    message: /x-twin-differences must map each differing aspect to its reason/,
  },
  {
    fixture: "twin-difference-stale.yaml",
    rule: "families-in-step",
    message: /equal in responses\.200, which x-twin-differences declares as a difference/,
  },
  {
    fixture: "error-not-envelope.yaml",
    rule: "error-envelope",
    message: /must be the ErrorEnvelope schema/,
  },
  { fixture: "response-without-example.yaml", rule: "response-example", message: /has no example/ },
  {
    fixture: "missing-error-status.yaml",
    rule: "documented-error-statuses",
    message: /missing error responses: 429/,
  },
];
const CONTROL_FIXTURE = "in-step.yaml";

// The CLI exits non-zero when it finds errors; the JSON on stdout is the answer either way.
async function lint(files: string[]): Promise<SpectralResult[]> {
  const args = [
    SPECTRAL_CLI,
    "lint",
    "--quiet",
    "--ruleset",
    ".spectral.yaml",
    "--format",
    "json",
    ...files,
  ];
  const stdout = await promisify(execFile)(process.execPath, args, { cwd: REPO_ROOT }).then(
    (done) => done.stdout,
    (failed: { stdout?: string; stderr?: string }) => {
      if (!failed.stdout)
        throw new Error(`spectral failed without output:\n${failed.stderr ?? ""}`);
      return failed.stdout;
    },
  );
  return JSON.parse(stdout) as SpectralResult[];
}

const summary = (results: SpectralResult[]) =>
  results.map((r) => `${r.code} ${r.path.join(".")}: ${r.message}`).join("\n");

let fixtureResults: SpectralResult[] = [];
let bundledSpecResults: SpectralResult[] = [];

beforeAll(async () => {
  const fixtures = [...BROKEN_FIXTURES.map((b) => b.fixture), CONTROL_FIXTURE].map((f) =>
    path.join(FIXTURES, f),
  );
  [fixtureResults, bundledSpecResults] = await Promise.all([lint(fixtures), lint([BUNDLED_SPEC])]);
});

const resultsFor = (fixture: string) =>
  fixtureResults.filter((r) => path.basename(r.source) === fixture);

describe("custom Spectral rules", () => {
  test.each(BROKEN_FIXTURES)(
    "$rule reports $fixture, and nothing else does",
    ({ fixture, rule, message }) => {
      const results = resultsFor(fixture);
      expect(results.length, `no results for ${fixture}`).toBeGreaterThan(0);
      expect(
        results.map((r) => r.code),
        summary(results),
      ).toEqual(results.map(() => rule));
      expect(
        results.every((r) => message.test(r.message)),
        summary(results),
      ).toBe(true);
    },
  );

  test(`find nothing in the control fixture ${CONTROL_FIXTURE}`, () => {
    expect(resultsFor(CONTROL_FIXTURE), summary(resultsFor(CONTROL_FIXTURE))).toEqual([]);
  });

  test("find nothing, of any severity, in the bundled spec", () => {
    expect(bundledSpecResults, summary(bundledSpecResults)).toEqual([]);
  });
});
