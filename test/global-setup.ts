// Starts the static mock (Prism's examples) of @evs-toolkit/mock once per test run, on a
// free loopback port, for the contract tests (`inject('prismUrl')`). The stateful mode's
// tests (test/mock/) start their own mocks with startMock(), each with its own options.
import { startMock } from "@evs-toolkit/mock";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const prism = await startMock({ mode: "static", port: 0 });
  project.provide("prismUrl", prism.url);
  return () => prism.stop();
}
