/**
 * SHA-256 / HMAC-SHA256 hex digests for the request signer.
 *
 * Why two implementations behind a `string | Promise<string>` API:
 * - On Node, `node:crypto` hashes synchronously in about a microsecond; going
 *   through WebCrypto would cost a promise round-trip per digest (three per
 *   request) on the client's hot path. So when Node crypto is there, every
 *   function returns a plain string and the whole signature is computed
 *   synchronously. The one-shot `crypto.hash` (Node >= 20.12) is used when
 *   present: it skips building a Hash object per digest.
 * - Browsers (and other runtimes) only have the async `crypto.subtle`.
 * `node:crypto` is reached through `process.getBuiltinModule` (Node >= 20.16),
 * never a static import, so bundlers targeting the browser see no Node import.
 */
import type * as NodeCrypto from "node:crypto";

export type MaybePromise<T> = T | Promise<T>;

/** Runs `fn` now on a plain value, or after the promise settles. */
export function andThen<T, U>(value: MaybePromise<T>, fn: (resolved: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

export interface HashFunctions {
  /** Lowercase hex SHA-256; strings are hashed as UTF-8. */
  sha256Hex(data: string | Uint8Array): MaybePromise<string>;
  /** Lowercase hex HMAC-SHA256 with a UTF-8 key and message. */
  hmacSha256Hex(key: string, message: string): MaybePromise<string>;
}

function createNodeHashFunctions(crypto: typeof NodeCrypto): HashFunctions {
  const oneShot = crypto.hash as typeof crypto.hash | undefined;
  // A KeyObject for the most recent secret spares the HMAC re-reading the key text each time.
  let cached: { secret: string; key: NodeCrypto.KeyObject } | undefined;
  return {
    sha256Hex: oneShot
      ? (data) => oneShot("sha256", data, "hex")
      : (data) => crypto.createHash("sha256").update(data).digest("hex"),
    hmacSha256Hex: (secret, message) => {
      if (cached?.secret !== secret) cached = { secret, key: crypto.createSecretKey(secret, "utf8") };
      return crypto.createHmac("sha256", cached.key).update(message).digest("hex");
    },
  };
}

function toHex(buffer: ArrayBuffer): string {
  let hex = "";
  for (const byte of new Uint8Array(buffer)) hex += (byte < 16 ? "0" : "") + byte.toString(16);
  return hex;
}

/**
 * WebCrypto needs an imported CryptoKey per secret; importing costs more than
 * the HMAC itself, so the key for the most recent secret is kept (a client
 * signs with one credential pair at a time).
 */
export function createWebCryptoHashFunctions(subtle: SubtleCrypto): HashFunctions {
  const encoder = new TextEncoder();
  let cachedSecret: string | undefined;
  let cachedKey: Promise<CryptoKey> | undefined;
  // WebCrypto rejects views on a SharedArrayBuffer, so those are copied (fetch bodies never are).
  const bytes = (data: string | Uint8Array) =>
    typeof data === "string" ? encoder.encode(data) : data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : data.slice();

  return {
    sha256Hex: async (data) => toHex(await subtle.digest("SHA-256", bytes(data))),
    hmacSha256Hex: async (secret, message) => {
      if (cachedSecret !== secret || !cachedKey) {
        cachedSecret = secret;
        cachedKey = subtle.importKey("raw", bytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      }
      return toHex(await subtle.sign("HMAC", await cachedKey, bytes(message)));
    },
  };
}

let detected: HashFunctions | undefined;

/** The fastest implementation available here, picked once on first use. */
export function defaultHashFunctions(): HashFunctions {
  if (!detected) {
    const nodeCrypto = globalThis.process?.getBuiltinModule?.("node:crypto");
    const subtle = globalThis.crypto?.subtle;
    if (nodeCrypto) detected = createNodeHashFunctions(nodeCrypto);
    else if (subtle) detected = createWebCryptoHashFunctions(subtle);
    else throw new Error("AK/SK signing needs node:crypto (Node >= 20.16) or WebCrypto (crypto.subtle)");
  }
  return detected;
}
