// The six operations of the contract, and a request for each that the mock must accept:
// the first request example the spec documents for it.

import type { OperationCall } from "../support/prism-client.js";
import type { OpenApiDocument } from "../support/spec.js";
import { findOperation, namedExamples, requestBodyMediaPointer } from "../support/spec.js";

export const OPERATIONS = [
  { operationId: "createSnapshotNative", success: "202" },
  { operationId: "createSnapshotCompatible", success: "202" },
  { operationId: "listSnapshotsNative", success: "200" },
  { operationId: "listSnapshotsCompatible", success: "200" },
  { operationId: "updateSnapshotNative", success: "200" },
  { operationId: "updateSnapshotCompatible", success: "200" },
] as const;

export function validCall(spec: OpenApiDocument, operationId: string): OperationCall {
  const entry = findOperation(spec, operationId);
  if (!entry.operation.requestBody) return { operationId };
  const [first] = namedExamples(spec, requestBodyMediaPointer(spec, entry)).values();
  if (first === undefined) throw new Error(`${operationId} documents no request example`);
  return { operationId, body: first };
}
