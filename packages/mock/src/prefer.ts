/**
 * `Prefer: code=…, example=…`, the mock's own header (Prism's convention): it picks a
 * documented answer. The real service ignores the header, so a Prefer the contract cannot
 * honour is the caller's mistake, not the API's: the mock refuses it in both modes with one
 * answer of its own (422 problem+json naming what was asked and what is documented), rather
 * than ignoring it (a test would pass on an answer it did not ask for) or answering in an
 * envelope the real API would never send for it.
 */
import type { Spec, SpecOperation } from "./spec.js";

export interface Preference {
  /** The raw `code` value, when given. */
  code?: string;
  example?: string;
}

/** The `code` and `example` preferences; others (`dynamic`, `return=minimal`, …) are left alone (RFC 7240). */
export function parsePrefer(value: string | undefined): Preference {
  if (!value) return {};
  const out: Preference = {};
  for (const part of value.split(/[,;]/)) {
    const at = part.indexOf("=");
    const key = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
    const raw =
      at < 0
        ? ""
        : part
            .slice(at + 1)
            .trim()
            .replace(/^"|"$/g, "");
    if (key === "code") out.code = raw;
    if (key === "example") out.example = raw;
  }
  return out;
}

/** Why this operation cannot honour the preference; undefined when it can (or none was given). */
export function preferProblem(
  spec: Spec,
  operation: SpecOperation,
  value: string | undefined,
): string | undefined {
  const { code, example } = parsePrefer(value);
  const where = `${operation.operationId} (${operation.method} ${operation.path})`;
  let status = operation.successStatus;
  if (code !== undefined) {
    status = Number(code);
    if (!/^\d{3}$/.test(code) || !operation.statuses.includes(status))
      return `Prefer code=${JSON.stringify(code).slice(1, -1)}: ${where} documents the statuses ${operation.statuses.join(", ")}`;
  }
  if (example !== undefined) {
    const names = spec.exampleNames(operation, status);
    if (!names.includes(example))
      return `Prefer example=${JSON.stringify(example).slice(1, -1)}: ${where} documents ${names.length === 0 ? "no named example" : `the examples ${names.join(", ")}`} at ${status}`;
  }
  return undefined;
}

/** The mock's answer to a Prefer it cannot honour (RFC 9457 problem details). */
export function preferRefusal(detail: string) {
  return {
    status: 422,
    contentType: "application/problem+json",
    body: {
      type: "urn:evs-mock:unusable-prefer",
      title: "The Prefer header asks for an answer the contract does not document",
      status: 422,
      detail,
    },
  };
}
