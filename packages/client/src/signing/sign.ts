/**
 * AK/SK request signing (SDK-HMAC-SHA256), producing the same Authorization
 * header as `AKSKSigner` in @huaweicloud/huaweicloud-sdk-core for the same
 * request. Every header the request carries is signed (plus `host`), as the
 * vendor does; see canonical.ts for the encoding rules.
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

/** Headers to add to the request before sending it. */
export type SigningHeaders = Record<string, string>;

const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** HTTP whitespace (tab, LF, CR, space), as fetch trims it from header values. */
const isHttpWhitespace = (code: number) => code === 9 || code === 10 || code === 13 || code === 32;

/**
 * A header value with its edges trimmed by index: the pattern /[\t\n\r ]+$/ backtracks
 * quadratically over a long run of inner whitespace.
 */
function trimHttpWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** `YYYYMMDDTHHMMSSZ` in UTC, e.g. 20240102T030405Z. */
export function formatSdkDate(date: Date): string {
  // It changes once a second: the last one is kept (a client signs many requests a second).
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastDate.second)
    lastDate = { second, text: date.toISOString().replace(/[-:]|\.\d+/g, "") }; // 2024-01-02T03:04:05.678Z -> 20240102T030405Z
  return lastDate.text;
}
let lastDate = { second: NaN, text: "" };

/**
 * Lowercase name -> value as it goes on the wire. A plain record is normalised
 * the way `Headers` would (trimmed, same-name values joined by ", ") so both
 * inputs sign alike.
 */
function wireHeaders(headers: Headers | Record<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      map.set(name, value);
    });
    return map;
  }
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const value = trimHttpWhitespace(rawValue);
    const previous = map.get(name);
    map.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return map;
}

/**
 * What signing needs from a header set, worked out once: the canonical header
 * block around the X-Sdk-Date value (the only signed header that changes
 * between requests), the signed names, the headers to add and an explicit
 * payload hash.
 */
interface HeaderTemplate {
  host: string;
  before: string;
  after: string;
  signedNames: string;
  /** The request's own X-Sdk-Date, which is signed as it is. */
  fixedDate: string | undefined;
  /** An explicit `X-Sdk-Content-Sha256` (e.g. `UNSIGNED-PAYLOAD`), used verbatim as the payload hash, as the vendor does. */
  payloadHash: string | undefined;
  /** Headers to add besides X-Sdk-Date and Authorization. */
  added: SigningHeaders;
  /** The Authorization value up to the signature. */
  authorization: string;
}

/** Stands in for the date in a template; header values cannot contain NUL (fetch refuses them). */
const DATE_SLOT = "\0";

function headerTemplate(
  headers: Headers | Record<string, string>,
  credentials: AkSkCredentials,
  host: string,
): HeaderTemplate {
  const signed = wireHeaders(headers);
  // Left out of the signature, as in the vendor SDK: `authorization` (the signature
  // replaces it) and a multipart `content-type`, whose boundary the vendor only
  // generates after signing.
  signed.delete("authorization");
  if (signed.get("content-type")?.includes("multipart/form-data")) signed.delete("content-type");
  const fixedDate = signed.get("x-sdk-date");
  signed.set("x-sdk-date", DATE_SLOT);
  // Each is signed and added unless the request already has it (its own value wins, as in the vendor SDK).
  const added: SigningHeaders = {};
  for (const [name, value] of [
    ["X-Project-Id", credentials.projectId],
    ["X-Security-Token", credentials.securityToken],
  ] as const) {
    if (value && !signed.has(name.toLowerCase()))
      signed.set(name.toLowerCase(), (added[name] = value));
  }
  // Signed but not added: fetch sets Host itself, from the same URL.
  if (!signed.has("host")) signed.set("host", host);
  const { block, signedNames } = canonicalHeaders(signed);
  const [before = "", after = ""] = block.split(DATE_SLOT);
  const authorization = `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedNames}, Signature=`;
  return {
    host,
    before,
    after,
    signedNames,
    fixedDate,
    payloadHash: signed.get("x-sdk-content-sha256"),
    added,
    authorization,
  };
}

function sign(
  parts: SignableParts,
  credentials: AkSkCredentials,
  date: Date,
  hashes: HashFunctions,
  templates?: WeakMap<object, HeaderTemplate>,
): MaybePromise<SigningHeaders> {
  const url = typeof parts.url === "string" ? new URL(parts.url) : parts.url;
  let template = templates?.get(parts.headers);
  if (template?.host !== url.host) {
    template = headerTemplate(parts.headers, credentials, url.host);
    templates?.set(parts.headers, template);
  }
  const sdkDate = template.fixedDate ?? formatSdkDate(date);
  const headers = {
    block: template.before + sdkDate + template.after,
    signedNames: template.signedNames,
  };
  const body = parts.body;
  const bodyHash =
    template.payloadHash ??
    (body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : hashes.sha256Hex(body));
  const requestHash = andThen(bodyHash, (payloadHash) =>
    hashes.sha256Hex(canonicalRequest({ method: parts.method, url, headers, payloadHash })),
  );
  const signature = andThen(requestHash, (hash) =>
    hashes.hmacSha256Hex(credentials.secretKey, stringToSign(sdkDate, hash)),
  );
  return andThen(signature, (hex) => {
    const added: SigningHeaders = {
      ...template.added,
      Authorization: template.authorization + hex,
    };
    if (template.fixedDate === undefined) added["X-Sdk-Date"] = sdkDate;
    return added;
  });
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
  return sign(parts, credentials, date, hashes);
}

/**
 * The client's signer: signParts, with the header work done once per header
 * object. The transport sends the same few header objects again and again and
 * never changes one after sending it, so they key a cache.
 */
export function createRequestSigner(
  credentials: AkSkCredentials,
): (parts: SignableParts) => MaybePromise<SigningHeaders> {
  const templates = new WeakMap<object, HeaderTemplate>();
  return (parts) => sign(parts, credentials, new Date(), defaultHashFunctions(), templates);
}

/**
 * Returns a new, signed copy of `request`. The original is left untouched and
 * its body stays readable: the body is read from a clone.
 */
export async function signRequest(
  request: Request,
  credentials: AkSkCredentials,
  date?: Date,
): Promise<Request> {
  const body =
    request.body === null ? undefined : new Uint8Array(await request.clone().arrayBuffer());
  const signingHeaders = await signParts(
    { method: request.method, url: request.url, headers: request.headers, body },
    credentials,
    date,
  );
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(signingHeaders)) headers.set(name, value);
  return new Request(request, { headers, body });
}
