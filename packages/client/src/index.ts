/**
 * @evs-toolkit/client — typed client for the EVS (Elastic Volume Service)
 * snapshot API of Huawei Cloud and Open Telekom Cloud.
 *
 * AK/SK signing is `akSk()` from `@evs-toolkit/client/aksk`, the typed openapi-fetch
 * client `rawClient()` from `@evs-toolkit/client/raw`: an app bundles only what it imports.
 */

export type {
  CallOptions,
  CreateCallOptions,
  EvsClient,
  EvsClientOptions,
  RollbackCallOptions,
  RollbackInputOn,
  UpdateCallOptions,
} from "./client.js";
export { createEvsClient } from "./client.js";
export type { EndpointOption, EvsCloud } from "./endpoint.js";
export type {
  EvsErrorKind,
  EvsPaginationReason,
  EvsTimeoutReason,
  FaultName,
} from "./errors.js";
export {
  EvsApiError,
  EvsError,
  EvsNetworkError,
  EvsPaginationError,
  EvsRedirectError,
  EvsResponseTooLargeError,
  EvsSnapshotFailedError,
  EvsTimeoutError,
  EvsValidationError,
} from "./errors.js";
export type { components, operations, paths } from "./generated/openapi.js";
export type {
  AkSkAuth,
  EvsAuth,
  FetchLike,
  RetryInfo,
  RetryOptions,
  TokenAuth,
} from "./transport.js";
export type {
  CompatibleListQuery,
  CompatibleSnapshotList,
  CreateSnapshotInput,
  CreateSnapshotOption,
  ErrorEnvelope,
  KnownSnapshotStatus,
  ListSnapshotsQuery,
  NativeListQuery,
  NativeSnapshotList,
  NativeSnapshotListItem,
  RollbackSnapshotInput,
  RollbackSnapshotOption,
  RollbackSnapshotResult,
  Snapshot,
  SnapshotFamily,
  SnapshotLink,
  SnapshotListItem,
  SnapshotMetadata,
  SnapshotOperationName,
  SnapshotPage,
  SnapshotStatus,
  UpdateSnapshotInput,
  UpdateSnapshotOption,
} from "./types.js";
export type {
  WaitForSnapshotDeletedOptions,
  WaitForSnapshotOptions,
  WaitOptions,
} from "./waiter.js";
