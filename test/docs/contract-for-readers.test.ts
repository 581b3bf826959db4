// What the published reference shows a reader comes from the contract, so these rules are
// checked on the bundle, for every operation and response (a new one is covered as it
// comes): Redoc (and Prism) show the first example of a response, so it must be a real
// body, not the vendor pages' placeholder; plain-text fields (server descriptions, example
// summaries) are not Markdown, so a backtick there shows as a backtick; and the public
// servers are the clouds' endpoints, never a local address.
import { describe, expect, test } from "vitest";
import {
  listOperations,
  loadBundledSpec,
  namedExamples,
  type ResponseObject,
  resolve,
} from "../support/spec.js";

const spec = loadBundledSpec() as ReturnType<typeof loadBundledSpec> & {
  servers: { url: string; description?: string }[];
};
const PLACEHOLDER = /^X{3,}$/;

/** True when any string in the value is a vendor placeholder such as "XXXX". */
const hasPlaceholder = (value: unknown): boolean =>
  typeof value === "string"
    ? PLACEHOLDER.test(value)
    : value !== null && typeof value === "object" && Object.values(value).some(hasPlaceholder);

const responses = listOperations(spec).flatMap((entry) =>
  Object.keys(entry.operation.responses).map((status) => {
    const pointer = `${entry.pointer}/responses/${status}`;
    const response = resolve<ResponseObject>(spec, pointer);
    return [`${entry.operationId} ${status}`, response.value, response.pointer] as const;
  }),
);

describe("the contract as the reference shows it", () => {
  test.each(responses.filter(([, response]) => response.content?.["application/json"]))(
    "%s: the first example is a realistic body, not a vendor placeholder",
    (_name, _response, pointer) => {
      const examples = [...namedExamples(spec, `${pointer}/content/application~1json`)];
      const [first] = examples;
      if (!first) return;
      expect(hasPlaceholder(first[1]), `the first example "${first[0]}" is a placeholder`).toBe(
        false,
      );
    },
  );

  test.each(["NotFoundNative", "NotFoundCompatible"])(
    "the vendor placeholders are still there, after a realistic example (%s)",
    (name) => {
      const pointer = resolve(spec, `/components/responses/${name}`).pointer;
      const notFound = namedExamples(spec, `${pointer}/content/application~1json`);
      const own = resolve<{ "x-family-example"?: string }>(spec, pointer).value["x-family-example"];
      expect([...notFound.keys()][0]).toBe(own);
      expect([...notFound.keys()]).toContain("seedItemNotFound");
    },
  );

  test("servers are the clouds' public endpoints, described in plain text", () => {
    expect(spec.servers.length).toBeGreaterThan(0);
    for (const server of spec.servers) {
      expect(server.url).toMatch(/^https:\/\//);
      expect(server.url).not.toMatch(/127\.0\.0\.1|localhost/);
      expect(server.description ?? "").not.toContain("`");
    }
  });

  test("example summaries are plain text: no Markdown backticks", () => {
    const summaries: string[] = [];
    const walk = (node: unknown, key?: string): void => {
      if (node === null || typeof node !== "object") return;
      if (key === "examples" && !Array.isArray(node))
        for (const example of Object.values(node))
          if (typeof (example as { summary?: unknown }).summary === "string")
            summaries.push((example as { summary: string }).summary);
      for (const [k, v] of Object.entries(node)) if (k !== "value") walk(v, k);
    };
    walk(spec);
    expect(summaries.length).toBeGreaterThan(30);
    expect(summaries.filter((s) => s.includes("`"))).toEqual([]);
  });
});
