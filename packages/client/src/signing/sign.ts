/**
 * AK/SK request signing (SDK-HMAC-SHA256), producing the same Authorization header as
 * `AKSKSigner` in @huaweicloud/huaweicloud-sdk-core for the same request. Every header
 * the request carries is signed (plus `host`), as the vendor does; see canonical.ts for
 * the encoding rules.
 *
 * Header names are produced in lowercase: that is how fetch sends them anyway, and
 * fetch lowercases a mixed-case name on a slow path, several times per request.
 */
import {
  canonicalHeaders,
  canonicalRequest,
  SIGNING_ALGORITHM,
  stringToSign,
} from "./canonical.js";
import type { HashFunctions, MaybePromise } from "./crypto.js";
import { andThen, defaultHashFunctions } from "./crypto.js";

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** Temporary (STS) credentials only; sent as X-Security-Token. */
  securityToken?: string;
  /** Sent as X-Project-Id. */
  projectId?: string;
}

/** What of a URL is signed: a `URL` has it, and so has what the transport passes (no parsing on its hot path). */
export type SignedUrl = Pick<URL, "host" | "pathname" | "search">;

export interface SignableParts {
  method: string;
  url: string | SignedUrl;
  /** The headers that will be sent; all of them are signed. */
  headers: Headers | Record<string, string>;
  /** The exact body bytes that will be sent (strings are UTF-8). */
  body?: string | Uint8Array | undefined;
}

/** Headers (lowercase names) to add to the request before sending it. */
export type SigningHeaders = Record<string, string>;

/** SHA-256 of no body (a GET's payload hash), hashed once. */
let emptyBodyHash: MaybePromise<string> | undefined;

/** `YYYYMMDDTHHMMSSZ` in UTC, e.g. 20240102T030405Z. */
export function formatSdkDate(date: Date): string {
  // It changes once a second: the last one is kept (a client signs many requests a second).
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastDate[0]) lastDate = [second, date.toISOString().replace(/[-:]|\.\d+/g, "")]; // 2024-01-02T03:04:05.678Z -> 20240102T030405Z
  return lastDate[1];
}
let lastDate: [number, string] = [NaN, ""];

const isHttpWhitespace = (code: number) => code === 9 || code === 10 || code === 13 || code === 32;

/**
 * Lowercase name -> value as it goes on the wire. A plain record is normalised the way
 * `Headers` would (edges trimmed, same-name values joined by ", ") so both inputs sign
 * alike. Trimmed by index: /[\t\n\r ]+$/ backtracks quadratically on inner whitespace.
 */
function wireHeaders(headers: Headers | Record<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  for (let [name, value] of headers instanceof Headers ? headers : Object.entries(headers)) {
    let start = 0;
    let end = value.length;
    while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
    while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
    value = value.slice(start, end);
    name = name.toLowerCase();
    const previous = map.get(name);
    map.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return map;
}

/**
 * What signing needs from one header set, worked out once: the canonical header block
 * around the X-Sdk-Date value (the only signed header that changes between requests).
 */
interface Template {
  host: string;
  /** The canonical header block before and after the date. */
  block: [string, string];
  signedNames: string;
  /** The request's own X-Sdk-Date, which is signed as it is. */
  fixedDate: string | undefined;
  /** An explicit `X-Sdk-Content-Sha256` (e.g. `UNSIGNED-PAYLOAD`), used verbatim as the payload hash, as the vendor does. */
  payloadHash: string | undefined;
  /** Headers to add besides X-Sdk-Date and Authorization. */
  added: SigningHeaders;
  /** The request's headers as they go on the wire, without Authorization, plus `added`. */
  sent: Record<string, string>;
  /** The Authorization value up to the signature. */
  authorization: string;
}

/** Stands in for the date in a template; header values cannot contain NUL (fetch refuses them). */
const DATE_SLOT = "\0";

function template(
  headers: Headers | Record<string, string>,
  { accessKey, projectId, securityToken }: AkSkCredentials,
  host: string,
): Template {
  const signed = wireHeaders(headers);
  // Left out of the signature, as in the vendor SDK: `authorization` (the signature
  // replaces it) and a multipart `content-type`, whose boundary the vendor only
  // generates after signing.
  signed.delete("authorization");
  const sent = Object.fromEntries(signed);
  if (signed.get("content-type")?.includes("multipart/form-data")) signed.delete("content-type");
  const fixedDate = signed.get("x-sdk-date");
  signed.set("x-sdk-date", DATE_SLOT);
  // Each is signed and added unless the request already has it (its own value wins, as in the vendor SDK).
  const added: SigningHeaders = {};
  for (const [name, value] of [
    ["x-project-id", projectId],
    ["x-security-token", securityToken],
  ] as const) {
    if (value && !signed.has(name)) signed.set(name, (added[name] = sent[name] = value));
  }
  // Signed but not added: fetch sets Host itself, from the same URL.
  if (!signed.has("host")) signed.set("host", host);
  const { block, signedNames } = canonicalHeaders(signed);
  return {
    host,
    block: block.split(DATE_SLOT) as [string, string],
    signedNames,
    fixedDate,
    payloadHash: signed.get("x-sdk-content-sha256"),
    added,
    sent,
    authorization: `${SIGNING_ALGORITHM} Access=${accessKey}, SignedHeaders=${signedNames}, Signature=`,
  };
}

/** Signs and hands the date and signature to `finish`, which builds the headers wanted. */
function sign(
  parts: SignableParts,
  credentials: AkSkCredentials,
  date: Date,
  hashes: HashFunctions,
  finish: (t: Template, date: string, signature: string) => SigningHeaders,
  templates?: WeakMap<object, Template>,
): MaybePromise<SigningHeaders> {
  const url = typeof parts.url === "string" ? new URL(parts.url) : parts.url;
  let t = templates?.get(parts.headers);
  if (t?.host !== url.host) {
    t = template(parts.headers, credentials, url.host);
    templates?.set(parts.headers, t);
  }
  const sdkDate = t.fixedDate ?? formatSdkDate(date);
  const { body } = parts;
  const payload =
    t.payloadHash ??
    (body?.length ? hashes.sha256Hex(body) : (emptyBodyHash ??= hashes.sha256Hex("")));
  const headers = { block: t.block[0] + sdkDate + t.block[1], signedNames: t.signedNames };
  const requestHash = andThen(payload, (payloadHash) =>
    hashes.sha256Hex(canonicalRequest({ method: parts.method, url, headers, payloadHash })),
  );
  const signature = andThen(requestHash, (hash) =>
    hashes.hmacSha256Hex(credentials.secretKey, stringToSign(sdkDate, hash)),
  );
  return andThen(signature, (hex) => finish(t, sdkDate, hex));
}

/** Just the signing headers: x-sdk-date (unless the request has its own), x-project-id and x-security-token (when the credentials have them and the request does not), authorization. */
const signingHeaders = (t: Template, sdkDate: string, signature: string): SigningHeaders => ({
  ...t.added,
  ...(t.fixedDate === undefined && { "x-sdk-date": sdkDate }),
  authorization: t.authorization + signature,
});

/**
 * Computes the signing headers for a request. Returns them synchronously when
 * node:crypto is available (the client's hot path), a Promise otherwise.
 * `hashes` exists so tests can force the WebCrypto implementation.
 */
export const signParts = (
  parts: SignableParts,
  credentials: AkSkCredentials,
  date: Date = new Date(),
  hashes: HashFunctions = defaultHashFunctions(),
): MaybePromise<SigningHeaders> => sign(parts, credentials, date, hashes, signingHeaders);

/**
 * The client's signer: it returns every header to send (the request's, lowercase and
 * normalised, plus the signing headers), built in one object literal, and does the
 * header work once per header object. The transport sends the same few header objects
 * again and again and never changes one after sending it, so they key a cache.
 */
export function createRequestSigner(
  credentials: AkSkCredentials,
): (parts: SignableParts) => MaybePromise<Record<string, string>> {
  const templates = new WeakMap<object, Template>();
  const allHeaders = (t: Template, sdkDate: string, signature: string) => ({
    ...t.sent,
    "x-sdk-date": sdkDate,
    authorization: t.authorization + signature,
  });
  return (parts) =>
    sign(parts, credentials, new Date(), defaultHashFunctions(), allHeaders, templates);
}

/**
 * Returns a new, signed copy of `request`. The original is left untouched and its body
 * stays readable: the body is read from a clone.
 */
export async function signRequest(
  request: Request,
  credentials: AkSkCredentials,
  date?: Date,
): Promise<Request> {
  const body =
    request.body === null ? undefined : new Uint8Array(await request.clone().arrayBuffer());
  const { headers, method, url } = request;
  const added = await signParts({ method, url, headers, body }, credentials, date);
  const signed = new Headers(headers);
  for (const name in added) signed.set(name, added[name]!);
  return new Request(request, { headers: signed, body });
}
