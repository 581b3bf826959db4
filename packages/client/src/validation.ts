/**
 * Input checks run before anything is sent. Every limit and field list comes
 * from contract.ts (generated from the spec), so the spec stays the one source
 * of truth; the service would refuse these inputs anyway, but only after a
 * round trip, and with errors that are much harder to read.
 */
import { contract } from "./generated/contract.js";
import { EvsValidationError } from "./errors.js";
import type { CreateSnapshotInput, SnapshotFamily, UpdateSnapshotInput } from "./types.js";

/** The service's limit on the whole metadata map (not in the spec's machine-readable facts). */
const METADATA_MAX_BYTES = 1024 * 1024;

const CREATE_FIELDS: ReadonlySet<string> = new Set(contract.createFields);
const UPDATE_FIELDS: ReadonlySet<string> = new Set(contract.updateFields);
const LIST_QUERY: Readonly<Record<SnapshotFamily, ReadonlySet<string>>> = {
  cloudsnapshots: new Set(contract.listQuery.cloudsnapshots),
  snapshots: new Set(contract.listQuery.snapshots),
};
const INTEGER_QUERY: ReadonlySet<string> = new Set(["limit", "offset"]);
/**
 * Two query rules the spec states on its parameters but contract.ts does not
 * export yet: the `name` filter is at most 255 characters (JSON Schema
 * `maxLength`, counted in code points) and `marker` is not empty (`minLength: 1`).
 */
const NAME_FILTER_MAX_CHARACTERS = 255;

const encoder = new TextEncoder();

/** UTF-8 length in bytes: the service limits names and descriptions in bytes, not characters. */
export function utf8ByteLength(text: string): number {
  return encoder.encode(text).length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A path parameter (snapshot or project ID). Encoding (encodeURIComponent)
 * keeps `/`, `?` and `#` from changing the path, but `.` and `..` are not
 * encoded and URL normalisation would resolve them, so they are refused.
 */
export function checkPathParameter(field: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value === "") {
    throw new EvsValidationError(field, `${field} must be a non-empty string`);
  }
  if (value === "." || value === "..") {
    throw new EvsValidationError(field, `${field} must not be "." or ".." (URL normalisation would change the path)`);
  }
}

function checkText(field: "name" | "description", value: unknown, nullable: boolean): void {
  if (value === undefined) return;
  if (value === null && nullable) return;
  if (typeof value !== "string") {
    throw new EvsValidationError(field, `${field} must be a string${nullable ? " or null" : ""}`);
  }
  const bytes = utf8ByteLength(value);
  if (bytes > contract.textMaxBytes) {
    throw new EvsValidationError(
      field,
      `${field} is ${bytes} bytes of UTF-8; the service allows at most ${contract.textMaxBytes} bytes`,
    );
  }
}

function checkReservedName(name: unknown, allowReservedName: boolean): void {
  if (allowReservedName || typeof name !== "string") return;
  if (name.startsWith(contract.reservedNamePrefix)) {
    throw new EvsValidationError(
      "name",
      `name must not start with "${contract.reservedNamePrefix}": disk backups reserve that prefix and such snapshots cannot be operated on (pass allowReservedName: true to send it anyway)`,
    );
  }
}

function checkKnownFields(body: Record<string, unknown>, allowed: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) {
      throw new EvsValidationError(key, `${key} is not a field of ${what} (allowed: ${[...allowed].join(", ")})`);
    }
  }
}

function checkMetadata(value: unknown): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) throw new EvsValidationError("metadata", "metadata must be an object of string values");
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") {
      throw new EvsValidationError("metadata", `metadata value for key "${key}" must be a string, got ${typeof item}`);
    }
  }
  const bytes = utf8ByteLength(JSON.stringify(value));
  if (bytes >= METADATA_MAX_BYTES) {
    throw new EvsValidationError("metadata", `metadata is ${bytes} bytes as JSON; the service requires less than 1 MiB`);
  }
}

export function validateCreate(body: unknown, allowReservedName: boolean): asserts body is CreateSnapshotInput {
  if (!isPlainObject(body)) throw new EvsValidationError("snapshot", "createSnapshot needs an object body");
  checkKnownFields(body, CREATE_FIELDS, "a create request");
  for (const field of contract.createRequired) {
    if (body[field] === undefined || body[field] === null) {
      throw new EvsValidationError(field, `${field} is required`);
    }
  }
  if (typeof body["volume_id"] !== "string" || body["volume_id"].trim() === "") {
    throw new EvsValidationError("volume_id", "volume_id must be a non-empty string");
  }
  if (body["force"] !== undefined && typeof body["force"] !== "boolean") {
    throw new EvsValidationError("force", "force must be a boolean");
  }
  checkText("name", body["name"], false);
  checkText("description", body["description"], true);
  checkReservedName(body["name"], allowReservedName);
  checkMetadata(body["metadata"]);
}

export function validateUpdate(body: unknown, allowReservedName: boolean): asserts body is UpdateSnapshotInput {
  if (!isPlainObject(body)) throw new EvsValidationError("snapshot", "updateSnapshot needs an object body");
  checkKnownFields(body, UPDATE_FIELDS, "an update request");
  if (contract.updateFields.every((field) => body[field] === undefined)) {
    throw new EvsValidationError(
      "snapshot",
      `the snapshot to update needs at least one of ${contract.updateFields.join(", ")}; the service refuses an empty update`,
    );
  }
  checkText("name", body["name"], false);
  checkText("description", body["description"], true);
  checkReservedName(body["name"], allowReservedName);
}

function checkInteger(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new EvsValidationError(field, `${field} must be an integer ${range}, got ${String(value)}`);
  }
}

/** Checks a list query against the family's parameters and ranges from the spec. */
export function validateListQuery(query: unknown, family: SnapshotFamily): void {
  if (query === undefined) return;
  if (!isPlainObject(query)) throw new EvsValidationError("query", "the list query must be an object");
  const allowed = LIST_QUERY[family];
  for (const [key, value] of Object.entries(query)) {
    if (!allowed.has(key)) {
      throw new EvsValidationError(
        key,
        `${key} is not a query parameter of the ${family} list (allowed: ${[...allowed].join(", ")})`,
      );
    }
    if (value === undefined) continue;
    if (key === "limit") checkInteger("limit", value, contract.limit.minimum, contract.limit.maximum);
    else if (key === "offset") checkInteger("offset", value, contract.offsetMinimum, Number.MAX_SAFE_INTEGER);
    else if (Array.isArray(value)) {
      if (key !== "id" || value.some((item) => typeof item !== "string")) {
        throw new EvsValidationError(key, `${key} must be a string${key === "id" ? " or an array of strings" : ""}`);
      }
    } else if (typeof value !== "string" && !INTEGER_QUERY.has(key)) {
      throw new EvsValidationError(key, `${key} must be a string`);
    } else if (key === "marker" && value === "") {
      throw new EvsValidationError("marker", "marker must not be empty (omit it to start from the first page)");
    } else if (key === "name" && typeof value === "string" && value.length > NAME_FILTER_MAX_CHARACTERS && [...value].length > NAME_FILTER_MAX_CHARACTERS) {
      throw new EvsValidationError("name", `the name filter must be at most ${NAME_FILTER_MAX_CHARACTERS} characters`);
    }
  }
}
