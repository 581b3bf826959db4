// The Prism mock in static mode (the spec's examples), now served by @evs-toolkit/mock:
// kept for the bench, which measures Prism's own start and throughput with it.
import { startMock } from "@evs-toolkit/mock";

/**
 * @param {{ port?: number, host?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ url: string, stop: () => Promise<void>, pid: number }>}
 */
export async function startPrism({ port = 4010, host = "127.0.0.1", log } = {}) {
  const mock = await startMock({ mode: "static", port, host, log });
  return { url: mock.url, stop: () => mock.stop(), pid: mock.pid };
}
