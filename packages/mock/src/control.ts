/**
 * The control API under CONTROL_PREFIX, a prefix the public spec does not use; it is
 * described in ../control-api.yaml. Tests reach it through the mock's own URL.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FaultRuleInput } from "./emulator/faults.js";
import type { Emulator } from "./emulator/index.js";
import type { NewSnapshot } from "./emulator/store.js";

export const CONTROL_PREFIX = "/__evs-mock";
export const CONTROL_API_FILE = fileURLToPath(new URL("../control-api.yaml", import.meta.url));
/** Seeding is bounded per call as well as by the store's own bound. */
export const MAX_SEED_PER_CALL = 200_000;

export interface ControlAnswer {
  status: number;
  body: unknown;
  contentType?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const invalid = (message: string): ControlAnswer => ({ status: 400, body: { error: message } });

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new Error(`"${key}" must be a string`);
  return value;
}

function seed(emulator: Emulator, body: Record<string, unknown>): ControlAnswer {
  const projectId = optionalString(body, "project_id");
  if (!projectId) return invalid('"project_id" is required');
  const count = body.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_SEED_PER_CALL)
    return invalid(`"count" must be an integer from 1 to ${MAX_SEED_PER_CALL}`);
  const prefix = optionalString(body, "name_prefix") ?? "seed-";
  const volumeIds = body.volume_ids ?? [emulator.store.options.random.uuid()];
  if (
    !Array.isArray(volumeIds) ||
    volumeIds.length === 0 ||
    volumeIds.some((v) => typeof v !== "string")
  )
    return invalid('"volume_ids" must be a non-empty list of strings');
  const metadata = body.metadata;
  if (
    metadata !== undefined &&
    (!isObject(metadata) || Object.values(metadata).some((v) => typeof v !== "string"))
  )
    return invalid('"metadata" must be an object of strings');
  const template: Omit<NewSnapshot, "volumeId"> = {
    status: optionalString(body, "status") ?? "available",
    description: optionalString(body, "description") ?? null,
    availabilityZone: optionalString(body, "availability_zone"),
    enterpriseProjectId: optionalString(body, "enterprise_project_id"),
    serviceType: optionalString(body, "service_type"),
    dedicatedStorageId: optionalString(body, "dedicated_storage_id") ?? null,
    dedicatedStorageName: optionalString(body, "dedicated_storage_name") ?? null,
    metadata: metadata as Record<string, string> | undefined,
  };
  const width = String(count).length;
  const ids: string[] = [];
  // Older than anything created afterwards, one second apart, in creation order.
  const start = (Date.now() - (count as number) * 1000) * 1000;
  for (let i = 0; i < (count as number); i++) {
    const added = emulator.store.add(
      projectId,
      {
        ...template,
        volumeId: volumeIds[i % volumeIds.length] as string,
        name: `${prefix}${String(i + 1).padStart(width, "0")}`,
        createdAt: start + i * 1_000_000,
      },
      false,
    );
    if (typeof added === "string")
      return {
        status: 413,
        body: {
          error: `the mock holds at most ${emulator.store.options.maxStored} snapshots; ${i} of ${count} were seeded`,
          created: i,
        },
      };
    if (ids.length < 1000) ids.push(added.id);
  }
  return { status: 201, body: { project_id: projectId, created: count, ids } };
}

/** undefined when the path is not under the control prefix. */
export function handleControl(
  emulator: Emulator | undefined,
  mode: string,
  method: string,
  url: string,
  rawBody: Buffer,
): ControlAnswer | undefined {
  if (
    url !== CONTROL_PREFIX &&
    !url.startsWith(`${CONTROL_PREFIX}/`) &&
    !url.startsWith(`${CONTROL_PREFIX}?`)
  )
    return undefined;
  const path = url.split("?")[0]!.slice(CONTROL_PREFIX.length) || "/";
  const route = `${method} ${path}`;
  if (route === "GET /health")
    return {
      status: 200,
      body: { status: "ok", mode, ...(emulator ? emulator.store.stats() : {}) },
    };
  if (route === "GET /openapi.yaml")
    return {
      status: 200,
      body: readFileSync(CONTROL_API_FILE, "utf8"),
      contentType: "application/yaml",
    };
  if (!emulator)
    return {
      status: 404,
      body: {
        error: `${route} needs the stateful mode; this mock serves Prism's examples (mode ${mode})`,
      },
    };
  let body: unknown = {};
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return invalid("the body is not valid JSON");
    }
  }
  if (!isObject(body)) return invalid("the body must be a JSON object");
  try {
    switch (route) {
      case "POST /reset":
        emulator.reset();
        return { status: 200, body: { reset: true } };
      case "POST /snapshots":
        return seed(emulator, body);
      case "POST /advance": {
        const id = optionalString(body, "snapshot_id");
        return { status: 200, body: { advanced: emulator.store.advance(id) } };
      }
      case "POST /disks": {
        const projectId = optionalString(body, "project_id");
        const volumeId = optionalString(body, "volume_id");
        const status = optionalString(body, "status");
        if (!projectId || !volumeId || !status)
          return invalid('"project_id", "volume_id" and "status" are required');
        emulator.store.setDiskStatus(projectId, volumeId, status);
        return { status: 200, body: { project_id: projectId, volume_id: volumeId, status } };
      }
      case "GET /faults":
        return { status: 200, body: { rules: emulator.faults.list() } };
      case "POST /faults":
        return {
          status: 201,
          body: { rule: emulator.faults.add(body as unknown as FaultRuleInput) },
        };
      case "DELETE /faults":
        emulator.faults.clear();
        return { status: 200, body: { rules: [] } };
      default:
        return {
          status: 404,
          body: { error: `no control operation ${route}; see ${CONTROL_PREFIX}/openapi.yaml` },
        };
    }
  } catch (error) {
    return invalid((error as Error).message);
  }
}
