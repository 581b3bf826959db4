// The operations of the contract, read from the bundled spec so that a new operation is
// covered without an edit here, and a request for each that the mock must accept: the
// first request example the spec documents for it.

import type { OperationCall } from "../support/prism-client.js";
import type { OpenApiDocument, ResponseObject } from "../support/spec.js";
import {
  findOperation,
  jsonPointer,
  listOperations,
  loadBundledSpec,
  namedExamples,
  requestBodyMediaPointer,
  resolve,
} from "../support/spec.js";

export interface ContractOperation {
  operationId: string;
  /** The one success status the operation documents (`'200'`, `'202'`). */
  success: string;
  /** Whether the success answer has a JSON body (delete answers 202 with none). */
  successHasBody: boolean;
}

export function contractOperations(spec: OpenApiDocument): ContractOperation[] {
  return listOperations(spec).map((entry) => {
    const successes = Object.keys(entry.operation.responses).filter((s) => /^2\d\d$/.test(s));
    if (successes.length !== 1)
      throw new Error(`${entry.operationId} documents ${successes.length} success statuses, not 1`);
    const [success] = successes as [string];
    const response = resolve<ResponseObject>(
      spec,
      `${entry.pointer}${jsonPointer("responses", success)}`,
    ).value;
    return {
      operationId: entry.operationId,
      success,
      successHasBody: response.content?.["application/json"] !== undefined,
    };
  });
}

export const OPERATIONS = contractOperations(loadBundledSpec());

export function validCall(spec: OpenApiDocument, operationId: string): OperationCall {
  const entry = findOperation(spec, operationId);
  if (!entry.operation.requestBody) return { operationId };
  const [first] = namedExamples(spec, requestBodyMediaPointer(spec, entry)).values();
  if (first === undefined) throw new Error(`${operationId} documents no request example`);
  return { operationId, body: first };
}
