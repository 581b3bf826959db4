/**
 * Error bodies in the shapes the real service sends, built from the spec's own examples of
 * each status: the `native` example (`{"error": {"code": "EVS.…"}}`), the OpenStack `fault`
 * example (`{"itemNotFound": {"code": 404}}`) or the API gateway's `apiGateway` example,
 * with this request's message and request ID put in. Codes and fault names therefore come
 * from the spec and cannot drift from it.
 */
import type { Json, JsonObject, Spec, SpecOperation } from "../spec.js";

/** An example name of the spec: the three shapes, or a family's own (`x-family-example`). */
export type Shape = "native" | "fault" | "apiGateway" | (string & {});

export interface ErrorAnswer {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Any operation that declares `status`, preferring `operation` itself. */
function declaring(
  spec: Spec,
  status: number,
  operation?: SpecOperation,
): SpecOperation | undefined {
  if (operation?.statuses.includes(status)) return operation;
  return spec.operations.find((candidate) => candidate.statuses.includes(status));
}

export function createEnvelopes(spec: Spec) {
  /** The example of that shape at that status, with message and request ID filled in. */
  function build(
    status: number,
    shape: Shape,
    message: string,
    requestId: string,
    operation?: SpecOperation,
  ): Json | undefined {
    const owner = declaring(spec, status, operation);
    if (!owner) return undefined;
    const example = spec.example(owner, status, shape);
    if (!isObject(example)) return undefined;
    if (shape === "apiGateway") {
      example.error_msg = message;
      if ("request_id" in example) example.request_id = requestId;
      return example;
    }
    const key = Object.keys(example)[0];
    const detail = key === undefined ? undefined : example[key];
    if (!isObject(detail)) return undefined;
    detail.message = message;
    return example;
  }

  const withFallback = (
    status: number,
    shapes: Shape[],
    message: string,
    requestId: string,
    operation?: SpecOperation,
  ): ErrorAnswer => {
    for (const shape of shapes) {
      const body = build(status, shape, message, requestId, operation);
      if (body !== undefined) return { status, body };
    }
    // The spec documents every status the emulator sends; reaching here is an emulator bug.
    throw new Error(`the spec has no ${shapes.join("/")} example for status ${status}`);
  };

  return {
    build,
    /**
     * The family's own envelope for "not found": the example its 404 names in
     * `x-family-example` (native EVS.5404, compatible itemNotFound, as the spec states).
     */
    notFound(operation: SpecOperation, message: string, requestId: string): ErrorAnswer {
      const name = spec.familyExample(operation, 404);
      if (name === undefined)
        throw new Error(`${operation.operationId}'s 404 names no x-family-example`);
      const body = build(404, name, message, requestId, operation);
      if (body === undefined)
        throw new Error(`${operation.operationId}'s 404 has no example ${name} to answer with`);
      return { status: 404, body };
    },
    /**
     * Invalid input. Both families answer an OpenStack `badRequest` fault: the native
     * family's own list page shows exactly that body, and EVS's native codes for input
     * errors are not documented.
     */
    badRequest(message: string, requestId: string, operation?: SpecOperation): ErrorAnswer {
      return withFallback(400, ["fault"], message, requestId, operation);
    },
    /**
     * A named example of the spec (e.g. `snapshotStatus`), at the status the spec documents
     * it under (400 for the state refusals), so neither status nor wording is restated here.
     * `message` receives the example's own message and returns this request's.
     */
    named(
      example: string,
      message: (exampleMessage: string) => string,
      operation: SpecOperation,
    ): ErrorAnswer {
      const status = spec.exampleStatus(operation, example);
      const body = spec.example(operation, status, example);
      const key = isObject(body) ? Object.keys(body)[0] : undefined;
      const detail = isObject(body) && key !== undefined ? body[key] : undefined;
      if (!isObject(detail) || typeof detail.message !== "string")
        throw new Error(
          `the spec has no example ${example} at ${status} for ${operation.operationId}`,
        );
      detail.message = message(detail.message);
      return { status, body: body as Json };
    },
    fault(
      status: number,
      message: string,
      requestId: string,
      operation?: SpecOperation,
    ): ErrorAnswer {
      return withFallback(status, ["fault", "native", "apiGateway"], message, requestId, operation);
    },
    /** What the API gateway answers before the request reaches EVS (bad credentials, unknown API). */
    gateway(
      status: number,
      message: string,
      requestId: string,
      operation?: SpecOperation,
    ): ErrorAnswer {
      return withFallback(status, ["apiGateway", "fault"], message, requestId, operation);
    },
  };
}

export type Envelopes = ReturnType<typeof createEnvelopes>;
