// The translation check of `npm run lint` (scripts/docs/check-overlay.mjs): it must pass the
// committed zh-CN overlay and fire on every way an overlay goes wrong — a string with no
// translation, an action that matches nothing, a translation older than its English, a
// "translation" that is still English or lost a code, an action that touches a field name.
// Broken fixtures in test/fixtures/overlay/, and generated edits of the real contract.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
// @ts-expect-error -- plain ESM build scripts; they have no type declarations.
import { checkOverlay, translate } from "../../scripts/docs/overlay.mjs";
// @ts-expect-error -- plain ESM build scripts; they have no type declarations.
import { collectProse } from "../../scripts/docs/prose.mjs";
import { BUNDLED_SPEC_JSON, REPO_ROOT } from "../support/spec.js";

interface Prose {
  pointer: string;
  objectPointer: string;
  key: string;
  text: string;
}
type Json = Record<string, unknown>;

const FIXTURES = path.join(REPO_ROOT, "test/fixtures/overlay");
const fixtureSpec = JSON.parse(readFileSync(path.join(FIXTURES, "spec.json"), "utf8")) as Json;
const fixture = (name: string) => parse(readFileSync(path.join(FIXTURES, `${name}.yaml`), "utf8"));
const REAL_OVERLAY_FILE = path.join(REPO_ROOT, "openapi/overlays/zh-CN.yaml");
const realOverlay = parse(readFileSync(REAL_OVERLAY_FILE, "utf8"));
const realSpec = () => JSON.parse(readFileSync(BUNDLED_SPEC_JSON, "utf8")) as Json;
const problemsOf = (spec: Json, overlay: unknown): string[] => checkOverlay(spec, overlay).problems;

function objectAt(doc: Json, pointer: string): Json {
  let node: unknown = doc;
  for (const raw of pointer.split("/").slice(1))
    node = (node as Json)[raw.replaceAll("~1", "/").replaceAll("~0", "~")];
  return node as Json;
}

describe("the prose of a contract", () => {
  test("is its summaries, descriptions, titles and tag names, never data", () => {
    const prose = collectProse(fixtureSpec) as Prose[];
    expect(prose.map((p) => p.pointer)).toEqual([
      "/info/title",
      "/info/description",
      "/tags/0/x-displayName",
      "/tags/0/description",
      "/paths/~1things/get/summary",
      "/paths/~1things/get/parameters/0/description",
      "/paths/~1things/get/responses/200/description",
      "/paths/~1things/get/responses/200/content/application~1json/examples/one/summary",
      "/components/schemas/Thing/title",
      "/components/schemas/Thing/description",
      "/components/schemas/Thing/properties/name/description",
    ]);
    // The example's "description" field, the schema examples and the enum are API data.
    expect(prose.map((p) => p.text)).not.toContain("data, not prose");
  });
});

describe("the overlay check on fixtures", () => {
  test("passes a complete, current overlay, and the result differs in prose only", async () => {
    expect(problemsOf(fixtureSpec, fixture("complete"))).toEqual([]);
    const translated = (await translate(fixtureSpec, fixture("complete"))) as Json;
    expect(objectAt(translated, "/paths/~1things/get").summary).toBe("查询事物");
    expect(objectAt(translated, "/tags/0")).toMatchObject({
      name: "Things",
      "x-displayName": "事物",
    });
    const example = objectAt(
      translated,
      "/paths/~1things/get/responses/200/content/application~1json/examples/one",
    );
    expect(example.value).toEqual({ name: "x", description: "data, not prose" });
  });

  test.each([
    [
      "incomplete",
      /incomplete: \/paths\/~1things\/get\/parameters\/0\/description has no translation \(English: "Page size\."\)$/,
    ],
    [
      "unmatched",
      /target \$\.paths\['\/widgets'\]\.get\): matches nothing in the English document$/,
    ],
    [
      "stale",
      /target \$\.paths\['\/things'\]\.get\): stale — .*has fingerprint be1c4e4a2fdd, the overlay recorded a1dd896c3781/,
    ],
    ["english-left", /the translation of "description" contains no Chinese$/],
    ["lost-code", /the translation of "description" lost the code span `THING\.404`$/],
    ["not-prose", /translates "name", which is no prose string of the English$/],
  ])("fires on %s.yaml with exactly that problem", async (name, expected) => {
    const problems = problemsOf(fixtureSpec, fixture(name));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
    await expect(translate(fixtureSpec, fixture(name))).rejects.toThrow(expected);
  });

  test("refuses an overlay that removes, targets a plain value, or is not Overlay 1.0", () => {
    const complete = fixture("complete");
    const removing = {
      ...complete,
      actions: [...complete.actions, { target: "$.info", remove: true }],
    };
    expect(problemsOf(fixtureSpec, removing)).toContainEqual(
      expect.stringMatching(/never removes/),
    );
    const plain = {
      ...complete,
      actions: [
        ...complete.actions,
        { target: "$.info.title", "x-source-hash": "x", update: { a: "b" } },
      ],
    };
    expect(problemsOf(fixtureSpec, plain)).toContainEqual(expect.stringMatching(/plain value/));
    expect(problemsOf(fixtureSpec, { ...complete, overlay: "2.0.0" })).toContainEqual(
      expect.stringMatching(/overlay: 1\.0\.x/),
    );
  });
});

describe("npm run lint:overlay", () => {
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, ["scripts/docs/check-overlay.mjs", ...args], {
      cwd: REPO_ROOT,
    }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    );

  test("passes the committed zh-CN overlay against the committed bundle", async () => {
    expect(await run()).toEqual({
      code: 0,
      output: "openapi/overlays/zh-CN.yaml: complete and current\n",
    });
  });

  test("exits 1 and names every problem of a broken overlay", async () => {
    const spec = path.join(FIXTURES, "spec.json");
    const { code, output } = await run(
      "--spec",
      spec,
      path.join(FIXTURES, "stale.yaml"),
      path.join(FIXTURES, "unmatched.yaml"),
    );
    expect(code).toBe(1);
    expect(output).toMatch(/stale\.yaml is not a complete, current translation:\n- .*stale — /);
    expect(output).toMatch(
      /unmatched\.yaml is not a complete, current translation:\n- .*matches nothing/,
    );
  });
});

// Edits of the real contract, generated: whatever string a later change touches, the check
// must notice it. Bounded: 30 runs each, one check is a few milliseconds.
describe("the overlay check on generated edits of the real contract", () => {
  const prose = collectProse(realSpec()) as Prose[];
  const anyProse = fc.constantFrom(...prose);

  test("passes the real overlay as committed", () => {
    expect(problemsOf(realSpec(), realOverlay)).toEqual([]);
  });

  test("an English string that changes makes exactly its action stale", () => {
    fc.assert(
      fc.property(
        anyProse,
        fc.string({ unit: fc.constantFrom(..."ab z.,"), minLength: 1, maxLength: 20 }),
        (entry, extra) => {
          const spec = realSpec();
          const holder = objectAt(spec, entry.objectPointer);
          if (entry.key === "x-displayName") holder.name = `${String(holder.name)} ${extra}`;
          else holder[entry.key] = `${entry.text} ${extra}`;
          const problems = problemsOf(spec, realOverlay);
          // A renamed tag is a new tag for its filter target: it matches nothing, and the
          // tag's display name and description are untranslated.
          if (entry.key === "x-displayName") {
            expect(problems.some((p) => p.includes("matches nothing"))).toBe(true);
            return;
          }
          expect(problems).toHaveLength(1);
          expect(problems[0]).toMatch(/stale — /);
        },
      ),
      { numRuns: 30 },
    );
  });

  test("a new English string is reported as incomplete, a removed one as translated on", () => {
    fc.assert(
      fc.property(anyProse, (entry) => {
        fc.pre(entry.key !== "x-displayName");
        const added = realSpec();
        const holder = objectAt(added, entry.objectPointer);
        const key = ["summary", "description", "title"].find((k) => !(k in holder));
        if (key) {
          holder[key] = "A new string.";
          expect(problemsOf(added, realOverlay)).toContain(
            `incomplete: ${entry.objectPointer}/${key} has no translation (English: "A new string.")`,
          );
        }
        const removed = realSpec();
        delete objectAt(removed, entry.objectPointer)[entry.key];
        expect(problemsOf(removed, realOverlay)).toContainEqual(
          expect.stringContaining(`translates "${entry.key}", which is no prose string`),
        );
      }),
      { numRuns: 30 },
    );
  });
});
