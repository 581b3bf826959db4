/**
 * SHA-256 / HMAC-SHA256 hex digests for the request signer.
 *
 * Why two implementations behind a `string | Promise<string>` API:
 * - On Node, `node:crypto` hashes synchronously; going through WebCrypto would cost a
 *   promise round-trip per digest (three per request) on the client's hot path. So when
 *   Node crypto is there, every function returns a plain string and the whole signature
 *   is computed synchronously, with the one-shot `crypto.hash` (no Hash or Hmac objects).
 * - Browsers (and other runtimes) only have the async `crypto.subtle`.
 * `node:crypto` is reached through `process.getBuiltinModule` (Node >= 20.16), never a
 * static import, so bundlers targeting the browser see no Node import.
 */
import type * as NodeCrypto from "node:crypto";

export type MaybePromise<T> = T | Promise<T>;

/** Runs `fn` now on a plain value, or after the promise settles. */
export const andThen = <T, U>(
  value: MaybePromise<T>,
  fn: (resolved: T) => MaybePromise<U>,
): MaybePromise<U> => (value instanceof Promise ? value.then(fn) : fn(value));

export interface HashFunctions {
  /** Lowercase hex SHA-256; strings are hashed as UTF-8. */
  sha256Hex(data: string | Uint8Array): MaybePromise<string>;
  /** Lowercase hex HMAC-SHA256 with a UTF-8 key and message. */
  hmacSha256Hex(key: string, message: string): MaybePromise<string>;
}

/**
 * HMAC (RFC 2104) as two one-shot hashes, SHA256((K ^ opad) || SHA256((K ^ ipad) || m)),
 * over pads prepared once per secret: per signature, a native Hmac object costs about as
 * much as both hashes (measured with callgrind). The inner pad of an ASCII secret of at
 * most 64 bytes (AK/SK secrets have 40) is ASCII text, so it is hashed as a string with
 * the message; the inner digest comes back as a latin1 ("binary") string (a Buffer made in C++ costs
 * more than the hash) and is copied after the outer pad. Any other secret takes createHmac.
 */
function nodeHashFunctions(crypto: typeof NodeCrypto): HashFunctions {
  const { hash } = crypto;
  const outer = new Uint8Array(96);
  let secret: string | undefined;
  let inner = "";
  return {
    sha256Hex: (data) => hash("sha256", data, "hex"),
    hmacSha256Hex(key, message) {
      if (key !== secret) {
        secret = key;
        inner = "";
        if (/^[\0-\x7f]{0,64}$/.test(key)) {
          for (let i = 0; i < 64; i++) {
            const byte = key.charCodeAt(i) || 0; // NaN past the end: zero padding
            inner += String.fromCharCode(byte ^ 0x36);
            outer[i] = byte ^ 0x5c;
          }
        }
      }
      if (!inner) return crypto.createHmac("sha256", key).update(message).digest("hex");
      const digest = hash("sha256", inner + message, "binary"); // latin1
      for (let i = 0; i < 32; i++) outer[64 + i] = digest.charCodeAt(i);
      return hash("sha256", outer, "hex");
    },
  };
}

const toHex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * WebCrypto needs an imported CryptoKey per secret; importing costs more than the HMAC
 * itself, so the key for the most recent secret is kept (a client signs with one
 * credential pair at a time).
 */
export function createWebCryptoHashFunctions(subtle: SubtleCrypto): HashFunctions {
  const encoder = new TextEncoder();
  let secret: string | undefined;
  let key: Promise<CryptoKey> | undefined;
  // WebCrypto rejects views on a SharedArrayBuffer, so those are copied (fetch bodies never are).
  const bytes = (data: string | Uint8Array) =>
    typeof data === "string"
      ? encoder.encode(data)
      : data.buffer instanceof ArrayBuffer
        ? (data as Uint8Array<ArrayBuffer>)
        : data.slice();
  return {
    sha256Hex: async (data) => toHex(await subtle.digest("SHA-256", bytes(data))),
    async hmacSha256Hex(secretKey, message) {
      if (secretKey !== secret || !key) {
        secret = secretKey;
        key = subtle.importKey("raw", bytes(secretKey), { name: "HMAC", hash: "SHA-256" }, false, [
          "sign",
        ]);
      }
      return toHex(await subtle.sign("HMAC", await key, bytes(message)));
    },
  };
}

let detected: HashFunctions | undefined;

/** The fastest implementation available here, picked once on first use. */
export function defaultHashFunctions(): HashFunctions {
  if (!detected) {
    const nodeCrypto = globalThis.process?.getBuiltinModule?.("node:crypto");
    const subtle = globalThis.crypto?.subtle;
    // Other runtimes that offer node:crypto may lack the one-shot hash: they take WebCrypto.
    if (typeof nodeCrypto?.hash === "function") detected = nodeHashFunctions(nodeCrypto);
    else if (subtle) detected = createWebCryptoHashFunctions(subtle);
    else
      throw new Error(
        "AK/SK signing needs node:crypto (Node >= 20.16) or WebCrypto (crypto.subtle)",
      );
  }
  return detected;
}
