/**
 * SHA-256 / HMAC-SHA256 hex digests for the request signer.
 *
 * Why two implementations behind a `string | Promise<string>` API:
 * - On Node, `node:crypto` hashes synchronously in ~1 µs; going through
 *   WebCrypto would cost a promise round-trip per digest (three per request)
 *   on the client's hot path. So when Node crypto is there, every function
 *   returns a plain string and the whole signature is computed synchronously.
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
  return {
    sha256Hex: (data) => crypto.createHash("sha256").update(data).digest("hex"),
    hmacSha256Hex: (key, message) => crypto.createHmac("sha256", key).update(message).digest("hex"),
  };
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function toHex(buffer: ArrayBuffer): string {
  let hex = "";
  for (const byte of new Uint8Array(buffer)) hex += HEX_BYTES[byte];
  return hex;
}

/** WebCrypto rejects views on a SharedArrayBuffer, so those are copied (fetch bodies never are). */
function unsharedBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : data.slice();
}

/**
 * WebCrypto needs an imported CryptoKey per secret; importing costs more than
 * the HMAC itself, so the key for the most recent secret is kept (a client
 * signs with one credential pair at a time).
 */
export function createWebCryptoHashFunctions(subtle: SubtleCrypto): HashFunctions {
  const encoder = new TextEncoder();
  let cachedKey: { secret: string; key: Promise<CryptoKey> } | undefined;

  function hmacKey(secret: string): Promise<CryptoKey> {
    if (cachedKey?.secret !== secret) {
      const key = subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      cachedKey = { secret, key };
    }
    return cachedKey.key;
  }

  return {
    sha256Hex: async (data) =>
      toHex(await subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : unsharedBytes(data))),
    hmacSha256Hex: async (key, message) =>
      toHex(await subtle.sign("HMAC", await hmacKey(key), encoder.encode(message))),
  };
}

function detectHashFunctions(): HashFunctions {
  const nodeCrypto = globalThis.process?.getBuiltinModule?.("node:crypto");
  if (nodeCrypto) return createNodeHashFunctions(nodeCrypto);
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return createWebCryptoHashFunctions(subtle);
  throw new Error("AK/SK signing needs node:crypto (Node >= 20.16) or WebCrypto (crypto.subtle)");
}

let detected: HashFunctions | undefined;

/** The fastest implementation available here, picked once on first use. */
export function defaultHashFunctions(): HashFunctions {
  detected ??= detectHashFunctions();
  return detected;
}
