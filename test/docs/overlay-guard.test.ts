// The last guard of the overlay check: after openapi-format has applied the overlay, the
// result must differ from the contract in the translated strings only. The checks before it
// make that hold for any overlay, so this guards against the tool itself (a JSONPath engine
// that selects differently, a merge that touches more): openapi-format is wrapped here to
// change one field name while it applies the overlay, and the build must refuse the result.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, vi } from "vitest";
import { parse } from "yaml";
// @ts-expect-error -- plain ESM build script; it has no type declarations.
import { translate } from "../../scripts/docs/overlay.mjs";
import { REPO_ROOT } from "../support/spec.js";

vi.mock("openapi-format", async (importOriginal) => {
  const real = ((await importOriginal()) as { default: Record<string, unknown> }).default;
  const apply = real.openapiOverlay as (
    doc: unknown,
    options: unknown,
  ) => Promise<{ data: { paths: Record<string, { get: { operationId: string } }> } }>;
  const openapiOverlay = async (doc: unknown, options: unknown) => {
    const result = await apply(doc, options);
    const things = result.data.paths["/things"];
    if (!things) throw new Error("the fixture lost its /things path");
    things.get.operationId = "listThingsRenamed";
    return result;
  };
  return { default: { ...real, openapiOverlay } };
});

test("a translation that changes anything but prose is refused, with where", async () => {
  const dir = path.join(REPO_ROOT, "test/fixtures/overlay");
  const spec = JSON.parse(readFileSync(path.join(dir, "spec.json"), "utf8"));
  const overlay = parse(readFileSync(path.join(dir, "complete.yaml"), "utf8"));
  await expect(translate(spec, overlay)).rejects.toThrow(
    "/paths/~1things/get/operationId: the overlay changes something other than prose",
  );
});
