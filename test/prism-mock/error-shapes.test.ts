// Errors come in three shapes (native `{"error": …}`, OpenStack fault `{"<faultName>": …}`,
// API gateway `{"error_code", …}`). A client must handle all three on every operation, so
// the mock serves each on demand (`Prefer: code=…, example=…`), and each answer is checked
// for status, exact body, envelope schema and the shape's own rules.
import { describe, expect, inject, test } from "vitest";
import { callOperation } from "../support/prism-client.js";
import { createSpecValidators, describeErrors } from "../support/schema.js";
import { findOperation, namedExamples, responseMediaPointer } from "../support/spec.js";
import { OPERATIONS, validCall } from "./operations.js";

const validators = createSpecValidators();
const { spec } = validators;
const prismUrl = inject("prismUrl");

type Shape = "native" | "fault" | "gateway";
const SHAPE_SCHEMAS: Record<Shape, string> = {
  native: "NativeError",
  fault: "OpenStackFault",
  gateway: "ApiGatewayError",
};

// OpenStack names the fault after the status (facts sheet); any other status is computeFault.
const FAULT_NAMES: Record<number, string> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  404: "itemNotFound",
  405: "badMethod",
  409: "conflictingRequest",
  413: "overLimit",
  415: "badMediaType",
  501: "notImplemented",
  503: "serviceUnavailable",
};
const faultName = (status: number) => FAULT_NAMES[status] ?? "computeFault";

// Spread over the operations so each family and method is exercised; a test below fails
// when an operation of the spec has no case here.
const CASES: { operationId: string; status: number; example: string; shape: Shape }[] = [
  { operationId: "createSnapshotNative", status: 400, example: "native", shape: "native" },
  { operationId: "updateSnapshotNative", status: 403, example: "native", shape: "native" },
  { operationId: "listSnapshotsCompatible", status: 404, example: "native", shape: "native" },
  { operationId: "createSnapshotCompatible", status: 400, example: "seedError", shape: "native" },
  { operationId: "listSnapshotsNative", status: 400, example: "fault", shape: "fault" },
  { operationId: "updateSnapshotCompatible", status: 404, example: "fault", shape: "fault" },
  { operationId: "createSnapshotNative", status: 409, example: "fault", shape: "fault" },
  { operationId: "listSnapshotsNative", status: 413, example: "fault", shape: "fault" },
  { operationId: "createSnapshotCompatible", status: 500, example: "fault", shape: "fault" },
  { operationId: "updateSnapshotNative", status: 503, example: "fault", shape: "fault" },
  { operationId: "updateSnapshotNative", status: 404, example: "seedItemNotFound", shape: "fault" },
  { operationId: "listSnapshotsNative", status: 400, example: "seedBadRequest", shape: "fault" },
  { operationId: "createSnapshotCompatible", status: 401, example: "apiGateway", shape: "gateway" },
  { operationId: "listSnapshotsNative", status: 403, example: "apiGateway", shape: "gateway" },
  { operationId: "listSnapshotsCompatible", status: 429, example: "apiGateway", shape: "gateway" },
  { operationId: "updateSnapshotCompatible", status: 502, example: "apiGateway", shape: "gateway" },
  { operationId: "createSnapshotNative", status: 504, example: "apiGateway", shape: "gateway" },
  { operationId: "getSnapshotNative", status: 404, example: "native", shape: "native" },
  { operationId: "getSnapshotCompatible", status: 404, example: "fault", shape: "fault" },
  { operationId: "getSnapshotCompatible", status: 401, example: "apiGateway", shape: "gateway" },
  { operationId: "deleteSnapshotNative", status: 400, example: "snapshotStatus", shape: "fault" },
  { operationId: "deleteSnapshotNative", status: 403, example: "native", shape: "native" },
  { operationId: "deleteSnapshotCompatible", status: 404, example: "fault", shape: "fault" },
  { operationId: "deleteSnapshotCompatible", status: 429, example: "apiGateway", shape: "gateway" },
  {
    operationId: "rollbackSnapshotNative",
    status: 400,
    example: "rollbackOtherDisk",
    shape: "fault",
  },
  {
    operationId: "rollbackSnapshotNative",
    status: 400,
    example: "rollbackVolumeStatus",
    shape: "fault",
  },
  { operationId: "rollbackSnapshotNative", status: 400, example: "native", shape: "native" },
];

test("every operation of the spec has at least one error-shape case", () => {
  const covered = new Set(CASES.map((c) => c.operationId));
  expect(OPERATIONS.map((o) => o.operationId).filter((id) => !covered.has(id))).toEqual([]);
});

function specExample(operationId: string, status: number, name: string): unknown {
  const examples = namedExamples(
    spec,
    responseMediaPointer(spec, findOperation(spec, operationId), String(status)),
  );
  if (!examples.has(name)) throw new Error(`${operationId} ${status} has no example ${name}`);
  return examples.get(name);
}

// Shape-specific rules beyond the schema.
function expectShapeRules(
  shape: Shape,
  body: Record<string, Record<string, unknown>>,
  status: number,
  example: string,
): void {
  if (shape === "native") expect(typeof body.error?.code).toBe("string");
  if (shape === "gateway")
    expect(body).toEqual({
      error_code: expect.stringMatching(/^APIG\.\d{4}$/),
      error_msg: expect.any(String),
      request_id: expect.any(String),
    });
  if (shape === "fault") {
    // The seed examples keep the vendor pages' string placeholder for the code; real faults carry the status as an integer.
    if (example.startsWith("seed")) expect(Object.keys(body)).toEqual([faultName(status)]);
    else
      expect(body).toEqual({
        [faultName(status)]: expect.objectContaining({ code: status, message: expect.any(String) }),
      });
  }
}

describe.each(CASES)(
  "$operationId $status example=$example",
  ({ operationId, status, example, shape }) => {
    test(`answers the ${shape} shape`, async () => {
      const answer = await callOperation(prismUrl, spec, {
        ...validCall(spec, operationId),
        prefer: `code=${status}, example=${example}`,
      });
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual(specExample(operationId, status, example));
      expect(answer.headers.get("X-Request-Id")).toMatch(/\S/);

      const envelope = validators.response(operationId, String(status))(answer.body);
      expect(envelope.valid, describeErrors(envelope.errors)).toBe(true);
      const shapes = (Object.keys(SHAPE_SCHEMAS) as Shape[]).filter(
        (s) => validators.component(SHAPE_SCHEMAS[s])(answer.body).valid,
      );
      expect(shapes).toEqual([shape]);
      expectShapeRules(
        shape,
        answer.body as Record<string, Record<string, unknown>>,
        status,
        example,
      );
    });
  },
);
