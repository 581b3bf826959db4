// Starts the static mock (Prism answering from the spec's examples) once per test run, on a
// free loopback port, from @evs-toolkit/mock (built by `npm run build`); tests read its URL
// with `inject('prismUrl')`. The stateful tests start mocks of their own (test/mock/).
import { startMock } from "@evs-toolkit/mock";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // scripts/test-node-lines.mjs runs the client's tests on older Node lines than Prism
  // supports: it starts the mock itself (on the project's Node) and passes its URL.
  const givenPrism = process.env.EVS_TEST_PRISM_URL;
  if (givenPrism) {
    project.provide("prismUrl", givenPrism);
    return () => undefined;
  }
  const prism = await startMock({ mode: "static", port: 0 });
  project.provide("prismUrl", prism.url);
  return () => prism.stop();
}
