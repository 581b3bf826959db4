/**
 * Turns the `endpoint` option into a base URL, refusing anything that could
 * send credentials in clear text or somewhere unexpected.
 */
import { contract } from "./generated/contract.js";
import { EvsValidationError } from "./errors.js";

/** Clouds with a URL template in the spec's `servers` (the local mock is a plain URL). */
export type EvsCloud = Exclude<keyof typeof contract.servers, "mock">;

export type EndpointOption = string | URL | { cloud: EvsCloud; region: string };

export interface ResolvedEndpoint {
  /** e.g. `https://evs.eu-de.otc.t-systems.com` — where credentials may go. */
  origin: string;
  /** origin plus an optional path prefix, no trailing slash. */
  baseUrl: string;
  /** pathname prefix (possibly empty), no trailing slash. */
  basePath: string;
}

const REGION = /^[a-z0-9-]+$/;

/** 127.0.0.0/8, ::1 and localhost: the only hosts allowed over plain http (the local mock). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function fromCloud(cloud: unknown, region: unknown): string {
  if (cloud !== "huaweicloud" && cloud !== "otc") {
    throw new EvsValidationError("endpoint", `endpoint.cloud must be "huaweicloud" or "otc", got ${JSON.stringify(cloud)}`);
  }
  if (typeof region !== "string" || !REGION.test(region)) {
    throw new EvsValidationError("region", `endpoint.region must match ${String(REGION)}, got ${JSON.stringify(region)}`);
  }
  return contract.servers[cloud].url.replace("{region}", region);
}

export function resolveEndpoint(option: EndpointOption): ResolvedEndpoint {
  let text: string;
  if (typeof option === "string") text = option;
  else if (option instanceof URL) text = option.href;
  else if (typeof option === "object" && option !== null) text = fromCloud(option.cloud, option.region);
  else throw new EvsValidationError("endpoint", "endpoint is required: a URL or { cloud, region }");

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EvsValidationError("endpoint", `endpoint is not a valid URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new EvsValidationError(
      "endpoint",
      `endpoint must use https: (plain http: is allowed for loopback hosts only), got ${url.protocol}//${url.host}`,
    );
  }
  if (url.username || url.password) {
    throw new EvsValidationError("endpoint", "endpoint must not contain user info; use the auth option");
  }
  if (url.search || url.hash) {
    throw new EvsValidationError("endpoint", "endpoint must not contain a query or fragment");
  }
  const basePath = url.pathname.replace(/\/+$/, "");
  return { origin: url.origin, baseUrl: url.origin + basePath, basePath };
}
