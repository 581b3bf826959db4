import { describe, expect, it } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import type { EvsClient, SnapshotFamily } from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsValidationError,
  evsEndpoint,
  iterateSnapshots,
  waitForSnapshot,
} from "../../packages/client/src/index.js";
import { utf8ByteLength } from "../../packages/client/src/validation.js";
import { json, recordingFetch, SNAPSHOT } from "../support/client-kit.js";

const ENDPOINT = "https://evs.eu-west-101.myhuaweicloud.com";
// The limits and field lists the spec states (through spec-facts.ts): the tests follow the spec.
const { createSnapshot: CREATE, updateSnapshot: UPDATE } = specFacts.bodies;
const CREATE_FIELDS = Object.keys(CREATE.fields);
const UPDATE_FIELDS = Object.keys(UPDATE.fields);
const TEXT_MAX_BYTES = CREATE.fields.name.maxUtf8Bytes;
const RESERVED_PREFIX = CREATE.fields.name.reservedPrefix;

function setup<F extends SnapshotFamily = "cloudsnapshots">(
  family?: F,
  extra: { allowReservedName?: boolean } = {},
) {
  const recorder = recordingFetch(() => json({ snapshot: SNAPSHOT }, 202));
  const evs = createEvsClient<F>({
    endpoint: ENDPOINT,
    projectId: "p",
    auth: { token: "tok-validation-secret" },
    fetch: recorder.fetch,
    ...(family ? { family } : {}),
    ...extra,
  });
  return { evs, calls: recorder.calls };
}

/** Runs `fn`, expects an EvsValidationError for `field` whose message names it, and that nothing was sent. */
async function expectRefused(
  fn: (evs: EvsClient) => Promise<unknown>,
  field: string,
  family?: SnapshotFamily,
): Promise<EvsValidationError> {
  const { evs, calls } = setup(family);
  const error = await fn(evs as EvsClient).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvsValidationError);
  const validation = error as EvsValidationError;
  expect(validation.field).toBe(field);
  expect(validation.message).toContain(field);
  expect(calls).toHaveLength(0);
  return validation;
}

describe("create validation (nothing is sent)", () => {
  it("refuses a missing volume_id", async () => {
    await expectRefused((evs) => evs.createSnapshot({} as never), "volume_id");
  });
  it("refuses an empty volume_id", async () => {
    await expectRefused((evs) => evs.createSnapshot({ volume_id: "" }), "volume_id");
    await expectRefused((evs) => evs.createSnapshot({ volume_id: "   " }), "volume_id");
  });
  it("refuses a non-string volume_id", async () => {
    await expectRefused((evs) => evs.createSnapshot({ volume_id: 1 } as never), "volume_id");
  });
  it("counts UTF-8 bytes, not characters: a 128-char euro name is 384 bytes", async () => {
    const name = "€".repeat(128);
    expect(name.length).toBe(128);
    expect(utf8ByteLength(name)).toBe(384);
    const error = await expectRefused(
      (evs) => evs.createSnapshot({ volume_id: "v", name }),
      "name",
    );
    expect(error.message).toContain("384 bytes");
    expect(error.message).toContain(String(TEXT_MAX_BYTES));
  });
  it("accepts a name of exactly the spec's byte limit", async () => {
    const { evs, calls } = setup();
    // 85 three-byte chars = 255 bytes
    await evs.createSnapshot({ volume_id: "v", name: "€".repeat(TEXT_MAX_BYTES / 3) });
    expect(calls).toHaveLength(1);
  });
  it("refuses a description over the byte limit", async () => {
    await expectRefused(
      (evs) => evs.createSnapshot({ volume_id: "v", description: "x".repeat(TEXT_MAX_BYTES + 1) }),
      "description",
    );
  });
  it("accepts a null description", async () => {
    const { evs, calls } = setup();
    await evs.createSnapshot({ volume_id: "v", description: null });
    expect(JSON.parse(calls[0]!.body!)).toEqual({
      snapshot: { volume_id: "v", description: null },
    });
  });
  it("refuses a non-string metadata value, naming the key", async () => {
    const error = await expectRefused(
      (evs) => evs.createSnapshot({ volume_id: "v", metadata: { ok: "1", bad: 2 } as never }),
      "metadata",
    );
    expect(error.message).toContain('"bad"');
  });
  it("refuses metadata that is not an object", async () => {
    await expectRefused(
      (evs) => evs.createSnapshot({ volume_id: "v", metadata: ["a"] as never }),
      "metadata",
    );
  });
  it("refuses metadata of 1 MiB or more", async () => {
    await expectRefused(
      (evs) => evs.createSnapshot({ volume_id: "v", metadata: { big: "x".repeat(1024 * 1024) } }),
      "metadata",
    );
  });
  it("refuses a non-boolean force", async () => {
    await expectRefused(
      (evs) => evs.createSnapshot({ volume_id: "v", force: "yes" } as never),
      "force",
    );
  });
  it("refuses unknown fields (from CREATE_FIELDS)", async () => {
    const error = await expectRefused(
      (evs) => evs.createSnapshot({ volume_id: "v", size: 10 } as never),
      "size",
    );
    for (const field of CREATE_FIELDS) expect(error.message).toContain(field);
  });
  it("refuses a name with the reserved prefix unless allowed", async () => {
    const name = `${RESERVED_PREFIX}mine`;
    await expectRefused((evs) => evs.createSnapshot({ volume_id: "v", name }), "name");

    const perCall = setup();
    await perCall.evs.createSnapshot({ volume_id: "v", name }, { allowReservedName: true });
    expect(perCall.calls).toHaveLength(1);

    const perClient = setup(undefined, { allowReservedName: true });
    await perClient.evs.createSnapshot({ volume_id: "v", name });
    expect(perClient.calls).toHaveLength(1);
  });
});

describe("update validation (nothing is sent)", () => {
  it("refuses an update with neither name nor description", async () => {
    const error = await expectRefused((evs) => evs.updateSnapshot("id", {} as never), "snapshot");
    for (const field of UPDATE_FIELDS) expect(error.message).toContain(field);
  });
  it("refuses unknown fields (from UPDATE_FIELDS)", async () => {
    const error = await expectRefused(
      (evs) => evs.updateSnapshot("id", { name: "n", volume_id: "v" } as never),
      "volume_id",
    );
    for (const field of UPDATE_FIELDS) expect(error.message).toContain(field);
  });
  it("refuses an over-long name and a reserved name", async () => {
    await expectRefused((evs) => evs.updateSnapshot("id", { name: "€".repeat(86) }), "name");
    await expectRefused((evs) => evs.updateSnapshot("id", { name: `${RESERVED_PREFIX}x` }), "name");
  });
  it.each(["", ".", ".."])("refuses the snapshot id %j", async (id) => {
    await expectRefused((evs) => evs.updateSnapshot(id, { name: "n" }), "snapshot_id");
  });
  it("refuses a snapshot id for the waiter too", async () => {
    await expectRefused((evs) => waitForSnapshot(evs, ".."), "snapshot_id");
  });
});

describe("list validation (nothing is sent)", () => {
  it.each([0, specFacts.listQuery.cloudsnapshots.limit.maximum + 1, 1.5, -1, Number.NaN])(
    "refuses limit %s",
    async (limit) => {
      const error = await expectRefused((evs) => evs.listSnapshots({ limit }), "limit");
      expect(error.message).toContain(String(specFacts.listQuery.cloudsnapshots.limit.maximum));
    },
  );
  it("refuses a string limit", async () => {
    await expectRefused((evs) => evs.listSnapshots({ limit: "10" as never }), "limit");
  });
  it.each([-1, 0.5])("refuses offset %s", async (offset) => {
    await expectRefused((evs) => evs.listSnapshots({ offset }), "offset");
  });
  it("refuses a query parameter of the other family", async () => {
    await expectRefused((evs) => evs.listSnapshots({ marker: "m" } as never), "marker");
    await expectRefused(
      (evs) => evs.listSnapshots({ service_type: "EVS" } as never),
      "service_type",
      "snapshots",
    );
  });
  it("refuses an empty marker and a name filter over 255 characters (the spec's parameter schemas)", async () => {
    await expectRefused((evs) => evs.listSnapshots({ marker: "" } as never), "marker", "snapshots");
    await expectRefused((evs) => evs.listSnapshots({ name: "n".repeat(256) }), "name");
    const { evs, calls } = setup();
    await evs.listSnapshots({ name: "€".repeat(255) }).catch(() => undefined); // 255 characters, 765 bytes: a filter, not a name to store
    expect(calls).toHaveLength(1);
  });
  it("iterateSnapshots validates when called, before any request", async () => {
    const { evs, calls } = setup();
    expect(() => iterateSnapshots(evs, { limit: 0 })).toThrow(EvsValidationError);
    expect(calls).toHaveLength(0);
  });
  it("accepts the limits of the range", async () => {
    const { evs, calls } = setup();
    await evs
      .listSnapshots({ limit: specFacts.listQuery.cloudsnapshots.limit.minimum, offset: 0 })
      .catch(() => undefined);
    await evs
      .listSnapshots({ limit: specFacts.listQuery.cloudsnapshots.limit.maximum })
      .catch(() => undefined);
    expect(calls).toHaveLength(2);
  });
});

describe("client options", () => {
  const fetch = recordingFetch(() => json({})).fetch;
  it.each([
    [{ endpoint: "http://evs.example.com" }, "endpoint"],
    [{ endpoint: "ftp://127.0.0.1" }, "endpoint"],
    [{ endpoint: "not a url" }, "endpoint"],
    [{ endpoint: "https://user:pw@evs.example.com" }, "endpoint"],
    [{ endpoint: "https://evs.example.com/?x=1" }, "endpoint"],
    // The 0.1 form: refused, pointing at evsEndpoint().
    [{ endpoint: { cloud: "otc", region: "eu-de" } }, "endpoint"],
    [{ endpoint: undefined }, "endpoint"],
    [{ projectId: "" }, "projectId"],
    [{ projectId: ".." }, "projectId"],
    [{ family: "volumes" }, "family"],
    [{ auth: {} }, "auth.token"],
    // AK/SK credentials as a plain object (the 0.1 form): refused, pointing at akSk().
    [{ auth: { accessKey: "ak", secretKey: "sk" } }, "auth"],
    [{ timeoutMs: -1 }, "timeoutMs"],
    // Beyond 2^31-1 ms a timer fires at once: such a limit would time out every request.
    [{ timeoutMs: 2 ** 31 }, "timeoutMs"],
    [{ retry: { maxDelayMs: 3e9 } }, "retry.maxDelayMs"],
    [{ retry: { attempts: 1.5 } }, "retry.attempts"],
  ])("refuses %j", (override, field) => {
    const options = {
      endpoint: ENDPOINT,
      projectId: "p",
      auth: { token: "t" },
      fetch,
      ...override,
    };
    try {
      createEvsClient(options as never);
      expect.unreachable("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(EvsValidationError);
      expect((error as EvsValidationError).field).toBe(field);
    }
  });
  it("allows plain http only for loopback hosts", () => {
    for (const endpoint of [
      "http://127.0.0.1:4010",
      "http://127.9.8.7",
      "http://localhost:1",
      "http://[::1]:8080",
    ]) {
      expect(
        createEvsClient({ endpoint, projectId: "p", auth: { token: "t" }, fetch }).endpoint,
      ).toBe(new URL(endpoint).origin);
    }
  });
  it("evsEndpoint builds endpoints from the spec's server templates, and refuses the rest", () => {
    const otc = createEvsClient({
      endpoint: evsEndpoint({ cloud: "otc", region: "eu-nl" }),
      projectId: "p",
      auth: { token: "t" },
      fetch,
    });
    expect(otc.endpoint).toBe("https://evs.eu-nl.otc.t-systems.com");
    expect(evsEndpoint({ cloud: "huaweicloud", region: "xx-new-9" })).toBe(
      "https://evs.xx-new-9.myhuaweicloud.com",
    );
    for (const [where, field] of [
      [{ cloud: "otc", region: "EU_DE" }, "region"],
      [{ cloud: "otc", region: "eu-de/../x" }, "region"],
      [{ cloud: "aws", region: "eu-de" }, "cloud"],
    ] as const)
      expect(() => evsEndpoint(where as never)).toThrow(expect.objectContaining({ field }));
  });
  it("akSk() refuses an empty secret key", () => {
    expect(() => akSk({ accessKey: "ak", secretKey: "" })).toThrow(
      expect.objectContaining({ field: "auth.secretKey" }),
    );
  });
  it("never puts the secret in a validation message", () => {
    try {
      createEvsClient({
        endpoint: ENDPOINT,
        projectId: "p",
        auth: akSk({ accessKey: "AK", secretKey: "s3cr3t-value", securityToken: "" }),
        fetch,
      });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("s3cr3t-value");
      expect((error as EvsValidationError).field).toBe("auth.securityToken");
    }
  });
});
