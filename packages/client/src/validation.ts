/**
 * Input checks run before anything is sent. Every limit, field list and query
 * rule comes from spec-facts.ts (generated from the spec), so the spec stays the
 * one source of truth; the service would refuse these inputs anyway, but only
 * after a round trip, and with errors that are much harder to read.
 */

import * as specFacts from "./generated/spec-facts.js";
import { checkUrlText, invalid } from "./internal/checks.js";
import { isPlainObject } from "./internal/objects.js";
import type { SnapshotFamily } from "./types.js";

const encoder = new TextEncoder();

/** UTF-8 length in bytes: the service limits names and descriptions in bytes, not characters. */
export function utf8ByteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Refuses keys outside `allowed`, listing the allowed ones. */
export function checkKnownKeys(object: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) invalid(key, `is not ${what} (allowed: ${allowed.join(", ")})`);
  }
}

/** What spec-facts.ts says of one body field (see scripts/spec-facts-module.mjs). */
interface BodyFieldRule {
  type: "string" | "boolean" | "object";
  nullable?: boolean;
  notBlank?: boolean;
  maxUtf8Bytes?: number;
  reservedPrefix?: string;
  maxJsonBytes?: number;
}

interface BodyRules {
  key: string;
  fields: Record<string, BodyFieldRule>;
  required: readonly string[];
  atLeastOne?: boolean;
}

type BodyOperation = keyof typeof specFacts.bodies;

/**
 * The body of a create, update or rollback, checked by the rules spec-facts.ts derives from
 * the operation's schema: known fields only, the required ones present (an update: at least
 * one), each of its type, strings within their UTF-8 byte limit and, unless allowed, not
 * starting with a reserved prefix (`autobk_snapshot_` names belong to disk backups), IDs fit
 * for a URL, objects of string values within their JSON size. Returns the JSON text to send:
 * the body wrapped in its key (`{"snapshot": …}`).
 */
export function bodyText(
  operation: BodyOperation,
  body: unknown,
  allowReservedName = false,
): string {
  const { key, fields, required, atLeastOne }: BodyRules = specFacts.bodies[operation];
  const names = Object.keys(fields);
  if (!isPlainObject(body)) invalid(key, "must be an object");
  checkKnownKeys(body, names, `a ${key} field`);
  for (const field of required) {
    if (body[field] == null) invalid(field, "is required");
  }
  if (atLeastOne && names.every((field) => body[field] === undefined))
    invalid(key, `needs one of ${names.join(", ")}`);
  for (const field of names) {
    const rule = fields[field]!;
    const value = body[field];
    if (value === undefined || (value === null && rule.nullable)) continue;
    const text = value as string;
    if (rule.type === "object") {
      if (!isPlainObject(value)) invalid(field, "must be an object of string values");
      for (const [name, item] of Object.entries(value)) {
        if (typeof item !== "string")
          invalid(field, `must be an object of string values ("${name}" is not)`);
      }
      const bytes = utf8ByteLength(JSON.stringify(value));
      if (bytes > rule.maxJsonBytes!)
        invalid(field, `is ${bytes} bytes as JSON (max ${rule.maxJsonBytes})`);
    } else if (typeof value !== rule.type)
      invalid(field, `must be a ${rule.type}${rule.nullable ? " or null" : ""}`);
    else if (rule.type === "string") {
      if (rule.notBlank && text.trim() === "") invalid(field, "must be a non-empty string");
      // An ID (`volume_id`) must be text a URL can carry, like the IDs in paths.
      if (field.endsWith("_id")) checkUrlText(field, text);
      const bytes = rule.maxUtf8Bytes === undefined ? 0 : utf8ByteLength(text);
      if (bytes > rule.maxUtf8Bytes!)
        invalid(field, `is ${bytes} bytes of UTF-8 (max ${rule.maxUtf8Bytes})`);
      if (rule.reservedPrefix && !allowReservedName && text.startsWith(rule.reservedPrefix))
        invalid(
          field,
          `must not start with "${rule.reservedPrefix}" (reserved; see allowReservedName)`,
        );
    }
  }
  return JSON.stringify({ [key]: body });
}

interface QueryRule {
  type: "string" | "integer" | "array";
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

/** Checks a list query against the family's parameters and their rules in the spec. */
export function validateListQuery(query: unknown, family: SnapshotFamily): void {
  if (query === undefined) return;
  if (!isPlainObject(query)) invalid("query", "must be an object");
  const rules: Record<string, QueryRule> = specFacts.listQuery[family];
  checkKnownKeys(query, Object.keys(rules), `a ${family} query parameter`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const {
      type,
      minimum = -Infinity,
      maximum = Infinity,
      minLength = 0,
      maxLength = Infinity,
    } = rules[key]!;
    if (type === "integer") {
      // Safe integers only: String(1e21) is "1e+21", which would go out as 1e%2B21.
      if (
        !Number.isSafeInteger(value) ||
        (value as number) < minimum ||
        (value as number) > maximum
      )
        invalid(
          key,
          `must be a safe integer ${maximum === Infinity ? `>= ${minimum}` : `from ${minimum} to ${maximum}`}, got ${typeof value === "number" ? value : typeof value}`,
        );
      continue;
    }
    // An array parameter (id) takes one string or several; the others one string.
    for (const item of type === "array" && Array.isArray(value) ? value : [value]) {
      if (typeof item !== "string")
        invalid(key, `must be a string${type === "array" ? " or an array of strings" : ""}`);
      checkUrlText(key, item);
      // JSON Schema counts code points, never more than UTF-16 units: count them only when it matters.
      const length = item.length > maxLength || minLength > 1 ? [...item].length : item.length;
      if (length < minLength || length > maxLength)
        invalid(key, `must be ${minLength} to ${maxLength} characters long`);
    }
  }
}
