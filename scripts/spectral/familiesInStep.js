// The API exposes every operation twice: under /cloudsnapshots (native) and /snapshots
// (OpenStack-compatible). This rule keeps the twins in step: for each operation of one
// family the other must have the same method with the same request body, parameters and
// responses, unless the operation names the aspect in `x-twin-differences` (a documented,
// intended difference such as the list's query filters).
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

export default function familiesInStep(doc) {
  const results = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!FAMILIES.some((f) => path.split("/").includes(f))) continue;
    const twinItem = doc.paths[twinPath(path)];
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const where = ["paths", path, method];
      const twin = twinItem?.[method];
      if (!twin) {
        results.push({
          message: `${method.toUpperCase()} ${path} has no twin ${method.toUpperCase()} ${twinPath(path)}`,
          path: where,
        });
        continue;
      }
      const allowed = new Set([
        ...(op["x-twin-differences"] ?? []),
        ...(twin["x-twin-differences"] ?? []),
      ]);
      const aspects = { ...ASPECTS };
      for (const status of new Set([
        ...Object.keys(op.responses ?? {}),
        ...Object.keys(twin.responses ?? {}),
      ])) {
        aspects[`responses.${status}`] = responseAspect(status);
      }
      for (const [name, read] of Object.entries(aspects)) {
        if (allowed.has(name)) continue;
        if (!isDeepStrictEqual(read(op, item), read(twin, twinItem))) {
          results.push({
            message: `${method.toUpperCase()} ${path} and its twin differ in ${name}; make them equal or list "${name}" in x-twin-differences`,
            path: where,
          });
        }
      }
    }
  }
  return results;
}
