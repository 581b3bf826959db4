// The client's operation names (spec-facts' routes, per family) and the spec's operationIds
// they stand for, matched by method and path, so no test restates the naming convention.
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import type { SnapshotFamily, SnapshotOperationName } from "../../packages/client/src/index.js";
import { listOperations, loadBundledSpec } from "./spec.js";

const operations = listOperations(loadBundledSpec());
type Route = { method: string; path: string };

export const FAMILIES = Object.keys(specFacts.familyOperations) as SnapshotFamily[];

/** The client's operation names on `family`. */
export function operationNames(family: SnapshotFamily): SnapshotOperationName[] {
  return Object.keys(specFacts.familyOperations[family]) as SnapshotOperationName[];
}

/** The operationId of the spec that the client's `name` calls on `family`. */
export function operationIdOf(family: SnapshotFamily, name: SnapshotOperationName): string {
  const route = (specFacts.familyOperations[family] as Record<string, Route>)[name];
  const found = operations.find(
    (o) => route && o.method.toUpperCase() === route.method && o.path === route.path,
  );
  if (!found) throw new Error(`no operation of the spec for ${name} on the ${family} family`);
  return found.operationId;
}

/** The operationIds of `name` in every family that has it. */
export function operationIdsOf(name: SnapshotOperationName): string[] {
  return FAMILIES.filter((f) => operationNames(f).includes(name)).map((f) =>
    operationIdOf(f, name),
  );
}
