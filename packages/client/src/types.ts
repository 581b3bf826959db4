/**
 * Public type aliases over the generated OpenAPI types. Everything is derived
 * from `components`/`operations` so the spec stays the one source of truth;
 * only `status` is re-typed, because the generated `KnownSnapshotStatus | string`
 * collapses to plain `string` and loses autocompletion.
 */

import type { components, operations } from "./generated/openapi.js";
import type { specFacts } from "./generated/spec-facts.js";

type Schemas = components["schemas"];

/** Statuses documented today (from the spec's enum). */
export type KnownSnapshotStatus = Schemas["KnownSnapshotStatus"];
/** A known status, or any future one: autocompletes, yet never breaks on a new value. */
export type SnapshotStatus = KnownSnapshotStatus | (string & {});

type WithStatus<T> = Omit<T, "status"> & { status: SnapshotStatus };

/** A snapshot as create, show, update and the compatible list return it. */
export type Snapshot = WithStatus<Schemas["Snapshot"]>;
/** A snapshot as the native list returns it (adds `service_type`, dedicated storage). */
export type NativeSnapshotListItem = WithStatus<Schemas["NativeSnapshotListItem"]>;
export type SnapshotMetadata = Schemas["Metadata"];
export type SnapshotLink = Schemas["SnapshotLink"];
export type NativeSnapshotList = Schemas["NativeSnapshotList"];
export type CompatibleSnapshotList = Schemas["CompatibleSnapshotList"];
export type CreateSnapshotOption = Schemas["CreateSnapshotOption"];
export type UpdateSnapshotOption = Schemas["UpdateSnapshotOption"];
export type RollbackSnapshotOption = Schemas["RollbackSnapshotOption"];
/** The answer of a rollback: the disk being rolled back. */
export type RollbackSnapshotResult = Schemas["RollbackSnapshotResponse"]["rollback"];
export type ErrorEnvelope = Schemas["ErrorEnvelope"];

/** The two path families: native `cloudsnapshots` (default) and OpenStack-compatible `snapshots`. */
export type SnapshotFamily = keyof typeof specFacts.listQuery;

/** Body of createSnapshot: the spec's CreateSnapshotOption, `force` optional (it defaults to false). */
export type CreateSnapshotInput = Omit<CreateSnapshotOption, "force"> & { force?: boolean };
/** Body of updateSnapshot: name and/or description; at least one (the service refuses `{}`). */
export type UpdateSnapshotInput =
  | (UpdateSnapshotOption & { name: NonNullable<UpdateSnapshotOption["name"]> })
  | (UpdateSnapshotOption & { description: UpdateSnapshotOption["description"] });
/** Body of rollbackSnapshot: the snapshot's source disk (`volume_id`) and optionally its `name`. */
export type RollbackSnapshotInput = RollbackSnapshotOption;

/** Names of the client methods that call an operation of the spec, per family (from spec-facts). */
export type SnapshotOperationName<F extends SnapshotFamily = SnapshotFamily> =
  F extends SnapshotFamily ? keyof (typeof specFacts.familyOperations)[F] : never;

type NativeQuery = NonNullable<operations["listSnapshotsNative"]["parameters"]["query"]>;
type CompatibleQuery = NonNullable<operations["listSnapshotsCompatible"]["parameters"]["query"]>;

/** Query of the native list; `id` may be one ID or several (sent as `id=a&id=b`). */
export type NativeListQuery = Omit<NativeQuery, "status" | "id"> & {
  status?: SnapshotStatus;
  id?: string | string[];
};
/** Query of the compatible list. */
export type CompatibleListQuery = Omit<CompatibleQuery, "status"> & { status?: SnapshotStatus };

export type ListSnapshotsQuery<F extends SnapshotFamily = "cloudsnapshots"> = F extends "snapshots"
  ? CompatibleListQuery
  : NativeListQuery;

/** What one list item is on family F. */
export type SnapshotListItem<F extends SnapshotFamily = "cloudsnapshots"> = F extends "snapshots"
  ? Snapshot
  : NativeSnapshotListItem;

/** One page of listSnapshots. */
export type SnapshotPage<F extends SnapshotFamily = "cloudsnapshots"> = {
  snapshots: SnapshotListItem<F>[];
  /** The query to pass to listSnapshots for the next page; undefined when this was the last one. */
  next?: ListSnapshotsQuery<F>;
} & (F extends "snapshots"
  ? { /** The compatible family has no count. */ count?: never }
  : {
      /** Total number of matches (a native answer without a usable one is refused). */ count: number;
    });
