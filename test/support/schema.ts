// JSON Schema validators for the bundled spec, shared by the spec, Prism mock and fuzz tests.
// OpenAPI 3.1 schemas are JSON Schema 2020-12, so Ajv 2020 validates them as they are: the
// whole document is registered once and each validator is a `$ref` into it, which keeps
// every `#/components/...` reference working without copying schemas around.

import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";
import type { OpenApiDocument } from "./spec.js";
import {
  findOperation,
  jsonPointer,
  loadBundledSpec,
  operationParameters,
  requestBodyMediaPointer,
  responseMediaPointer,
} from "./spec.js";

// ajv-formats is CommonJS; under NodeNext its default import is `module.exports`, whose
// `default` property is the plugin itself.
const addFormats = formatsModule.default;

const SPEC_ID = "https://evs-snapshot-toolkit.invalid/evs-snapshots.json";
const MAX_UTF8_BYTES = "x-max-utf8-bytes";

export interface SchemaCheck {
  valid: boolean;
  errors: ErrorObject[];
}
export type Validate = (data: unknown) => SchemaCheck;
/** Validates a query parameter as it arrives: a string, or several for a repeated key. */
export type ValidateQueryValue = (raw: string | string[]) => SchemaCheck;

export interface SpecValidators {
  spec: OpenApiDocument;
  /** `components.schemas.<name>`. */
  component(name: string): Validate;
  /** The `application/json` request body of an operation. */
  requestBody(operationId: string): Validate;
  /** The `application/json` body of one response (`'202'`, `'404'`, …) of an operation. */
  response(operationId: string, status: string): Validate;
  /** One query parameter of an operation; errors carry `instancePath` `/<name>`. */
  queryParameter(operationId: string, name: string): ValidateQueryValue;
  /** The schema at any JSON pointer of the document (e.g. a header's `.../schema`). */
  schemaAt(pointer: string): Validate;
}

// Every `x-` key used anywhere in the document: Ajv's strict mode refuses unknown keywords,
// and vendor extensions are the only unknown keywords a schema of this spec may carry.
function vendorKeywords(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) vendorKeywords(item, found);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-")) found.add(key);
      vendorKeywords(value, found);
    }
  }
  return found;
}

// JSON Schema counts characters; the API limits bytes. This keyword states the exact rule.
type ByteLimitCheck = ((limit: number, data: string) => boolean) & {
  errors?: Partial<ErrorObject>[];
};

function addMaxUtf8Bytes(ajv: Ajv2020): void {
  const maxUtf8Bytes: ByteLimitCheck = (limit, data) => {
    const bytes = Buffer.byteLength(data, "utf8");
    if (bytes <= limit) return true;
    maxUtf8Bytes.errors = [
      {
        keyword: MAX_UTF8_BYTES,
        message: `must be at most ${limit} bytes of UTF-8 (is ${bytes})`,
        params: { limit, bytes },
      },
    ];
    return false;
  };
  ajv.addKeyword({
    keyword: MAX_UTF8_BYTES,
    type: "string",
    schemaType: "number",
    errors: true,
    validate: maxUtf8Bytes,
  });
}

function newAjv(spec: OpenApiDocument, coerceTypes: boolean): Ajv2020 {
  // Strict, except that union types (`type: [string, "null"]`) are what OpenAPI 3.1 uses for nullable.
  const ajv = new Ajv2020({
    strict: true,
    allowUnionTypes: true,
    allErrors: true,
    coerceTypes: coerceTypes ? "array" : false,
  });
  addFormats(ajv);
  addMaxUtf8Bytes(ajv);
  for (const keyword of vendorKeywords(spec)) {
    // `x-reserved-prefix` and the rest document, they do not validate.
    if (keyword !== MAX_UTF8_BYTES) ajv.addKeyword({ keyword });
  }
  // The document root is compiled as the base of every `$ref` into it; its OpenAPI fields
  // (`openapi`, `info`, `paths`, …) are not schema keywords and hold nothing to validate.
  for (const field of Object.keys(spec)) ajv.addKeyword({ keyword: field });
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  return ajv;
}

function checker(validate: ValidateFunction): Validate {
  return (data) => {
    const valid = validate(data);
    return { valid, errors: valid ? [] : [...(validate.errors ?? [])] };
  };
}

export function createSpecValidators(spec: OpenApiDocument = loadBundledSpec()): SpecValidators {
  const bodies = newAjv(spec, false);
  // Query values arrive as strings: this instance coerces them to the declared type first.
  const queries = newAjv(spec, true);
  const cache = new Map<string, ValidateFunction>();
  const compiled = (ajv: Ajv2020, key: string, schema: object) => {
    let validate = cache.get(key);
    if (!validate) cache.set(key, (validate = ajv.compile(schema)));
    return validate;
  };
  const schemaAt = (pointer: string) =>
    checker(compiled(bodies, `body ${pointer}`, { $ref: `${SPEC_ID}#${pointer}` }));

  return {
    spec,
    schemaAt,
    component: (name) => {
      if (!spec.components.schemas?.[name])
        throw new Error(`the bundled spec has no schema ${name}`);
      return schemaAt(jsonPointer("components", "schemas", name));
    },
    requestBody: (operationId) =>
      schemaAt(`${requestBodyMediaPointer(spec, findOperation(spec, operationId))}/schema`),
    response: (operationId, status) =>
      schemaAt(`${responseMediaPointer(spec, findOperation(spec, operationId), status)}/schema`),
    queryParameter: (operationId, name) => {
      const entry = findOperation(spec, operationId);
      const parameter = operationParameters(spec, entry).find(
        (p) => p.value.in === "query" && p.value.name === name,
      );
      if (!parameter) throw new Error(`${operationId} has no query parameter ${name}`);
      // Wrapped in an object so that coercion can replace the value and errors name the parameter.
      const validate = checker(
        compiled(queries, `query ${parameter.pointer}`, {
          type: "object",
          properties: { [name]: { $ref: `${SPEC_ID}#${parameter.pointer}/schema` } },
        }),
      );
      return (raw) => validate({ [name]: raw });
    },
  };
}

/** One line per error, for assertion messages. */
export function describeErrors(errors: ErrorObject[]): string {
  return errors
    .map(
      (e) => `${e.instancePath || "(root)"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
    )
    .join("\n");
}
