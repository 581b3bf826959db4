// Starts the Prism mock once per test run, on a free loopback port, and hands its URL to
// the tests (`inject('prismUrl')`).
import { createServer } from "node:net";
import type { TestProject } from "vitest/node";
// @ts-expect-error -- plain ESM helper shared with `npm start`; it has no type declarations.
import { startPrism } from "../scripts/prism.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject) {
  const mock = await startPrism({ port: await freePort() });
  project.provide("prismUrl", mock.url);
  return () => mock.stop();
}
