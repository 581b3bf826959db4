/**
 * Runs one mock in this process: in `stateful` mode the emulator on a private loopback
 * port with Prism proxying to it; in `static` mode Prism answering from the spec's
 * examples. The CLI runs this; startMock() runs the CLI in a child process.
 */

import { createEnvelopes } from "./emulator/envelopes.js";
import { createEmulator, type EmulatorOptions } from "./emulator/index.js";
import { startFront } from "./front.js";
import { type Json, loadSpec, SPEC_JSON, type Spec } from "./spec.js";

export type MockMode = "stateful" | "static";
export const MODES: readonly MockMode[] = ["stateful", "static"];

export interface ServerOptions extends EmulatorOptions {
  mode?: MockMode | undefined;
  host?: string | undefined;
  port?: number | undefined;
  /** One line per request on this function; quiet when absent. */
  log?: ((line: string) => void) | undefined;
}

export interface RunningServer {
  url: string;
  mode: MockMode;
  close(): Promise<void>;
}

/** The largest body the contract allows (its biggest `x-max-json-bytes`) plus room for the rest of it. */
export function maxBodyBytes(spec: Spec): number {
  let largest = 0;
  const walk = (value: Json | undefined) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      const limit = value["x-max-json-bytes"];
      if (typeof limit === "number") largest = Math.max(largest, limit);
      Object.values(value).forEach(walk);
    }
  };
  walk(spec.document);
  return largest + 64 * 1024;
}

export async function runServer(options: ServerOptions = {}): Promise<RunningServer> {
  const mode = options.mode ?? "stateful";
  if (!MODES.includes(mode))
    throw new Error(`mode must be one of ${MODES.join(", ")}, got ${JSON.stringify(mode)}`);
  const spec = loadSpec(options.specFile ?? SPEC_JSON);
  const limit = maxBodyBytes(spec);
  const emulator = mode === "stateful" ? createEmulator(options) : undefined;
  const front = await startFront({
    specFile: options.specFile ?? SPEC_JSON,
    spec,
    envelopes: emulator?.envelopes ?? createEnvelopes(spec),
    emulator,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 4010,
    maxBodyBytes: limit,
    log: options.log,
  });
  return { url: front.url, mode, close: () => front.close() };
}

export { serveEmulator } from "./emulator/http.js";
// For the bench's "emulator alone" rows (not part of the package's public API).
export { createEmulator } from "./emulator/index.js";
