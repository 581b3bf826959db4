/**
 * What the API gateway checks before a request reaches EVS: a token, or an AK/SK
 * signature (`SDK-HMAC-SHA256`) made with a known key pair. The canonical request is built
 * by the client's own signing module (bundled in at build time), so the mock and the
 * client cannot disagree about canonicalisation: one implementation of the rule.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import {
  canonicalHeaders,
  canonicalRequest,
  SIGNING_ALGORITHM,
  stringToSign,
} from "../../../client/src/signing/canonical.js";

export interface AkSkPair {
  accessKey: string;
  secretKey: string;
}

export { DEFAULT_CREDENTIALS } from "../credentials.js";

/** How far X-Sdk-Date may be from the gateway's clock, as the real gateway allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export interface SignedRequest {
  method: string;
  /** Path and query exactly as the client sent them. */
  url: string;
  /** The Host the client addressed (Prism replaces Host when it forwards). */
  host: string;
  headers: Record<string, string | string[] | undefined>;
  /** Lowercase hex SHA-256 of the body bytes as the client sent them (asked for only when signed). */
  bodySha256: () => string;
  /** The project in the path: a token is scoped to one project. */
  projectId: string;
}

export type AuthVerdict =
  | { ok: true; via: "token" | "aksk" }
  /** `otherProject`: valid credentials, scoped to another project than the path's (EVS answers, not the gateway). */
  | { ok: false; message: string; otherProject?: true };

/**
 * How many tokens remember their project. An IAM token is scoped to one project; the mock
 * accepts any token and scopes it to the project of its first call. Past this many, the
 * oldest is forgotten (and could be scoped anew): memory stays bounded in long runs.
 */
export const MAX_SCOPED_TOKENS = 10_000;

const AUTHORIZATION = new RegExp(
  `^${SIGNING_ALGORITHM}\\s+Access=([^,\\s]+),\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-fA-F]+)$`,
);

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function sdkDateMillis(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

export function createAuthenticator(options: {
  credentials: AkSkPair[];
  tokens?: string[] | undefined;
}) {
  const secrets = new Map(options.credentials.map((pair) => [pair.accessKey, pair.secretKey]));
  const tokens = options.tokens ? new Set(options.tokens) : undefined;
  const scopes = new Map<string, string>();
  /** The token's project, the first it was used on; undefined when it is this one. */
  const otherProjectOf = (token: string, projectId: string): string | undefined => {
    const scoped = scopes.get(token);
    if (scoped !== undefined) return scoped === projectId ? undefined : scoped;
    if (scopes.size >= MAX_SCOPED_TOKENS) scopes.delete(scopes.keys().next().value!);
    scopes.set(token, projectId);
    return undefined;
  };

  function authenticate(request: SignedRequest, now = Date.now()): AuthVerdict {
    const token = headerValue(request.headers["x-auth-token"]);
    if (token !== undefined) {
      if (token.trim() === "")
        return {
          ok: false,
          message: "Incorrect IAM authentication information: the token is empty.",
        };
      if (tokens && !tokens.has(token))
        return {
          ok: false,
          message: "Incorrect IAM authentication information: the token is not valid.",
        };
      if (otherProjectOf(token, request.projectId) !== undefined)
        return {
          ok: false,
          otherProject: true,
          message: "The token is not scoped to the project in the path.",
        };
      return { ok: true, via: "token" };
    }
    const authorization = headerValue(request.headers.authorization);
    if (authorization === undefined)
      return {
        ok: false,
        message:
          "Incorrect IAM authentication information: neither X-Auth-Token nor an AK/SK Authorization header was sent.",
      };
    const match = AUTHORIZATION.exec(authorization.trim());
    if (!match)
      return {
        ok: false,
        message: `Incorrect IAM authentication information: the Authorization header is not ${SIGNING_ALGORITHM} Access=…, SignedHeaders=…, Signature=….`,
      };
    const [, accessKey, signedList, signature] = match as unknown as [
      string,
      string,
      string,
      string,
    ];
    const secret = secrets.get(accessKey);
    if (secret === undefined)
      return {
        ok: false,
        message: "Incorrect IAM authentication information: the access key is unknown.",
      };
    const names = signedList.split(";");
    if (!names.includes("x-sdk-date"))
      return {
        ok: false,
        message: "Incorrect IAM authentication information: X-Sdk-Date is not signed.",
      };
    const signed = new Map<string, string>();
    for (const name of names) {
      const value = name === "host" ? request.host : headerValue(request.headers[name]);
      if (value === undefined)
        return {
          ok: false,
          message: `Incorrect IAM authentication information: signed header ${name} is missing.`,
        };
      signed.set(name, value);
    }
    const sdkDate = signed.get("x-sdk-date")!;
    const signedAt = sdkDateMillis(sdkDate);
    if (signedAt === undefined)
      return {
        ok: false,
        message: "Incorrect IAM authentication information: X-Sdk-Date is not YYYYMMDDTHHMMSSZ.",
      };
    if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS)
      return {
        ok: false,
        message:
          "Incorrect IAM authentication information: the request has expired (X-Sdk-Date is more than 15 minutes off).",
      };
    const queryAt = request.url.indexOf("?");
    const url = {
      pathname: queryAt < 0 ? request.url : request.url.slice(0, queryAt),
      search: queryAt < 0 ? "" : request.url.slice(queryAt),
    };
    const payloadHash = signed.get("x-sdk-content-sha256") ?? request.bodySha256();
    const canonical = canonicalRequest({
      method: request.method,
      url,
      headers: canonicalHeaders(signed),
      payloadHash,
    });
    const expected = createHmac("sha256", secret)
      .update(stringToSign(sdkDate, sha256Hex(canonical)))
      .digest();
    const given = Buffer.from(signature, "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return {
        ok: false,
        message: "Incorrect IAM authentication information: verify aksk signature fail.",
      };
    // The signature scopes the request to X-Project-Id (the client sets it to the path's project).
    const scopedTo = headerValue(request.headers["x-project-id"]);
    if (scopedTo !== undefined && scopedTo !== request.projectId)
      return {
        ok: false,
        otherProject: true,
        message: "X-Project-Id is not the project in the path.",
      };
    return { ok: true, via: "aksk" };
  }
  /** Forgets every token's project (the control API's reset). */
  authenticate.reset = () => scopes.clear();
  return authenticate;
}
