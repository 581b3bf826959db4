// Builds packages/client/src/generated/spec-facts.ts: the facts about the API that the
// client reads at run time (limits, statuses, routes, body and query rules, server templates),
// read from the bundled spec so that each fact is written once, in openapi/.
// Only what the runtime reads goes in: the module ships in browser bundles.

const fail = (what) => {
  throw new Error(`spec facts generation: the spec no longer has ${what}`);
};
const need = (value, what) => (value === undefined ? fail(what) : value);

/** What one local `$ref` (`#/components/...`) names, which may itself have a `$ref`. */
function refTarget(spec, ref) {
  const target = ref
    .replace(/^#\//, "")
    .split("/")
    .reduce((at, key) => at?.[key], spec);
  return need(target, ref);
}

/** Follows local `$ref`s to the schema at the end of the chain. */
function deref(spec, node) {
  return node?.$ref ? deref(spec, refTarget(spec, node.$ref)) : node;
}

function allOperations(spec) {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.values(item)
      .filter((op) => op?.operationId)
      .map((op) => ({ path, op })),
  );
}

const FAMILY_SUFFIXES = { cloudsnapshots: "Native", snapshots: "Compatible" };
const HTTP_METHODS = ["get", "put", "post", "delete", "patch"];

/**
 * The client's route table: per path family, each operation by the name of the client
 * method that calls it (`getSnapshotNative` -> `getSnapshot`), with its method and path
 * template. An operation that exists in one family only (rollback) is absent from the
 * other, which is how the client knows not to offer it there.
 */
function familyOperations(spec) {
  const families = Object.fromEntries(Object.keys(FAMILY_SUFFIXES).map((f) => [f, {}]));
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const operationId = item[method]?.operationId;
      if (!operationId) continue;
      const family =
        Object.keys(FAMILY_SUFFIXES).find((f) => path.split("/").includes(f)) ??
        fail(`a path family (${Object.keys(FAMILY_SUFFIXES).join(" or ")}) in ${path}`);
      const suffix = FAMILY_SUFFIXES[family];
      if (!operationId.endsWith(suffix))
        fail(`the suffix ${suffix} on operation ${operationId} of the ${family} family`);
      const name = operationId.slice(0, -suffix.length);
      if (families[family][name]) fail(`one ${family} operation named ${name}`);
      families[family][name] = { method: method.toUpperCase(), path };
    }
  }
  return families;
}

// What the client checks of one request-body field, from its schema (after `$ref`s):
// its `type` (string, boolean, or an object of string values), `nullable` from an
// `anyOf` with `type: "null"`, `notBlank` from `minLength: 1` + `pattern: '\S'`,
// `maxUtf8Bytes` from `x-max-utf8-bytes` (its character-counting `maxLength`/`pattern` are
// implied by the byte limit), `reservedPrefix` from `x-reserved-prefix`, `maxJsonBytes` from
// `x-max-json-bytes`. Anything else fails the generation, so the spec can never state a
// rule the client silently ignores.
const NOT_BLANK_PATTERN = "\\S";
const BODY_TYPES = ["string", "boolean", "object"];
function bodyFieldRule(spec, name, node) {
  const rule = {};
  const setType = (type) => {
    if (!BODY_TYPES.includes(type) || (rule.type && rule.type !== type))
      fail(`one string, boolean or object type on request field ${name}`);
    rule.type = type;
  };
  let schema = node;
  for (;;) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" || IGNORED_KEYWORDS.has(key) || key === "default") continue;
      if (key === "type") setType(value);
      else if (key === "anyOf") {
        const branches = value.map((branch) => deref(spec, branch));
        const others = branches.filter((branch) => branch.type !== "null");
        if (others.length !== 1 || others.length === branches.length)
          fail(`one schema or null in the anyOf of request field ${name}`);
        rule.nullable = true;
        Object.assign(rule, bodyFieldRule(spec, name, value[branches.indexOf(others[0])]));
      } else if (key === "x-max-utf8-bytes") rule.maxUtf8Bytes = value;
      else if (key === "x-reserved-prefix") rule.reservedPrefix = value;
      else if (key === "x-max-json-bytes") rule.maxJsonBytes = value;
      else if (key === "minLength" && value === 1) rule.notBlank = true;
      else if (key === "pattern" && value === NOT_BLANK_PATTERN) rule.notBlank = true;
      else if ((key === "maxLength" || key === "pattern") && schema["x-max-utf8-bytes"]) continue;
      else if (key === "additionalProperties" && deref(spec, value).type === "string") continue;
      else fail(`only rules the client checks on request field ${name} (found ${key})`);
    }
    if (!schema.$ref) break;
    // One step at a time: a schema that refers to another can add rules of its own.
    schema = refTarget(spec, schema.$ref);
  }
  if (rule.type === "object" && deref(spec, schema).additionalProperties?.type !== "string")
    fail(`string values in the object request field ${name}`);
  return rule.type ? rule : fail(`a type on request field ${name}`);
}

/**
 * One request body's rules: the key it is wrapped in (`{ "snapshot": … }`), its fields with
 * their rules, the required ones, and whether at least one field must be set (`minProperties`).
 */
function requestBodyRules(spec, requestName) {
  const request = need(spec.components.schemas[requestName], `components.schemas.${requestName}`);
  const [key, ...more] = Object.keys(need(request.properties, `properties on ${requestName}`));
  if (more.length > 0) fail(`one wrapping key in ${requestName}`);
  const schema = deref(spec, request.properties[key]);
  const fields = Object.fromEntries(
    Object.entries(need(schema.properties, `properties on ${requestName}.${key}`)).map(
      ([name, node]) => [name, bodyFieldRule(spec, name, node)],
    ),
  );
  const rules = { key, fields, required: schema.required ?? [] };
  if (schema.minProperties === 1) rules.atLeastOne = true;
  else if (schema.minProperties !== undefined) fail(`minProperties 1 (or none) on ${requestName}`);
  return rules;
}

function queryParameters(spec, operationId) {
  const found =
    allOperations(spec).find(({ op }) => op.operationId === operationId) ??
    fail(`operation ${operationId}`);
  return (found.op.parameters ?? []).map((p) => deref(spec, p)).filter((p) => p.in === "query");
}

// Keywords a query rule carries to the client; any other constraint keyword fails the
// generation, so the spec can never state a rule the client silently ignores.
const RULE_KEYWORDS = ["minimum", "maximum", "default", "minLength", "maxLength"];
const IGNORED_KEYWORDS = new Set(["description", "example", "examples", "title"]);

/** What the client checks of one query parameter: its type and the bounds its schema states. */
function queryRule(spec, name, schemaNode) {
  const schema = deref(spec, schemaNode);
  if (schema.anyOf) {
    // An open enum (SnapshotStatus: the known values, or any string) accepts any string.
    const branches = schema.anyOf.map((branch) => deref(spec, branch));
    const anyString = branches.some(
      (b) =>
        b.type === "string" && Object.keys(b).every((k) => k === "type" || IGNORED_KEYWORDS.has(k)),
    );
    if (!anyString || branches.some((b) => b.type !== "string"))
      fail(`a rule the client can check for query parameter ${name}`);
    return { type: "string" };
  }
  const rule = { type: need(schema.type, `a type on query parameter ${name}`) };
  for (const [key, value] of Object.entries(schema)) {
    if (RULE_KEYWORDS.includes(key)) rule[key] = value;
    else if (key === "items" && schema.type === "array" && deref(spec, value).type === "string")
      continue;
    else if (key !== "type" && !IGNORED_KEYWORDS.has(key))
      fail(`only keywords the client checks on query parameter ${name} (found ${key})`);
  }
  if (!["string", "integer", "array"].includes(rule.type))
    fail(`a string, integer or string-array query parameter ${name}`);
  return rule;
}

/**
 * Per family, its query parameters (in the spec's order) with their rules. A name must mean
 * the same in both families, so the client may read a shared rule (limit) from either.
 */
function listQuery(spec, families) {
  const seen = {};
  const out = {};
  for (const [family, operationId] of Object.entries(families)) {
    out[family] = {};
    for (const parameter of queryParameters(spec, operationId)) {
      const rule = queryRule(spec, parameter.name, parameter.schema);
      const known = seen[parameter.name];
      if (known && JSON.stringify(known) !== JSON.stringify(rule))
        fail(`one schema for query parameter ${parameter.name} in both families`);
      seen[parameter.name] = rule;
      out[family][parameter.name] = rule;
    }
  }
  return out;
}

// Statuses whose shared response component is marked `x-retryable` (transient errors).
function retryableStatuses(spec) {
  const statuses = new Set();
  for (const { op } of allOperations(spec)) {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      const name = response.$ref?.split("/").pop();
      if (name && spec.components.responses[name]["x-retryable"]) statuses.add(Number(status));
    }
  }
  return [...statuses].sort((a, b) => a - b);
}

/**
 * The native error code of "not found" (`EVS.5404`): the value of the example that the
 * native family's 404 names in `x-family-example`, the same on every native operation. It
 * lets the client tell "EVS says the snapshot is gone" from a 404 of anything in between.
 */
function nativeNotFoundCode(spec) {
  const codes = new Set();
  for (const { path, op } of allOperations(spec)) {
    if (!path.split("/").includes("cloudsnapshots")) continue;
    const response = deref(spec, need(op.responses?.["404"], `a 404 on ${op.operationId}`));
    const name = need(response["x-family-example"], `x-family-example on ${op.operationId}'s 404`);
    const example = deref(
      spec,
      need(response.content?.["application/json"]?.examples?.[name], `example ${name}`),
    );
    codes.add(need(example.value?.error?.code, `a native error code in example ${name}`));
  }
  if (codes.size !== 1) fail(`one native not-found code (found ${[...codes].join(", ")})`);
  return [...codes][0];
}

/** URL template per cloud, for the servers with a `{region}` variable (not the local mock). */
function servers(spec) {
  const out = {};
  for (const server of spec.servers) {
    if (server.variables?.region)
      out[need(server["x-cloud"], `x-cloud on server ${server.url}`)] = server.url;
  }
  return out;
}

export function specFactsModule(spec) {
  const { schemas } = spec.components;
  const query = listQuery(spec, {
    cloudsnapshots: "listSnapshotsNative",
    snapshots: "listSnapshotsCompatible",
  });
  for (const rules of Object.values(query)) {
    need(rules.limit?.maximum, "a maximum on the limit parameter of both lists");
    need(rules.limit?.default, "a default on the limit parameter of both lists");
  }
  const facts = {
    failureStatuses: need(
      schemas.KnownSnapshotStatus?.["x-failure-statuses"],
      "x-failure-statuses on KnownSnapshotStatus",
    ),
    faultNames: Object.keys(need(schemas.OpenStackFault?.properties, "OpenStackFault")),
    retryableStatuses: retryableStatuses(spec),
    nativeNotFoundCode: nativeNotFoundCode(spec),
    bodies: {
      createSnapshot: requestBodyRules(spec, "CreateSnapshotRequest"),
      updateSnapshot: requestBodyRules(spec, "UpdateSnapshotRequest"),
      rollbackSnapshot: requestBodyRules(spec, "RollbackSnapshotRequest"),
    },
    familyOperations: familyOperations(spec),
    listQuery: query,
    servers: servers(spec),
  };
  for (const status of facts.failureStatuses) {
    if (!schemas.KnownSnapshotStatus.enum.includes(status))
      fail(`failure status ${status} among the KnownSnapshotStatus values`);
  }
  // One export per fact, so that a bundler keeps only the facts an application reads (the
  // waiter's failure statuses stay out of apps without a waiter); `specFacts` gathers them all.
  const exports = Object.entries(facts).map(
    ([name, value]) => `export const ${name} = ${JSON.stringify(value, null, 2)} as const;\n`,
  );
  return `${exports.join("")}export const specFacts = { ${Object.keys(facts).join(", ")} } as const;\n`;
}
