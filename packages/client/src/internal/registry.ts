/**
 * What `rawClient(client)` (the `raw` entry point) needs from a client made by
 * `createEvsClient`: its transport and endpoint. Kept in a WeakMap rather than on the client
 * object, so the public object carries nothing internal and an application that never
 * uses `raw` never bundles openapi-fetch.
 */
import type { Transport } from "../transport.js";

export interface ClientInternals {
  transport: Transport;
  origin: string;
  basePath: string;
  baseUrl: string;
}

const internals = new WeakMap<object, ClientInternals>();

export function registerClient(client: object, parts: ClientInternals): void {
  internals.set(client, parts);
}

export function clientInternals(client: unknown): ClientInternals | undefined {
  return typeof client === "object" && client !== null ? internals.get(client) : undefined;
}
