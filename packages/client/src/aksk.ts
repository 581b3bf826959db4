/**
 * `@evs-toolkit/client/aksk`: AK/SK (SDK-HMAC-SHA256) signing, imported only by the
 * applications that sign. `akSk()` makes the `auth` option of createEvsClient;
 * `signRequest` signs any Request with the same signer.
 */
import type { RequestSigner, SigningAuthProvider } from "./internal/auth.js";
import { CREATE_SIGNER } from "./internal/auth.js";
import { checkCredential, checkNonEmpty, invalid } from "./internal/checks.js";
import { createRequestSigner } from "./signing/sign.js";

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
    [CREATE_SIGNER]: (projectId: string): RequestSigner => ({
      sign: createRequestSigner({ accessKey, secretKey, securityToken, projectId }),
      secrets,
    }),
  });
}
