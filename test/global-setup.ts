// Starts the mocks once per test run, on free loopback ports, from @evs-toolkit/mock (built
// by `npm run build`): the static mode (Prism's examples; `inject('prismUrl')`) for the
// contract tests, and a stateful one (`inject('mockUrl')`, ids seeded, transitions at the
// next request) for tests that need a remembering server and use a project of their own.
import { startMock } from "@evs-toolkit/mock";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
    mockUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // scripts/test-node-lines.mjs runs the client's tests on older Node lines than Prism
  // supports: it starts the mocks itself (on the project's Node) and passes their URLs.
  const { EVS_TEST_PRISM_URL: givenPrism, EVS_TEST_MOCK_URL: givenMock } = process.env;
  if (givenPrism && givenMock) {
    project.provide("prismUrl", givenPrism);
    project.provide("mockUrl", givenMock);
    return () => undefined;
  }
  const [prism, stateful] = await Promise.all([
    startMock({ mode: "static", port: 0 }),
    startMock({ mode: "stateful", port: 0, seed: "global-setup", transitionMs: 0 }),
  ]);
  project.provide("prismUrl", prism.url);
  project.provide("mockUrl", stateful.url);
  return async () => {
    await Promise.all([prism.stop(), stateful.stop()]);
  };
}
