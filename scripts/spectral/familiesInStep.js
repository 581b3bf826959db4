// The API exposes most operations twice: under /cloudsnapshots (native) and /snapshots
// (OpenStack-compatible). This rule keeps the twins in step: for each operation of one
// family the other must have the same method with the same request body, parameters and
// responses. The documented asymmetries are stated in the spec, each with its reason, and
// the rule checks them too, so a declaration cannot outlive the difference it explains:
// - `x-twin-differences: {<aspect>: <reason>}`: the twins intentionally differ in these
//   aspects (the list's query filters and bodies); an aspect listed there must differ.
// - `x-no-twin: <reason>`: the operation exists in one family only (rollback); the twin
//   must then be absent.
import { isDeepStrictEqual } from "node:util";

const FAMILIES = ["cloudsnapshots", "snapshots"];
const METHODS = ["get", "put", "post", "delete", "patch"];

const twinPath = (path) =>
  path.includes("/cloudsnapshots")
    ? path.replace("/cloudsnapshots", "/snapshots")
    : path.replace("/snapshots", "/cloudsnapshots");

// Shapes only: examples and prose may differ between twins, schemas may not.
const bodySchemas = (content) =>
  Object.fromEntries(Object.entries(content ?? {}).map(([type, media]) => [type, media.schema]));
const headerSchemas = (headers) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, header]) => [name, header.schema]));

// Aspects compared between twins; each maps an operation (and its path item) to a value.
const ASPECTS = {
  requestBody: (op) =>
    op.requestBody && {
      required: op.requestBody.required,
      content: bodySchemas(op.requestBody.content),
    },
  parameters: (op, item) =>
    [...(item.parameters ?? []), ...(op.parameters ?? [])].map(
      ({ name, in: location, required, schema, style, explode }) => ({
        name,
        in: location,
        required,
        schema,
        style,
        explode,
      }),
    ),
  responseStatuses: (op) => Object.keys(op.responses ?? {}).sort(),
};
const responseAspect = (status) => (op) => {
  const response = op.responses?.[status];
  return (
    response && { headers: headerSchemas(response.headers), content: bodySchemas(response.content) }
  );
};

const isReason = (value) => typeof value === "string" && value.trim() !== "";

/** The aspects an operation declares as intended differences; malformed declarations are reported. */
function declaredDifferences(op, label, where, results) {
  const declared = op["x-twin-differences"];
  if (declared === undefined) return [];
  if (declared === null || typeof declared !== "object" || Array.isArray(declared)) {
    results.push({
      message: `${label}: x-twin-differences must map each differing aspect to its reason`,
      path: [...where, "x-twin-differences"],
    });
    // A bare list still names the aspects, so only the missing reasons are reported.
    return Array.isArray(declared) ? declared.map(String) : [];
  }
  for (const [aspect, reason] of Object.entries(declared)) {
    if (!isReason(reason))
      results.push({
        message: `${label}: x-twin-differences.${aspect} needs a reason (a non-empty string)`,
        path: [...where, "x-twin-differences", aspect],
      });
  }
  return Object.keys(declared);
}

function checkTwins(path, item, twinItem, method, results) {
  const op = item[method];
  const twin = twinItem[method];
  const where = ["paths", path, method];
  const label = `${method.toUpperCase()} ${path}`;
  const aspects = { ...ASPECTS };
  for (const status of new Set([
    ...Object.keys(op.responses ?? {}),
    ...Object.keys(twin.responses ?? {}),
  ])) {
    aspects[`responses.${status}`] = responseAspect(status);
  }
  const allowed = new Set([
    ...declaredDifferences(op, label, where, results),
    ...declaredDifferences(twin, `${method.toUpperCase()} ${twinPath(path)}`, [], []),
  ]);
  for (const name of allowed) {
    if (!(name in aspects))
      results.push({
        message: `${label}: x-twin-differences names ${name}, which is not an aspect the twins have (${Object.keys(aspects).join(", ")})`,
        path: [...where, "x-twin-differences"],
      });
  }
  for (const [name, read] of Object.entries(aspects)) {
    const equal = isDeepStrictEqual(read(op, item), read(twin, twinItem));
    if (!equal && !allowed.has(name))
      results.push({
        message: `${label} and its twin differ in ${name}; make them equal or state the reason in x-twin-differences.${name}`,
        path: where,
      });
    if (equal && allowed.has(name))
      results.push({
        message: `${label} and its twin are equal in ${name}, which x-twin-differences declares as a difference; remove the declaration`,
        path: where,
      });
  }
}

export default function familiesInStep(doc) {
  const results = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!FAMILIES.some((f) => path.split("/").includes(f))) continue;
    const twinItem = doc.paths[twinPath(path)];
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const where = ["paths", path, method];
      const label = `${method.toUpperCase()} ${path}`;
      const twinLabel = `${method.toUpperCase()} ${twinPath(path)}`;
      const hasTwin = Boolean(twinItem?.[method]);
      const noTwin = op["x-no-twin"];
      if (noTwin !== undefined) {
        if (!isReason(noTwin))
          results.push({
            message: `${label}: x-no-twin needs a reason (a non-empty string)`,
            path: [...where, "x-no-twin"],
          });
        if (hasTwin)
          results.push({
            message: `${label} declares x-no-twin, but its twin ${twinLabel} exists; remove one`,
            path: [...where, "x-no-twin"],
          });
        continue;
      }
      if (!hasTwin) {
        results.push({
          message: `${label} has no twin ${twinLabel}; add it, or state the reason in x-no-twin`,
          path: where,
        });
        continue;
      }
      checkTwins(path, item, twinItem, method, results);
    }
  }
  return results;
}
