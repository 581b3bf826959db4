/**
 * Canonical-request building for the SDK-HMAC-SHA256 (AK/SK) scheme, matched
 * byte for byte against `AKSKSigner` in @huaweicloud/huaweicloud-sdk-core.
 * Pure string work: hashing lives in crypto.ts, orchestration in sign.ts.
 */

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

/** Matches strings made only of RFC 3986 unreserved characters (nothing to encode). */
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
/** The same, for a whole path: unreserved segments joined by `/`. */
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
/** encodeURIComponent keeps these five, the vendor encoder does not. */
const SUB_DELIMS_KEPT_BY_ENCODE_URI = /[!'()*]/g;

function percentEncodeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Percent-encodes everything except RFC 3986 unreserved characters, UTF-8 for
 * non-ASCII, uppercase hex: the vendor's `urlEncode` table. `%` itself is
 * encoded, so an already-encoded `%2F` becomes `%252F` (the vendor does not
 * decode before encoding). encodeURIComponent does the heavy lifting natively.
 */
export function uriEncode(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(SUB_DELIMS_KEPT_BY_ENCODE_URI, percentEncodeChar);
}

/**
 * The vendor reads the path with the legacy `url.parse`, which escapes these
 * three characters that a WHATWG URL (and so the wire) keeps raw; the vendor
 * then encodes its `%` again. Escaping them first reproduces its signature.
 */
const ESCAPED_BY_LEGACY_URL_PARSE = /['^|]/g;

/**
 * Every `/`-separated segment of the path as it appears in the URL
 * (URL.pathname, already percent-encoded) is encoded again, and the result
 * always ends in `/` even though the request itself is sent without it.
 */
export function canonicalUri(pathname: string): string {
  // The common case (a path of unreserved characters) needs no encoding at all.
  const encoded = UNRESERVED_PATH.test(pathname)
    ? pathname
    : pathname
        .replace(ESCAPED_BY_LEGACY_URL_PARSE, percentEncodeChar)
        .split("/")
        .map(uriEncode)
        .join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/** `?k=v&k=v` made only of unreserved characters. */
const SIMPLE_QUERY = /^\?[\w.~-]+=[\w.~-]*(?:&[\w.~-]+=[\w.~-]*)*$/;

/** UTF-16 code-unit order, which is what the vendor's `Array#sort()` uses. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorted `k=v` pairs joined by `&`. The vendor sorts the *decoded* keys, and
 * the decoded values of a repeated key, before encoding them, so sorting
 * happens here on decoded pairs too (it differs from sorting encoded text for
 * non-ASCII). A key without `=` signs as `k=`.
 *
 * Decoding follows URLSearchParams (`+` is a space), so `a+b` and `a%20b` in a
 * URL sign identically and a literal plus must be sent as `%2B`.
 */
export function canonicalQuery(search: string): string {
  if (SIMPLE_QUERY.test(search)) {
    // The usual query (unreserved keys and values) needs no decoding or encoding: only sorting, and one pair not even that.
    if (!search.includes("&")) return search.slice(1);
    return joinPairs(
      search
        .slice(1)
        .split("&")
        .map((pair) => pair.split("=") as [string, string]),
    );
  }
  return joinPairs([...new URLSearchParams(search)], uriEncode);
}

/** Sorted by key, then value; joined as `k=v&k=v`. */
function joinPairs(pairs: [string, string][], encode = (text: string) => text): string {
  pairs.sort(([ka, va], [kb, vb]) => compareCodeUnits(ka, kb) || compareCodeUnits(va, vb));
  return pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join("&");
}

export interface CanonicalHeaders {
  /** `name:value\n` for each signed header, sorted by name. */
  block: string;
  /** Lowercase names joined by `;` (the `SignedHeaders=` value). */
  signedNames: string;
}

/**
 * Expects lowercase names and wire-normalised values (what `Headers` yields).
 * Values are used verbatim, as the vendor does: no inner-whitespace folding.
 *
 * Names are sorted by code unit. The vendor sorts the name list that way but
 * the `name:value` block with `localeCompare`; the two orders agree for
 * `[a-z0-9-]` names, and code-unit order is the one the gateway verifies.
 */
export function canonicalHeaders(headers: ReadonlyMap<string, string>): CanonicalHeaders {
  const names = [...headers.keys()].sort(compareCodeUnits);
  let block = "";
  for (const name of names) block += `${name}:${headers.get(name)}\n`;
  return { block, signedNames: names.join(";") };
}

export interface CanonicalRequestParts {
  method: string;
  url: Pick<URL, "pathname" | "search">;
  headers: CanonicalHeaders;
  payloadHash: string;
}

export function canonicalRequest({
  method,
  url,
  headers,
  payloadHash,
}: CanonicalRequestParts): string {
  const query = canonicalQuery(url.search);
  return `${method}\n${canonicalUri(url.pathname)}\n${query}\n${headers.block}\n${headers.signedNames}\n${payloadHash}`;
}

export function stringToSign(sdkDate: string, canonicalRequestHash: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${canonicalRequestHash}`;
}
