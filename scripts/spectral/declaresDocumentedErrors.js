// The vendor documents a fixed set of error statuses for every EVS API; declaring all of
// them keeps the typed client's error union and the mock complete.
export default function declaresDocumentedErrors(responses, options) {
  const missing = options.statuses.filter((status) => !(status in (responses ?? {})));
  return missing.length ? [{ message: `missing error responses: ${missing.join(", ")}` }] : [];
}
