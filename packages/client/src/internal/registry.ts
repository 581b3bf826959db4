/**
 * What `rawClient(client)` (the `raw` entry point) and `iterateSnapshots(client)` need from a
 * client made by `createEvsClient`: its transport and endpoint, and its page reader. Kept in
 * a WeakMap rather than on the client object, so the public object carries nothing internal
 * and an application bundles only the functions it calls.
 */
import type { CallOptions } from "../client.js";
import type { Transport } from "../transport.js";
import type { SnapshotPage } from "../types.js";
import { invalid } from "./checks.js";

export interface ClientInternals {
  transport: Transport;
  origin: string;
  basePath: string;
  baseUrl: string;
  /**
   * One list page for a query built by the paginator: not validated again, because the
   * queries after the first carry the service's marker, which is the service's to judge.
   */
  listPage(query: Record<string, unknown>, options: CallOptions): Promise<SnapshotPage<never>>;
}

const internals = new WeakMap<object, ClientInternals>();

export function registerClient(client: object, parts: ClientInternals): void {
  internals.set(client, parts);
}

/** The internals of `client`, or the EvsValidationError naming `what` (the function called). */
export function clientInternals(client: unknown, what: string): ClientInternals {
  const found = typeof client === "object" && client !== null && internals.get(client);
  return found || invalid("client", `of ${what} must be a client made by createEvsClient`);
}
