// The three judges of a request: the client's own validation (does it send the request?),
// a JSON Schema validator on the bundled spec, and the running Prism mock. Each answers
// accept or reject; anything else is reported as what it was.

import type { EvsClient, SnapshotFamily } from "../../packages/client/src/index.js";
import { createEvsClient, EvsValidationError } from "../../packages/client/src/index.js";
import { json, recordingFetch, SNAPSHOT } from "../support/client-kit.js";
import { createSpecValidators } from "../support/schema.js";
import type { OpenApiDocument } from "../support/spec.js";
import { loadBundledSpec } from "../support/spec.js";

export type Verdict = "accept" | "reject" | `unexpected: ${string}`;
export const PROJECT_ID = "fuzz-project";
const TOKEN = "fuzz-token";

/** Answers like the service would to a valid request; the calls it records say whether the client sent it. */
function answeringFetch() {
  return recordingFetch((call) =>
    call.method === "GET"
      ? json({ count: 0, snapshots: [] })
      : call.url.endsWith("/rollback")
        ? json({ rollback: { volume_id: SNAPSHOT.volume_id } }, 202)
        : json({ snapshot: SNAPSHOT }, call.method === "POST" ? 202 : 200),
  );
}

/** Runs one call on a client whose fetch only records: did the client send it or refuse it? */
export async function clientVerdict(
  family: SnapshotFamily,
  call: (evs: EvsClient<SnapshotFamily>) => Promise<unknown>,
): Promise<Verdict> {
  const { fetch, calls } = answeringFetch();
  const sent = {
    get count() {
      return calls.length;
    },
  };
  const evs = createEvsClient({
    endpoint: "http://127.0.0.1:9",
    projectId: PROJECT_ID,
    family,
    auth: { token: TOKEN },
    fetch,
    retry: { attempts: 0 },
  });
  try {
    await call(evs);
    return sent.count === 1 ? "accept" : `unexpected: resolved after ${sent.count} requests`;
  } catch (error) {
    if (error instanceof EvsValidationError && sent.count === 0) return "reject";
    return `unexpected: ${String(error)} after ${sent.count} requests`;
  }
}

/** The spec without its byte-limit keyword: what plain JSON Schema (and so Prism) can check. */
function withoutByteLimits(spec: OpenApiDocument): OpenApiDocument {
  return JSON.parse(JSON.stringify(spec), (key, value: unknown) =>
    key === "x-max-utf8-bytes" ? undefined : value,
  ) as OpenApiDocument;
}

const spec = loadBundledSpec();
export const schemas = {
  spec,
  /** Every rule, `x-max-utf8-bytes` included: what the client must agree with. */
  full: createSpecValidators(spec),
  /** Character-based rules only: what Prism must agree with. */
  characters: createSpecValidators(withoutByteLimits(spec)),
};

/**
 * Prism validates the request and answers 4xx with an `sl-violations` header when it is
 * invalid; a 2xx means it accepted it. `X-Auth-Token` satisfies the spec's security.
 */
export async function prismVerdict(
  url: string,
  init: { method: string; body?: string },
): Promise<{ verdict: Verdict; violations?: string }> {
  const response = await fetch(url, {
    method: init.method,
    headers: {
      "X-Auth-Token": TOKEN,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body,
  });
  await response.arrayBuffer();
  const violations = response.headers.get("sl-violations") ?? undefined;
  if (response.ok) return { verdict: "accept" };
  if (response.status >= 400 && response.status < 500 && violations)
    return { verdict: "reject", violations };
  return { verdict: `unexpected: HTTP ${response.status}`, violations };
}
