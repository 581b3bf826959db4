// Every error answer of this API can come in any of the three envelope shapes (native,
// OpenStack fault, API gateway), so every 4xx/5xx response must declare exactly the
// ErrorEnvelope schema; a narrower schema would make clients and the mock reject real answers.
import { isDeepStrictEqual } from "node:util";

export default function usesErrorEnvelope(response, _options, context) {
  const envelope = context.documentInventory.resolved?.components?.schemas?.ErrorEnvelope;
  if (!envelope) return [{ message: "components.schemas.ErrorEnvelope is missing" }];
  const schema = response?.content?.["application/json"]?.schema;
  if (!schema) return [{ message: "error response has no application/json body" }];
  if (!isDeepStrictEqual(schema, envelope)) {
    return [
      {
        message: "error response body must be the ErrorEnvelope schema",
        path: [...context.path, "content", "application/json", "schema"],
      },
    ];
  }
  return [];
}
