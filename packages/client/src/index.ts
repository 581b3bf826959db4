/**
 * @evs-toolkit/client — typed client for the EVS (Elastic Volume Service)
 * snapshot API of Huawei Cloud and Open Telekom Cloud.
 *
 * The client's methods are one request each; the waiters (waitForSnapshot,
 * waitForSnapshotDeleted) and the paginator (iterateSnapshots) are functions that take the
 * client, AK/SK signing is `akSk()` from `@evs-toolkit/client/aksk`, the typed raw client
 * (openapi-fetch's call shape) `rawClient()` from `@evs-toolkit/client/raw`: an app bundles
 * only what it imports.
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
export { evsEndpoint } from "./endpoint.js";
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
export { iterateSnapshots } from "./iterate.js";
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
  WaitableClient,
  WaitForSnapshotDeletedOptions,
  WaitForSnapshotOptions,
  WaitOptions,
} from "./waiter.js";
export { waitForSnapshot, waitForSnapshotDeleted } from "./waiter.js";
