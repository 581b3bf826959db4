/**
 * How `createEvsClient` and an auth provider meet. A token is plain data (`{ token }`);
 * request signing lives behind a provider object made by `akSk()` in the `aksk` entry
 * point, so an application that never signs never bundles the signer. The provider hands
 * the transport a signer per client; the key is a registered symbol so that it is the same
 * across copies of the package.
 */
import type { SignableParts } from "../signing/sign.js";

/** Headers the transport owns; a caller-supplied value would be stale (date) or wrong (credentials). */
export const AUTH_HEADER_NAMES: readonly string[] = [
  "x-auth-token",
  "authorization",
  "x-sdk-date",
  "x-project-id",
  "x-security-token",
];

export const CREATE_SIGNER: unique symbol = Symbol.for("@evs-toolkit/client.createSigner") as never;

export interface RequestSigner {
  /**
   * Every header to send for one request: `parts.headers` plus the signing headers, in one
   * new object (synchronous with node:crypto, a Promise with WebCrypto).
   */
  sign(parts: SignableParts): Record<string, string> | Promise<Record<string, string>>;
  /** What must never appear in an error: the secret key, the security token. */
  secrets: readonly string[];
}

/** An auth provider: what `akSk()` returns. Opaque to callers. */
export interface SigningAuthProvider {
  readonly kind: "aksk";
  /** The access key ID (not a secret; it is sent in every Authorization header). */
  readonly accessKey: string;
  readonly [CREATE_SIGNER]: (projectId: string) => RequestSigner;
}

export function isSigningProvider(value: unknown): value is SigningAuthProvider {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<SigningAuthProvider>)[CREATE_SIGNER] === "function"
  );
}
