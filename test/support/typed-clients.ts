// The two clients the type tests (*.test-d.ts) check against: one per family. Type tests are
// only type-checked, never run, so these are never called.
import { akSk } from "../../packages/client/src/aksk.js";
import { createEvsClient, evsEndpoint } from "../../packages/client/src/index.js";

/** Native family (the default), token auth. */
export const evs = createEvsClient({
  endpoint: "https://evs.eu-de.otc.t-systems.com",
  projectId: "p",
  auth: { token: "t" },
});

/** Compatible family, AK/SK auth, endpoint by cloud and region. */
export const compat = createEvsClient({
  endpoint: evsEndpoint({ cloud: "otc", region: "eu-de" }),
  projectId: "p",
  auth: akSk({ accessKey: "a", secretKey: "s" }),
  family: "snapshots",
});
