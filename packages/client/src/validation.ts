/**
 * Input checks run before anything is sent. Every limit, field list and query
 * rule comes from spec-facts.ts (generated from the spec), so the spec stays the
 * one source of truth; the service would refuse these inputs anyway, but only
 * after a round trip, and with errors that are much harder to read.
 */

import { specFacts } from "./generated/spec-facts.js";
import { checkUrlText, invalid } from "./internal/checks.js";
import { isPlainObject } from "./internal/objects.js";
import type {
  CreateSnapshotInput,
  RollbackSnapshotInput,
  SnapshotFamily,
  UpdateSnapshotInput,
} from "./types.js";

const encoder = new TextEncoder();

/** UTF-8 length in bytes: the service limits names and descriptions in bytes, not characters. */
export function utf8ByteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Refuses keys outside `allowed`, listing the allowed ones. */
function checkKnownKeys(object: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) invalid(key, `is not ${what} (allowed: ${allowed.join(", ")})`);
  }
}

/**
 * The body of a create or update: an object of the operation's fields; `name`
 * and `description` strings of at most textMaxBytes UTF-8 bytes (description
 * may be null); the name not reserved.
 */
function checkSnapshotBody(
  body: unknown,
  fields: readonly string[],
  allowReservedName: boolean,
): asserts body is Record<string, unknown> {
  if (!isPlainObject(body)) invalid("snapshot", "must be an object");
  checkKnownKeys(body, fields, "a field of this request");
  for (const field of ["name", "description"]) {
    const value = body[field];
    if (value === undefined || (value === null && field === "description")) continue;
    if (typeof value !== "string")
      invalid(field, `must be a string${field === "description" ? " or null" : ""}`);
    const bytes = utf8ByteLength(value);
    if (bytes > specFacts.textMaxBytes)
      invalid(field, `is ${bytes} bytes of UTF-8; at most ${specFacts.textMaxBytes} allowed`);
    if (field === "name" && !allowReservedName && value.startsWith(specFacts.reservedNamePrefix)) {
      invalid(
        "name",
        `must not start with "${specFacts.reservedNamePrefix}", reserved for disk backups (or pass allowReservedName: true)`,
      );
    }
  }
}

export function validateCreate(
  body: unknown,
  allowReservedName: boolean,
): asserts body is CreateSnapshotInput {
  checkSnapshotBody(body, specFacts.createFields, allowReservedName);
  for (const field of specFacts.createRequired) {
    if (body[field] == null) invalid(field, "is required");
  }
  const { volume_id: volumeId, force, metadata } = body;
  if (typeof volumeId !== "string" || volumeId.trim() === "")
    invalid("volume_id", "must be a non-empty string");
  checkUrlText("volume_id", volumeId);
  if (force !== undefined && typeof force !== "boolean") invalid("force", "must be a boolean");
  if (metadata === undefined) return;
  if (!isPlainObject(metadata)) invalid("metadata", "must be an object of string values");
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string")
      invalid("metadata", `value for key "${key}" must be a string, got ${typeof value}`);
  }
  const bytes = utf8ByteLength(JSON.stringify(metadata));
  if (bytes > specFacts.metadataMaxJsonBytes)
    invalid(
      "metadata",
      `is ${bytes} bytes as JSON; at most ${specFacts.metadataMaxJsonBytes} allowed`,
    );
}

export function validateUpdate(
  body: unknown,
  allowReservedName: boolean,
): asserts body is UpdateSnapshotInput {
  checkSnapshotBody(body, specFacts.updateFields, allowReservedName);
  if (specFacts.updateFields.every((field) => body[field] === undefined)) {
    invalid("snapshot", `update needs one of ${specFacts.updateFields.join(", ")}`);
  }
}

interface BodyFieldRule {
  type: "string";
  notBlank?: boolean;
  maxUtf8Bytes?: number;
  reservedPrefix?: string;
}

/**
 * The body of a rollback: the fields of the spec's RollbackSnapshotOption, each checked by
 * the rule spec-facts.ts derives from its schema (required, not blank, a byte limit).
 */
export function validateRollback(body: unknown): asserts body is RollbackSnapshotInput {
  const { fields, required } = specFacts.rollback;
  if (!isPlainObject(body)) invalid("rollback", "must be an object");
  checkKnownKeys(body, Object.keys(fields), "a field of a rollback request");
  for (const field of required) {
    if (body[field] == null) invalid(field, "is required");
  }
  for (const [field, rule] of Object.entries(fields) as [string, BodyFieldRule][]) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== rule.type) invalid(field, `must be a ${rule.type}`);
    const text = value as string;
    if (rule.notBlank && text.trim() === "") invalid(field, "must be a non-empty string");
    if (field === "volume_id") checkUrlText(field, text);
    const bytes = rule.maxUtf8Bytes === undefined ? 0 : utf8ByteLength(text);
    if (rule.maxUtf8Bytes !== undefined && bytes > rule.maxUtf8Bytes)
      invalid(field, `is ${bytes} bytes of UTF-8; at most ${rule.maxUtf8Bytes} allowed`);
    if (rule.reservedPrefix !== undefined && text.startsWith(rule.reservedPrefix))
      invalid(field, `must not start with "${rule.reservedPrefix}"`);
  }
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
  checkKnownKeys(query, specFacts.listQuery[family], `a query parameter of the ${family} list`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const rule: QueryRule =
      specFacts.queryParameters[key as keyof typeof specFacts.queryParameters];
    const { minimum = -Infinity, maximum = Infinity, minLength = 0, maxLength = Infinity } = rule;
    if (rule.type === "integer") {
      // Safe integers only: String(1e21) is "1e+21", which would go out as 1e%2B21.
      if (
        !Number.isSafeInteger(value) ||
        (value as number) < minimum ||
        (value as number) > maximum
      ) {
        invalid(
          key,
          `must be a safe integer ${maximum === Infinity ? `>= ${minimum}` : `between ${minimum} and ${maximum}`}, got ${typeof value === "number" ? String(value) : typeof value}`,
        );
      }
      continue;
    }
    // An array parameter (id) takes one string or several; the others one string.
    for (const item of rule.type === "array" && Array.isArray(value) ? value : [value]) {
      if (typeof item !== "string")
        invalid(key, `must be a string${rule.type === "array" ? " or an array of strings" : ""}`);
      checkUrlText(key, item);
      // JSON Schema counts code points, never more than UTF-16 units: count them only when it matters.
      const length = item.length > maxLength || minLength > 1 ? [...item].length : item.length;
      if (length < minLength) invalid(key, `must be at least ${minLength} character(s) long`);
      if (length > maxLength) invalid(key, `must be at most ${maxLength} characters long`);
    }
  }
}
