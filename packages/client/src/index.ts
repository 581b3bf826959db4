/**
 * @evs-toolkit/client — typed client for the EVS (Elastic Volume Service)
 * snapshot API of Huawei Cloud and Open Telekom Cloud.
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
export type { EvsErrorKind, EvsTimeoutReason, FaultName } from "./errors.js";
export {
  EvsApiError,
  EvsError,
  EvsNetworkError,
  EvsRedirectError,
  EvsSnapshotFailedError,
  EvsTimeoutError,
  EvsValidationError,
} from "./errors.js";
export type { components, operations, paths } from "./generated/openapi.js";
export type { AkSkCredentials } from "./signing/sign.js";
export { signRequest } from "./signing/sign.js";
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
