import { assertType, describe, expectTypeOf, it } from "vitest";
import type { AkSkCredentials } from "../../packages/client/src/aksk.js";
import { akSk, signRequest } from "../../packages/client/src/aksk.js";
import type {
  CreateSnapshotInput,
  components,
  EvsClient,
  EvsErrorKind,
  KnownSnapshotStatus,
  ListSnapshotsQuery,
  NativeSnapshotListItem,
  Snapshot,
  SnapshotPage,
  SnapshotStatus,
} from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsApiError,
  type EvsTimeoutError,
  type EvsValidationError,
  evsEndpoint,
  iterateSnapshots,
  waitForSnapshot,
} from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";
import { compat, evs } from "../support/typed-clients.js";

describe("client types", () => {
  it("defaults to the native family", () => {
    expectTypeOf(evs).toEqualTypeOf<EvsClient<"cloudsnapshots">>();
    expectTypeOf(compat).toEqualTypeOf<EvsClient<"snapshots">>();
    expectTypeOf(evs.family).toEqualTypeOf<"cloudsnapshots">();
  });

  it("results", () => {
    expectTypeOf(evs.createSnapshot({ volume_id: "v" })).resolves.toEqualTypeOf<Snapshot>();
    expectTypeOf(evs.updateSnapshot("id", { name: "n" })).resolves.toEqualTypeOf<Snapshot>();
    expectTypeOf(evs.listSnapshots()).resolves.toEqualTypeOf<SnapshotPage<"cloudsnapshots">>();
    expectTypeOf(evs.listSnapshots())
      .resolves.toHaveProperty("snapshots")
      .toEqualTypeOf<NativeSnapshotListItem[]>();
    expectTypeOf(compat.listSnapshots())
      .resolves.toHaveProperty("snapshots")
      .toEqualTypeOf<Snapshot[]>();
    expectTypeOf(evs.listSnapshots()).resolves.toHaveProperty("count").toEqualTypeOf<number>();
    expectTypeOf(evs.listSnapshots())
      .resolves.toHaveProperty("next")
      .toEqualTypeOf<ListSnapshotsQuery<"cloudsnapshots"> | undefined>();
    expectTypeOf(iterateSnapshots(evs)).toEqualTypeOf<
      AsyncGenerator<NativeSnapshotListItem, void, undefined>
    >();
    expectTypeOf(iterateSnapshots(compat)).toEqualTypeOf<
      AsyncGenerator<Snapshot, void, undefined>
    >();
    // The waiter polls show, which answers the snapshot without the native list's extra fields.
    expectTypeOf(waitForSnapshot(evs, "id")).resolves.toEqualTypeOf<Snapshot>();
    expectTypeOf(waitForSnapshot(compat, "id")).resolves.toEqualTypeOf<Snapshot>();
    expectTypeOf<NativeSnapshotListItem["service_type"]>().toEqualTypeOf<string>();
  });

  it("statuses autocomplete yet accept unknown ones", () => {
    expectTypeOf<KnownSnapshotStatus>().toEqualTypeOf<
      components["schemas"]["KnownSnapshotStatus"]
    >();
    expectTypeOf<"available">().toExtend<KnownSnapshotStatus>();
    expectTypeOf<"some-future-status">().toExtend<SnapshotStatus>();
    expectTypeOf<Snapshot["status"]>().toEqualTypeOf<SnapshotStatus>();
    assertType<SnapshotStatus>("available");
    assertType<SnapshotStatus>("brand-new");
    void waitForSnapshot(evs, "id", { status: ["available", "whatever-comes-next"] });
  });

  it("params", () => {
    expectTypeOf(evs.createSnapshot).parameter(0).toEqualTypeOf<CreateSnapshotInput>();
    assertType<CreateSnapshotInput>({
      volume_id: "v",
      name: "n",
      description: null,
      force: true,
      metadata: { a: "b" },
    });
    void evs.listSnapshots({
      status: "available",
      limit: 10,
      offset: 0,
      id: ["a", "b"],
      service_type: "EVS",
    });
    void compat.listSnapshots({ marker: "m", limit: 10 });
    void evs.listSnapshots({}, { signal: new AbortController().signal });
    void evs.createSnapshot({ volume_id: "v" }, { retry: true, allowReservedName: true });
  });

  it("rejects wrong bodies and options", () => {
    // @ts-expect-error volume_id must be a string
    void evs.createSnapshot({ volume_id: 1 });
    // @ts-expect-error volume_id is required
    void evs.createSnapshot({ name: "n" });
    // @ts-expect-error metadata values are strings
    void evs.createSnapshot({ volume_id: "v", metadata: { a: 1 } });
    // @ts-expect-error size is not a create field
    void evs.createSnapshot({ volume_id: "v", size: 10 });
    // @ts-expect-error name must be a string
    void evs.updateSnapshot("id", { name: 5 });
    // @ts-expect-error marker is not a native-family query parameter
    void evs.listSnapshots({ marker: "m" });
    // @ts-expect-error service_type is not a compatible-family query parameter
    void compat.listSnapshots({ service_type: "EVS" });
    // @ts-expect-error limit is a number
    void evs.listSnapshots({ limit: "10" });
    createEvsClient({
      endpoint: "https://x",
      projectId: "p",
      auth: { token: "t" },
      // @ts-expect-error unknown family
      family: "volumes",
    });
    // @ts-expect-error unknown cloud
    evsEndpoint({ cloud: "aws", region: "x" });
    createEvsClient({
      // @ts-expect-error a cloud and region go through evsEndpoint()
      endpoint: { cloud: "otc", region: "eu-de" },
      projectId: "p",
      auth: { token: "t" },
    });
    // @ts-expect-error auth needs a token or a key pair
    createEvsClient({ endpoint: "https://x", projectId: "p", auth: akSk({ accessKey: "a" }) });
  });

  it("raw has openapi-fetch's types, and only the options it honours", async () => {
    const { data } = await rawClient(evs).GET("/v2/{project_id}/cloudsnapshots/detail", {
      params: { path: { project_id: "p" }, query: { limit: 1 } },
    });
    expectTypeOf(data).branded.toEqualTypeOf<
      components["schemas"]["NativeSnapshotList"] | undefined
    >();
    const put = await rawClient(evs).PUT("/v2/{project_id}/snapshots/{snapshot_id}", {
      params: { path: { project_id: "p", snapshot_id: "s" } },
      body: { snapshot: { name: "n" } },
    });
    expectTypeOf(put.data).branded.toEqualTypeOf<
      components["schemas"]["SnapshotResponse"] | undefined
    >();
    // @ts-expect-error not an operation of the spec
    void rawClient(evs).GET("/v2/{project_id}/volumes");
    void rawClient(evs).PUT("/v2/{project_id}/snapshots/{snapshot_id}", {
      params: { path: { project_id: "p", snapshot_id: "s" } },
      // @ts-expect-error a misspelled body field (the options are the operation's exact type)
      body: { snapshot: { nmae: "n" } },
    });
    void rawClient(evs).GET("/v2/{project_id}/cloudsnapshots/detail", {
      params: { path: { project_id: "p" } },
      // @ts-expect-error openapi-fetch's parseAs is not honoured (the transport reads JSON), so not accepted
      parseAs: "text",
    });
  });

  it("types catch what the runtime refuses (issue 9, point 11)", () => {
    // @ts-expect-error an update needs a name or a description
    void evs.updateSnapshot("id", {});
    void evs.updateSnapshot("id", { description: null });
    // count is there on native pages, and absent on compatible ones
    expectTypeOf(evs.listSnapshots()).resolves.toHaveProperty("count").toEqualTypeOf<number>();
    expectTypeOf(compat.listSnapshots())
      .resolves.toHaveProperty("count")
      .toEqualTypeOf<undefined>();
    // per-call headers on every method
    void evs.getSnapshot("id", { headers: { Prefer: "code=200" } });
    void waitForSnapshot(evs, "id", { headers: { "X-Trace": "t" } });
    // @ts-expect-error header values are strings
    void evs.listSnapshots({}, { headers: { "X-Trace": 1 } });
  });

  it("errors", () => {
    const error = new EvsApiError({
      status: 404,
      statusText: "",
      kind: "itemNotFound",
      code: "404",
      serverMessage: "m",
      requestId: undefined,
      body: undefined,
      method: "GET",
      path: "/",
    });
    expectTypeOf(error.kind).toEqualTypeOf<EvsErrorKind>();
    expectTypeOf(error.code).toEqualTypeOf<string>();
    expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>();
    expectTypeOf<EvsValidationError["field"]>().toEqualTypeOf<string>();
    expectTypeOf<EvsTimeoutError["reason"]>().toEqualTypeOf<"timeout" | "aborted">();
    assertType<EvsErrorKind>("apiGateway");
    // @ts-expect-error not a fault name
    assertType<EvsErrorKind>("notAFault");
  });

  it("signRequest is re-exported", () => {
    expectTypeOf(signRequest).parameters.toEqualTypeOf<
      [Request, AkSkCredentials, (Date | undefined)?]
    >();
    expectTypeOf(signRequest).returns.resolves.toEqualTypeOf<Request>();
  });
});
