// A server for the mock bench, in its own process (as the mock runs): `emulator` serves the
// stateful emulator alone (no Prism), `trivial` answers fixed bytes (the floor). Prints its
// URL on stdout; ends with its stdin.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [kind, arg] = process.argv.slice(2);
let url;
if (kind === "emulator") {
  const { createEmulator, serveEmulator } = await import("../../packages/mock/dist/server.js");
  const emulator = createEmulator({ seed: "bench", transitionMs: 0, maxStored: 200_000 });
  const served = await serveEmulator(emulator, {
    maxBodyBytes: 2 ** 21,
    applyFaults: true,
    control: true,
  });
  url = served.url;
} else if (kind === "trivial") {
  const { status, headers, body } = JSON.parse(readFileSync(arg, "utf8"));
  const bytes = Buffer.from(body, "base64");
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(status, { ...headers, "content-length": bytes.length });
    response.end(bytes);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${server.address().port}`;
} else throw new Error(`unknown server kind ${kind}`);
console.log(url);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
