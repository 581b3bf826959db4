/**
 * Turns the `endpoint` option into a base URL, refusing anything that could
 * send credentials in clear text or somewhere unexpected.
 */
import * as specFacts from "./generated/spec-facts.js";
import { invalid } from "./internal/checks.js";

/** Clouds with a URL template in the spec's `servers`. */
export type EvsCloud = keyof typeof specFacts.servers;

/** A base URL; `evsEndpoint({ cloud, region })` makes one from the spec's server templates. */
export type EndpointOption = string | URL;

export interface ResolvedEndpoint {
  /** e.g. `https://evs.eu-de.otc.t-systems.com` — where credentials may go. */
  origin: string;
  /** origin plus an optional path prefix, no trailing slash. */
  baseUrl: string;
  /** pathname prefix (possibly empty), no trailing slash. */
  basePath: string;
}

const REGION = /^[a-z0-9-]+$/;

/**
 * The only hosts allowed over plain http (the local mock): literal 127.0.0.0/8 and ::1
 * addresses, and the exact name `localhost`. Names that only look local
 * (`evs.localhost`, `localhost.`) are resolved by DNS on many systems, so they are refused.
 * `hostname` is a WHATWG URL's: the name lowercased, and a host that ends in a number is an
 * IPv4 address already checked and written in dotted decimal, so four numbers after `127.`
 * are always a loopback address.
 */
const LOOPBACK_HOST = /^(?:localhost|\[::1\]|127\.\d+\.\d+\.\d+)$/;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname);
}

/**
 * The endpoint of a region, from the spec's server templates:
 * `evsEndpoint({ cloud: "otc", region: "eu-de" })` is `https://evs.eu-de.otc.t-systems.com`.
 * A function of its own, so that an app that passes a URL does not bundle the templates.
 */
export function evsEndpoint({ cloud, region }: { cloud: EvsCloud; region: string }): string {
  const clouds = Object.keys(specFacts.servers);
  if (!clouds.includes(cloud)) invalid("cloud", `must be one of ${clouds.join(", ")}`);
  if (typeof region !== "string" || !REGION.test(region)) invalid("region", `must match ${REGION}`);
  return specFacts.servers[cloud].replace("{region}", region);
}

export function resolveEndpoint(option: EndpointOption): ResolvedEndpoint {
  // A 0.1 `{ cloud, region }` gets the way to pass it now.
  if (typeof option !== "string" && !(option instanceof URL))
    invalid("endpoint", "must be a URL (evsEndpoint({ cloud, region }) makes one)");
  const text = String(option);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid("endpoint", `is not a valid URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    invalid("endpoint", `must be https (http only to loopback), got ${url.protocol}//${url.host}`);
  }
  if (url.username || url.password || url.search || url.hash)
    invalid("endpoint", "must not contain user info (use auth), a query or a fragment");
  // Trailing slashes trimmed by a loop: /\/+$/ backtracks quadratically on "////…x".
  let end = url.pathname.length;
  while (end > 0 && url.pathname[end - 1] === "/") end--;
  const basePath = url.pathname.slice(0, end);
  return { origin: url.origin, baseUrl: url.origin + basePath, basePath };
}
