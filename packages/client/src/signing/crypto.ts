/**
 * SHA-256 / HMAC-SHA256 hex digests for the request signer.
 *
 * Why two implementations behind a `string | Promise<string>` API:
 * - On Node, `node:crypto` hashes synchronously in about a microsecond; going
 *   through WebCrypto would cost a promise round-trip per digest (three per
 *   request) on the client's hot path. So when Node crypto is there, every
 *   function returns a plain string and the whole signature is computed
 *   synchronously, with the one-shot `crypto.hash` (no Hash or Hmac objects).
 * - Browsers (and other runtimes) only have the async `crypto.subtle`.
 * `node:crypto` is reached through `process.getBuiltinModule` (Node >= 20.16),
 * never a static import, so bundlers targeting the browser see no Node import.
 */
import type * as NodeCrypto from "node:crypto";

export type MaybePromise<T> = T | Promise<T>;

/** Runs `fn` now on a plain value, or after the promise settles. */
export function andThen<T, U>(
  value: MaybePromise<T>,
  fn: (resolved: T) => MaybePromise<U>,
): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

export interface HashFunctions {
  /** Lowercase hex SHA-256; strings are hashed as UTF-8. */
  sha256Hex(data: string | Uint8Array): MaybePromise<string>;
  /** Lowercase hex HMAC-SHA256 with a UTF-8 key and message. */
  hmacSha256Hex(key: string, message: string): MaybePromise<string>;
}

/** Needs the one-shot `crypto.hash` (Node >= 20.12, so any Node with getBuiltinModule). */
function createNodeHashFunctions(crypto: typeof NodeCrypto): HashFunctions {
  const oneShot = crypto.hash;
  // HMAC (RFC 2104) as two one-shot hashes over key pads prepared once per secret:
  // SHA256((K ^ opad) || SHA256((K ^ ipad) || message)). Right after a network round
  // trip every distinct native call runs cold; one `crypto.hash` used three times per
  // signature costs far less there than createHmac's stream object (measured in situ).
  // The inner pad of an ASCII secret of at most 64 bytes (AK/SK secrets have 40) is
  // ASCII text, so it is hashed as a string; any other secret takes createHmac.
  let cached: { secret: string; innerPad: string; outer: Uint8Array } | undefined;
  const pads = (secret: string) => {
    const outer = new Uint8Array(96).fill(0x5c, 0, 64);
    let innerPad = "";
    if (/^[\0-\x7f]{0,64}$/.test(secret)) {
      for (let i = 0; i < 64; i++) {
        const byte = secret.charCodeAt(i) || 0; // NaN past the end: zero padding
        innerPad += String.fromCharCode(byte ^ 0x36);
        outer[i]! ^= byte;
      }
    }
    return { secret, innerPad, outer };
  };
  return {
    sha256Hex: (data) => oneShot("sha256", data, "hex"),
    hmacSha256Hex: (secret, message) => {
      if (cached?.secret !== secret) cached = pads(secret);
      if (!cached.innerPad)
        return crypto.createHmac("sha256", secret).update(message).digest("hex");
      cached.outer.set(
        oneShot("sha256", cached.innerPad + message, "buffer") as unknown as Uint8Array,
        64,
      );
      return oneShot("sha256", cached.outer, "hex");
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
    typeof data === "string"
      ? encoder.encode(data)
      : data.buffer instanceof ArrayBuffer
        ? (data as Uint8Array<ArrayBuffer>)
        : data.slice();

  return {
    sha256Hex: async (data) => toHex(await subtle.digest("SHA-256", bytes(data))),
    hmacSha256Hex: async (secret, message) => {
      if (cachedSecret !== secret || !cachedKey) {
        cachedSecret = secret;
        cachedKey = subtle.importKey(
          "raw",
          bytes(secret),
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["sign"],
        );
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
    // Other runtimes that offer node:crypto may lack the one-shot hash: they take WebCrypto.
    if (typeof nodeCrypto?.hash === "function") detected = createNodeHashFunctions(nodeCrypto);
    else if (subtle) detected = createWebCryptoHashFunctions(subtle);
    else
      throw new Error(
        "AK/SK signing needs node:crypto (Node >= 20.16) or WebCrypto (crypto.subtle)",
      );
  }
  return detected;
}
