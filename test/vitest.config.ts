import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

// The fast loop: the client's tests that need neither Prism nor Chromium run as the project
// `client` (`npx vitest run --config test/vitest.config.ts --project client`, a few seconds).
// `npm test` runs every project.
const CLIENT_NEEDS_PRISM_OR_BROWSER = [
  "test/client/against-prism.test.ts",
  "test/client/browser.test.ts",
];
const OTHER_SUITES = readdirSync(new URL(".", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "client")
  .map((entry) => `test/${entry.name}/**/*.test.ts`);

export default defineConfig({
  root,
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "client",
          include: ["test/client/**/*.test.ts"],
          exclude: CLIENT_NEEDS_PRISM_OR_BROWSER,
          typecheck: {
            enabled: true,
            include: ["test/**/*.test-d.ts"],
            tsconfig: "tsconfig.json",
          },
        },
      },
      {
        extends: true,
        test: {
          name: "toolkit",
          include: [...OTHER_SUITES, ...CLIENT_NEEDS_PRISM_OR_BROWSER],
          // One static mock (Prism) for the run (see global-setup.ts); tests read its URL via inject('prismUrl').
          globalSetup: ["test/global-setup.ts"],
        },
      },
    ],
  },
});
