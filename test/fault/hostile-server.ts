// A local EVS look-alike that misbehaves. Each request gets a behaviour drawn from a
// seeded PRNG stream belonging to its call (list: the `name` filter, create: the body's
// name, update: the snapshot ID), so the same seed gives every call the same sequence of
// faults however the concurrent calls interleave. The server remembers what it served to
// each call, and how often each create name arrived.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Random } from "./prng.js";
import { hashString, mulberry32, weightedPick } from "./prng.js";
import { nativeListItem, snapshot } from "./snapshots.js";

export type Behaviour = "ok" | "reset" | "unavailable" | "stall" | "truncated" | "html";

export interface HostileServer {
  url: string;
  /** Behaviours served to each call, in arrival order. */
  served: Map<string, Behaviour[]>;
  /** How many create requests arrived with each snapshot name. */
  createsByName: Map<string, number>;
  /** Ends every connection, stalled ones included, and stops listening. */
  close(): Promise<void>;
}

const HTML_ERROR_PAGE =
  "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{font:14px sans-serif}</style></head>" +
  "<body><h1>Bad Gateway</h1><p>The upstream server did not answer.</p><hr><address>nginx</address></body></html>";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

interface Call {
  id: string;
  /** The valid answer, should this request be served properly. */
  status: number;
  body: unknown;
}

function describeCall(req: IncomingMessage, url: URL, text: string): Call {
  const native = url.pathname.includes("/cloudsnapshots");
  if (req.method === "GET") {
    const name = url.searchParams.get("name") ?? "(unnamed list)";
    const item = native
      ? nativeListItem({ id: `id-${name}`, name })
      : snapshot({ id: `id-${name}`, name });
    return {
      id: name,
      status: 200,
      body: native ? { count: 1, snapshots: [item] } : { snapshots: [item] },
    };
  }
  const option = (JSON.parse(text) as { snapshot: { name: string; volume_id?: string } }).snapshot;
  if (req.method === "POST") {
    return {
      id: option.name,
      status: 202,
      body: {
        snapshot: snapshot({
          id: `id-${option.name}`,
          name: option.name,
          volumeId: option.volume_id,
          status: "creating",
        }),
      },
    };
  }
  const id = decodeURIComponent(url.pathname.split("/").pop() ?? "");
  return { id, status: 200, body: { snapshot: snapshot({ id, name: option.name }) } };
}

function answer(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

function serve(
  behaviour: Behaviour,
  call: Call,
  req: IncomingMessage,
  res: ServerResponse,
  random: Random,
): void {
  const json = JSON.stringify(call.body);
  switch (behaviour) {
    case "ok":
      return answer(res, call.status, "application/json", json);
    case "reset":
      req.socket.resetAndDestroy();
      return;
    case "unavailable":
      return answer(
        res,
        503,
        "application/json",
        JSON.stringify({ serviceUnavailable: { code: 503, message: "try again later" } }),
        { "retry-after": "0" },
      );
    case "stall":
      return; // never answers; the client's time limit must end it
    case "truncated":
      // A complete HTTP answer whose JSON stops half-way (a proxy cut it off).
      return answer(
        res,
        call.status,
        "application/json",
        json.slice(0, Math.floor(json.length / 2)),
      );
    case "html":
      return answer(res, random() < 0.5 ? 500 : 502, "text/html; charset=utf-8", HTML_ERROR_PAGE);
  }
}

export async function startHostileServer(
  seed: number,
  weights: Readonly<Record<Behaviour, number>>,
): Promise<HostileServer> {
  const served = new Map<string, Behaviour[]>();
  const createsByName = new Map<string, number>();
  const streams = new Map<string, Random>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const call = describeCall(req, url, await readBody(req));
    if (req.method === "POST") createsByName.set(call.id, (createsByName.get(call.id) ?? 0) + 1);
    let random = streams.get(call.id);
    if (!random) streams.set(call.id, (random = mulberry32(seed ^ hashString(call.id))));
    const behaviour = weightedPick(random, weights);
    served.set(call.id, [...(served.get(call.id) ?? []), behaviour]);
    serve(behaviour, call, req, res, random);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    createsByName,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
