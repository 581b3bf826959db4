// Shared by the mock's tests: a fetch that records Prism's verdict on every answer (the
// emulator must never contradict the contract), and small raw-HTTP helpers.
import type { FetchLike } from "../../packages/client/src/index.js";

/**
 * A token for one project: the mock scopes a token to the project of its first call (as
 * IAM scopes it) and refuses it on any other, so each project gets its own.
 */
export const tokenFor = (projectId: string) => ({ "X-Auth-Token": `test-token-${projectId}` });
export const TOKEN = tokenFor("p");

/** The project of an API path (`/v2/<project>/…`). */
const projectOf = (path: string) => decodeURIComponent(path.split("/")[2] ?? "");
export const VOLUME = "5aa119a8-d25b-45a7-8d1b-88e127885635";

export interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export function violationsOf(response: Response): Violation[] {
  const header = response.headers.get("sl-violations");
  return header ? (JSON.parse(header) as Violation[]) : [];
}

/** Violations Prism found in the answer (not the request) of a response. */
export function responseViolations(response: Response): Violation[] {
  return violationsOf(response).filter((v) => v.location[0] === "response");
}

/** A fetch for the client that keeps every response violation it sees, with the request. */
export function recordingFetch(): { fetch: FetchLike; violations: string[] } {
  const violations: string[] = [];
  const fetchAndRecord: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    for (const v of responseViolations(response))
      violations.push(
        `${init?.method ?? "GET"} ${String(input)}: ${v.location.join(".")} ${v.message}`,
      );
    return response;
  };
  return { fetch: fetchAndRecord, violations };
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
  violations: Violation[];
}

/** One raw call with the path's project's token (unless headers say otherwise); the body is JSON when given. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = tokenFor(projectOf(path)),
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {}
  return {
    status: response.status,
    body: parsed,
    headers: response.headers,
    violations: violationsOf(response),
  };
}

/** Polls until `check` passes or `ms` elapse (the mock's transitions are time-based). */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
