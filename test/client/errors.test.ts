import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import {
  createEvsClient,
  EvsApiError,
  EvsNetworkError,
  EvsRedirectError,
  EvsTimeoutError,
  EvsValidationError,
} from "../../packages/client/src/index.js";
import type { Handler } from "../support/client-kit.js";
import { json, recordingFetch } from "../support/client-kit.js";

const TOKEN = "MIIToken-very-secret-0123456789";
const AK = "AKEXAMPLE0000000001";
const SK = "SK-super-secret-key-9876543210";
const STS = "STS-security-token-abcdefghijkl";

function tokenClient(handler: Handler) {
  const recorder = recordingFetch(handler);
  const evs = createEvsClient({
    endpoint: "https://evs.eu-de.otc.t-systems.com",
    projectId: "proj",
    auth: { token: TOKEN },
    fetch: recorder.fetch,
    retry: { attempts: 0 },
  });
  return { evs, calls: recorder.calls };
}

async function apiError(handler: Handler): Promise<EvsApiError> {
  const { evs } = tokenClient(handler);
  const error = await evs.listSnapshots({ name: "n" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EvsApiError);
  return error as EvsApiError;
}

describe("EvsApiError parsing", () => {
  it("native shape: kind error, string code", async () => {
    const error = await apiError(() =>
      json({ error: { code: "EVS.5404", message: "The snapshot could not be found." } }, 404, {
        "X-Request-Id": "rid-1",
      }),
    );
    expect(error).toMatchObject({
      status: 404,
      kind: "error",
      code: "EVS.5404",
      serverMessage: "The snapshot could not be found.",
      requestId: "rid-1",
      method: "GET",
      path: "/v2/proj/cloudsnapshots/detail",
    });
    expect(error.body).toEqual({
      error: { code: "EVS.5404", message: "The snapshot could not be found." },
    });
    expect(error.message).toContain("EVS.5404");
    expect(error.message).toContain("The snapshot could not be found.");
    expect(error.message).toContain("rid-1");
    expect(error.path).not.toContain("?");
  });

  it.each(specFacts.faultNames.map((name) => [name]))(
    "OpenStack fault %s with an integer code",
    async (name) => {
      const error = await apiError(() =>
        json({ [name]: { code: 409, message: `fault ${name}` } }, 409, {
          "X-Openstack-Request-Id": "req-os",
        }),
      );
      expect(error.kind).toBe(name);
      expect(error.code).toBe("409");
      expect(error.serverMessage).toBe(`fault ${name}`);
      expect(error.requestId).toBe("req-os");
    },
  );

  it("OpenStack fault with the string placeholder code of the vendor pages", async () => {
    const error = await apiError(() =>
      json({ itemNotFound: { message: "XXXX", code: "XXX" } }, 404),
    );
    expect(error).toMatchObject({ kind: "itemNotFound", code: "XXX", serverMessage: "XXXX" });
  });

  it("overLimit fault keeps its body", async () => {
    const error = await apiError(() =>
      json({ overLimit: { code: 413, message: "quota", retryAfter: 5 } }, 413),
    );
    expect(error.kind).toBe("overLimit");
    expect(error.body).toEqual({ overLimit: { code: 413, message: "quota", retryAfter: 5 } });
  });

  it("an unknown single-key fault is kind unknown but keeps its message", async () => {
    const error = await apiError(() => json({ weirdFault: { code: 400, message: "odd" } }, 400));
    expect(error.kind).toBe("unknown");
    expect(error.code).toBe("400");
    expect(error.serverMessage).toContain("odd");
  });

  it("API gateway shape: request id from the body when no header", async () => {
    const error = await apiError(() =>
      json(
        {
          error_code: "APIG.0301",
          error_msg: "Incorrect IAM authentication information",
          request_id: "gw-7",
        },
        401,
      ),
    );
    expect(error).toMatchObject({
      kind: "apiGateway",
      code: "APIG.0301",
      requestId: "gw-7",
      status: 401,
    });
    expect(error.message).toContain("Incorrect IAM authentication information");
  });

  it("header request id wins over the body's; X-Compute-Request-Id is a fallback", async () => {
    const a = await apiError(() =>
      json({ error_code: "APIG.0308", error_msg: "throttled", request_id: "body" }, 400, {
        "X-Request-Id": "hdr",
      }),
    );
    expect(a.requestId).toBe("hdr");
    const b = await apiError(() =>
      json({ error: { code: "EVS.0001", message: "m" } }, 400, { "X-Compute-Request-Id": "cmp" }),
    );
    expect(b.requestId).toBe("cmp");
  });

  it("an HTML 502 page gives a short, clear message", async () => {
    const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head><body><h1>502 Bad Gateway</h1><p>nginx</p>${"<!-- padding -->".repeat(200)}<p>${"x".repeat(5000)}</p></body></html>`;
    const error = await apiError(
      () =>
        new Response(html, {
          status: 502,
          statusText: "Bad Gateway",
          headers: { "content-type": "text/html" },
        }),
    );
    expect(error.kind).toBe("unknown");
    expect(error.code).toBe("502");
    expect(error.message).toContain("502 Bad Gateway");
    expect(error.message).not.toContain("<");
    expect(error.message).not.toContain("color:red");
    expect(error.message.length).toBeLessThan(400);
    expect(error.body).toBe(html);
  });

  it("an empty body", async () => {
    const error = await apiError(
      () => new Response(null, { status: 500, statusText: "Internal Server Error" }),
    );
    expect(error).toMatchObject({ status: 500, kind: "unknown", code: "500", body: undefined });
    expect(error.message).toContain("500 Internal Server Error");
    expect(error.message).toContain("empty");
  });

  it("invalid JSON is kept as text", async () => {
    const error = await apiError(
      () =>
        new Response("{not json", { status: 400, headers: { "content-type": "application/json" } }),
    );
    expect(error.kind).toBe("unknown");
    expect(error.body).toBe("{not json");
  });

  it("a JSON body of none of the shapes", async () => {
    const error = await apiError(() => json({ foo: 1, bar: 2 }, 418));
    expect(error).toMatchObject({ kind: "unknown", code: "418" });
  });

  it("a 2xx answer that is not JSON is an EvsApiError too", async () => {
    const error = await apiError(
      () => new Response("<html>captive portal</html>", { status: 200 }),
    );
    expect(error.status).toBe(200);
    expect(error.message).toContain("unexpected answer");
  });

  it("every error class keeps its name in a minified bundle", async () => {
    const { build } = await import("esbuild");
    const bundled = await build({
      entryPoints: [fileURLToPath(new URL("../../packages/client/src/errors.ts", import.meta.url))],
      bundle: true,
      minify: true, // renames classes: `new.target.name` would give one- or two-letter names
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const errors = (await import(
      `data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0]!.text).toString("base64")}`
    )) as typeof import("../../packages/client/src/errors.js");
    const made = [
      new errors.EvsError("m"),
      new errors.EvsApiError({
        status: 400,
        statusText: "",
        kind: "unknown",
        code: "400",
        serverMessage: "m",
        requestId: undefined,
        body: undefined,
        method: "GET",
        path: "/",
      }),
      new errors.EvsValidationError("f", "m"),
      new errors.EvsTimeoutError("m", { reason: "timeout" }),
      new errors.EvsNetworkError("GET", "/", new Error("x")),
      new errors.EvsRedirectError("m", { status: 302, method: "GET", path: "/" }),
      new errors.EvsSnapshotFailedError("s", "error", ["available"]),
    ];
    expect(made.map((error) => error.name)).toEqual([
      "EvsError",
      "EvsApiError",
      "EvsValidationError",
      "EvsTimeoutError",
      "EvsNetworkError",
      "EvsRedirectError",
      "EvsSnapshotFailedError",
    ]);
    expect(made.map((error) => (error.toJSON() as { name: string }).name)).toEqual(
      made.map((error) => error.name),
    );
  });

  it("errors are instances of Error with the right name", async () => {
    const error = await apiError(() => json({ error: { code: "EVS.1", message: "m" } }, 400));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("EvsApiError");
    expect(String(error)).toMatch(/^EvsApiError: /);
  });
});

describe("the error body is the server's body, redacted and otherwise as sent", () => {
  it("keeps key order and keys named __proto__ (as own keys), at any depth", async () => {
    const text =
      '{"error":{"code":"EVS.1","message":"m","details":{"a":1,"b":[1,{"z":2,"y":3}],"c":3}},' +
      '"__proto__":{"injected":"yes"},"z":"last"}';
    const error = await apiError(() => new Response(text, { status: 400 }));
    expect(JSON.stringify(error.body)).toBe(JSON.stringify(JSON.parse(text)));
    expect((error.body as { injected?: unknown }).injected).toBeUndefined();
    expect(Object.getPrototypeOf(error.body)).toBe(Object.prototype);
  });
});

describe("no secret ever appears in an error", () => {
  function expectClean(error: unknown, secrets: string[]) {
    const renderings = [
      String(error),
      (error as Error).message,
      (error as Error).stack ?? "",
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
    ];
    for (const text of renderings) for (const secret of secrets) expect(text).not.toContain(secret);
  }

  it("token: API error whose body echoes the token and a signature", async () => {
    const { evs } = tokenClient(() =>
      json(
        {
          error_code: "APIG.0301",
          error_msg: `bad token ${TOKEN} Signature=abcdef0123456789`,
          request_id: "r",
        },
        401,
      ),
    );
    const error = await evs.listSnapshots().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvsApiError);
    expectClean(error, [TOKEN, "abcdef0123456789"]);
    expect((error as EvsApiError).message).toContain("[REDACTED]");
  });

  it("AK/SK: errors of every class carry no key, security token or signature", async () => {
    const errors: unknown[] = [];
    const make = (handler: Handler, extra: Record<string, unknown> = {}) => {
      const recorder = recordingFetch(handler);
      const evs = createEvsClient({
        endpoint: "https://evs.eu-de.otc.t-systems.com",
        projectId: "proj",
        auth: akSk({ accessKey: AK, secretKey: SK, securityToken: STS }),
        fetch: recorder.fetch,
        retry: { attempts: 0 },
        ...extra,
      });
      return { evs, recorder };
    };
    let signature = "";
    const echo = make((call) => {
      signature = /Signature=([0-9a-f]+)/.exec(call.headers.authorization ?? "")?.[1] ?? "";
      return json(
        { error: { code: "EVS.0002", message: `${call.headers.authorization} ${STS} ${SK}` } },
        400,
      );
    });
    errors.push(await echo.evs.listSnapshots().catch((e: unknown) => e));
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    errors.push(
      await make(() => Promise.reject(new TypeError("fetch failed")))
        .evs.listSnapshots()
        .catch((e: unknown) => e),
    );
    errors.push(
      await make(
        () =>
          new Response(null, { status: 302, headers: { location: "https://evil.example.com/x" } }),
      )
        .evs.listSnapshots()
        .catch((e: unknown) => e),
    );
    errors.push(
      await make(() => new Promise<Response>(() => undefined), { timeoutMs: 5 })
        .evs.listSnapshots()
        .catch((e: unknown) => e),
    );
    errors.push(
      await make(() => json({}))
        .evs.createSnapshot({ volume_id: "" })
        .catch((e: unknown) => e),
    );

    expect(errors[0]).toBeInstanceOf(EvsApiError);
    expect(errors[1]).toBeInstanceOf(EvsNetworkError);
    expect(errors[2]).toBeInstanceOf(EvsRedirectError);
    expect(errors[3]).toBeInstanceOf(EvsTimeoutError);
    expect(errors[4]).toBeInstanceOf(EvsValidationError);
    for (const error of errors) expectClean(error, [SK, STS, signature]);
  });

  it("the client object itself does not show its credentials", () => {
    const evs = createEvsClient({
      endpoint: "https://evs.eu-de.otc.t-systems.com",
      projectId: "proj",
      auth: akSk({ accessKey: AK, secretKey: SK, securityToken: STS }),
    });
    const shown = inspect(evs, { depth: 20, showHidden: true }) + JSON.stringify(evs);
    expect(shown).not.toContain(SK);
    expect(shown).not.toContain(STS);
    const tokenEvs = createEvsClient({
      endpoint: "https://evs.eu-de.otc.t-systems.com",
      projectId: "p",
      auth: { token: TOKEN },
    });
    expect(
      inspect(tokenEvs, { depth: 20, showHidden: true }) + JSON.stringify(tokenEvs),
    ).not.toContain(TOKEN);
  });
});
