#!/usr/bin/env node
// Builds the HTML API reference into dist/docs/index.html with Redoc inlined
// (--inlineBundle), so the page works with no network, and with telemetry off.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOCS_FILE = path.join(root, 'dist/docs/index.html');
const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    execFileSync(
      process.execPath,
      [cli, 'build-docs', 'openapi/bundled/evs-snapshots.yaml', '--inlineBundle', '--output', DOCS_FILE, '--title', 'EVS Snapshot API'],
      { cwd: root, stdio: 'pipe', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
  } catch (error) {
    // Redocly prints banners on every run; show its output only when the build failed.
    console.error(String(error.stdout ?? ''), String(error.stderr ?? ''));
    process.exit(1);
  }
  console.log(`docs: ${path.relative(root, DOCS_FILE)}`);
}
