// Builds packages/client/src/generated/contract.ts: the facts about the API that the
// client needs at run time (limits, statuses, paths, servers, retryable statuses), read
// from the bundled spec so that each fact is written once, in openapi/.

const fail = (what) => {
  throw new Error(`contract generation: the spec no longer has ${what}`);
};
const need = (value, what) => (value === undefined ? fail(what) : value);

function operations(spec) {
  const out = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op?.operationId) out[op.operationId] = { method: method.toUpperCase(), path };
    }
  }
  return out;
}

function queryParameters(spec, operationId) {
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item)) {
      if (op?.operationId !== operationId) continue;
      return (op.parameters ?? [])
        .map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p))
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
    }
  }
  return fail(`operation ${operationId}`);
}

// Statuses whose shared response component is marked `x-retryable` (transient errors).
function retryableStatuses(spec) {
  const statuses = new Set();
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item)) {
      for (const [status, response] of Object.entries(op?.responses ?? {})) {
        const name = response.$ref?.split('/').pop();
        if (name && spec.components.responses[name]['x-retryable']) statuses.add(Number(status));
      }
    }
  }
  return [...statuses].sort((a, b) => a - b);
}

function servers(spec) {
  const out = {};
  for (const server of spec.servers) {
    const cloud = need(server['x-cloud'], `x-cloud on server ${server.url}`);
    out[cloud] = { url: server.url, regions: server.variables?.region?.enum ?? [], defaultRegion: server.variables?.region?.default ?? null };
  }
  return out;
}

export function contractModule(spec) {
  const { schemas, parameters } = spec.components;
  const text = need(schemas.Utf8Text255, 'components.schemas.Utf8Text255');
  const limit = need(parameters.limit?.schema, 'the limit parameter');
  const contract = {
    textMaxBytes: need(text['x-max-utf8-bytes'], 'x-max-utf8-bytes on Utf8Text255'),
    reservedNamePrefix: need(schemas.SnapshotName?.['x-reserved-prefix'], 'x-reserved-prefix on SnapshotName'),
    limit: { minimum: limit.minimum, maximum: limit.maximum, default: limit.default },
    offsetMinimum: need(parameters.offset?.schema?.minimum, 'a minimum on the offset parameter'),
    knownStatuses: need(schemas.KnownSnapshotStatus?.enum, 'the KnownSnapshotStatus enum'),
    createFields: Object.keys(need(schemas.CreateSnapshotOption?.properties, 'CreateSnapshotOption')),
    createRequired: schemas.CreateSnapshotOption.required ?? [],
    updateFields: Object.keys(need(schemas.UpdateSnapshotOption?.properties, 'UpdateSnapshotOption')),
    faultNames: Object.keys(need(schemas.OpenStackFault?.properties, 'OpenStackFault')),
    retryableStatuses: retryableStatuses(spec),
    operations: operations(spec),
    listQuery: {
      cloudsnapshots: queryParameters(spec, 'listSnapshotsNative'),
      snapshots: queryParameters(spec, 'listSnapshotsCompatible'),
    },
    servers: servers(spec),
  };
  return `export const contract = ${JSON.stringify(contract, null, 2)} as const;\n`;
}
