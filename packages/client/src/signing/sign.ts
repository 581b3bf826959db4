/**
 * AK/SK request signing (SDK-HMAC-SHA256), producing the same Authorization
 * header as `AKSKSigner` in @huaweicloud/huaweicloud-sdk-core for the same
 * request. Every header the request carries is signed (plus `host`), as the
 * vendor does; see canonical.ts for the encoding rules.
 */
import { SIGNING_ALGORITHM, canonicalHeaders, canonicalRequest, stringToSign } from "./canonical.js";
import { andThen, defaultHashFunctions } from "./crypto.js";
import type { CanonicalRequestParts } from "./canonical.js";
import type { HashFunctions, MaybePromise } from "./crypto.js";

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** Temporary (STS) credentials only; sent as X-Security-Token. */
  securityToken?: string;
  /** Sent as X-Project-Id. */
  projectId?: string;
}

export interface SignableParts {
  method: string;
  url: string | URL;
  /** The headers that will be sent; all of them are signed. */
  headers: Headers | Record<string, string>;
  /** The exact body bytes that will be sent (strings are UTF-8). */
  body?: string | Uint8Array | undefined;
}

/** Headers to add to the request before sending it. */
export type SigningHeaders = Record<string, string>;

const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const HTTP_WHITESPACE_EDGES = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** `YYYYMMDDTHHMMSSZ` in UTC, e.g. 20240102T030405Z. */
export function formatSdkDate(date: Date): string {
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/**
 * Lowercase name -> value as it goes on the wire. A plain record is normalised
 * the way `Headers` would (trimmed, same-name values joined by ", ") so both
 * inputs sign alike.
 */
function wireHeaders(headers: Headers | Record<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  if (headers instanceof Headers) {
    headers.forEach((value, name) => map.set(name, value));
    return map;
  }
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const value = rawValue.replace(HTTP_WHITESPACE_EDGES, "");
    const previous = map.get(name);
    map.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return map;
}

/**
 * Headers left out of the signature, as in the vendor SDK: `authorization`
 * (it is replaced by the signature itself; the vendor's re-signer deletes it
 * too) and a multipart `content-type`, whose boundary the vendor only
 * generates after signing.
 */
function dropUnsignedHeaders(headers: Map<string, string>): void {
  headers.delete("authorization");
  if (headers.get("content-type")?.includes("multipart/form-data")) headers.delete("content-type");
}

/**
 * Adds `value` to both the signed set and the headers to send unless the
 * request already has that header (the request's own value wins, as in the
 * vendor SDK). Returns the value that will be sent.
 */
function addIfAbsent(signed: Map<string, string>, added: SigningHeaders, name: string, value: string): string {
  const lower = name.toLowerCase();
  const existing = signed.get(lower);
  if (existing !== undefined) return existing;
  signed.set(lower, value);
  added[name] = value;
  return value;
}

/**
 * An explicit `X-Sdk-Content-Sha256` (e.g. `UNSIGNED-PAYLOAD`) is used verbatim
 * as the payload hash, as the vendor does; otherwise the body bytes are hashed.
 */
function payloadHash(signed: Map<string, string>, body: SignableParts["body"], hashes: HashFunctions): MaybePromise<string> {
  const declared = signed.get("x-sdk-content-sha256");
  if (declared !== undefined) return declared;
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return hashes.sha256Hex(body);
}

/**
 * Computes the signing headers for a request. Returns them synchronously when
 * node:crypto is available (the client's hot path), a Promise otherwise.
 * `hashes` exists so tests can force the WebCrypto implementation.
 */
export function signParts(
  parts: SignableParts,
  credentials: AkSkCredentials,
  date: Date = new Date(),
  hashes: HashFunctions = defaultHashFunctions(),
): MaybePromise<SigningHeaders> {
  const url = typeof parts.url === "string" ? new URL(parts.url) : parts.url;
  const signed = wireHeaders(parts.headers);
  dropUnsignedHeaders(signed);

  const added: SigningHeaders = {};
  const sdkDate = addIfAbsent(signed, added, "X-Sdk-Date", formatSdkDate(date));
  if (credentials.projectId) addIfAbsent(signed, added, "X-Project-Id", credentials.projectId);
  if (credentials.securityToken) addIfAbsent(signed, added, "X-Security-Token", credentials.securityToken);
  // Signed but not added: fetch sets Host itself, from the same URL.
  if (!signed.has("host")) signed.set("host", url.host);

  const headers = canonicalHeaders(signed);
  const signature = computeSignature(
    { method: parts.method, url, headers },
    payloadHash(signed, parts.body, hashes),
    sdkDate,
    credentials.secretKey,
    hashes,
  );
  return andThen(signature, (hex) => {
    added["Authorization"] =
      `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${headers.signedNames}, Signature=${hex}`;
    return added;
  });
}

/** Hex HMAC of the string to sign; synchronous exactly when `hashes` is. */
function computeSignature(
  request: Omit<CanonicalRequestParts, "payloadHash">,
  payloadHash: MaybePromise<string>,
  sdkDate: string,
  secretKey: string,
  hashes: HashFunctions,
): MaybePromise<string> {
  return andThen(payloadHash, (bodyHash) =>
    andThen(hashes.sha256Hex(canonicalRequest({ ...request, payloadHash: bodyHash })), (requestHash) =>
      hashes.hmacSha256Hex(secretKey, stringToSign(sdkDate, requestHash)),
    ),
  );
}

/**
 * Returns a new, signed copy of `request`. The original is left untouched and
 * its body stays readable: the body is read from a clone.
 */
export async function signRequest(request: Request, credentials: AkSkCredentials, date?: Date): Promise<Request> {
  const body = request.body === null ? undefined : new Uint8Array(await request.clone().arrayBuffer());
  const signingHeaders = await signParts(
    { method: request.method, url: request.url, headers: request.headers, body },
    credentials,
    date,
  );
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(signingHeaders)) headers.set(name, value);
  return new Request(request, { headers, body });
}
