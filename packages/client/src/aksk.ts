/**
 * `@evs-toolkit/client/aksk`: AK/SK (SDK-HMAC-SHA256) signing, imported only by the
 * applications that sign. `akSk()` makes the `auth` option of createEvsClient;
 * `signRequest` signs any Request with the same signer.
 */
import type { RequestSigner, SigningAuthProvider } from "./internal/auth.js";
import { CREATE_SIGNER } from "./internal/auth.js";
import { checkCredential, checkNonEmpty, invalid } from "./internal/checks.js";
import { REDACTED } from "./internal/redact.js";
import { andThen } from "./signing/crypto.js";
import { createRequestSigner, type SignableParts } from "./signing/sign.js";

export type { AkSkCredentials, SignableParts, SigningHeaders } from "./signing/sign.js";
export { signRequest } from "./signing/sign.js";

export interface AkSkOptions {
  accessKey: string;
  secretKey: string;
  /** Temporary (STS) credentials only; sent as X-Security-Token. */
  securityToken?: string;
}

/**
 * The auth option for AK/SK signing: `createEvsClient({ ..., auth: akSk({ accessKey, secretKey }) })`.
 * The credentials are checked now (header-safe, never quoted in errors) and copied, so
 * later changes to the object passed in do not leak in. The returned object holds no
 * secret in any property: logging it shows the access key only.
 */
export function akSk(options: AkSkOptions): SigningAuthProvider {
  if (typeof options !== "object" || options === null)
    invalid("auth", "akSk() needs { accessKey, secretKey, securityToken? }");
  const { accessKey, secretKey, securityToken } = options;
  checkCredential("auth.accessKey", accessKey);
  // The secret never goes on the wire, but it keys an HMAC: any non-empty text works.
  checkNonEmpty("auth.secretKey", secretKey);
  if (securityToken !== undefined) checkCredential("auth.securityToken", securityToken);
  const secrets = securityToken === undefined ? [secretKey] : [secretKey, securityToken];
  return Object.freeze({
    kind: "aksk" as const,
    accessKey,
    [CREATE_SIGNER]: (projectId: string): RequestSigner =>
      rememberingSigner(
        createRequestSigner({ accessKey, secretKey, securityToken, projectId }),
        secrets,
      ),
  });
}

/** More than can be in flight at once: an answer's error is built right after it arrives. */
const SIGNATURES_KEPT = 64;
/** A signature on its own: 64 hex digits, not part of a longer run of hex (a linear pattern). */
const SIGNATURE_ALONE = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/gi;

/**
 * The signer, remembering the last SIGNATURES_KEPT signatures it made, so that the
 * transport's redactor can take them out of anything a server echoes (bare, quoted,
 * percent-encoded, in any case), not only where an Authorization header would have them.
 * A signature is good for one request for 15 minutes: in a log, it could be replayed.
 */
function rememberingSigner(
  sign: (parts: SignableParts) => Record<string, string> | Promise<Record<string, string>>,
  secrets: readonly string[],
): RequestSigner {
  const recent = new Set<string>();
  const remember = (headers: Record<string, string>) => {
    recent.add(headers.authorization!.slice(-64));
    if (recent.size > SIGNATURES_KEPT) recent.delete(recent.values().next().value!);
    return headers;
  };
  return {
    sign: (parts) => andThen(sign(parts), remember),
    secrets,
    redact: (text) =>
      text.replace(SIGNATURE_ALONE, (hex) => (recent.has(hex.toLowerCase()) ? REDACTED : hex)),
  };
}
