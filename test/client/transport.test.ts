import { afterEach, describe, expect, it, vi } from "vitest";
import { akSk } from "../../packages/client/src/aksk.js";
import { specFacts } from "../../packages/client/src/generated/spec-facts.js";
import type { EvsClientOptions, RetryInfo } from "../../packages/client/src/index.js";
import {
  createEvsClient,
  EvsApiError,
  EvsNetworkError,
  EvsRedirectError,
  EvsTimeoutError,
  waitForSnapshot,
} from "../../packages/client/src/index.js";
import { rawClient } from "../../packages/client/src/raw.js";
import { signParts } from "../../packages/client/src/signing/sign.js";
import { retryAfterMs } from "../../packages/client/src/transport.js";
import type { Handler } from "../support/client-kit.js";
import { json, never, recordingFetch, SNAPSHOT } from "../support/client-kit.js";

const ENDPOINT = "https://evs.eu-west-101.myhuaweicloud.com";
const PROJECT = "0f5d2f4c7e9a4b0a8c1d2e3f4a5b6c7d";
const LIST = { count: 1, snapshots: [{ ...SNAPSHOT, service_type: "EVS" }] };

function client(handler: Handler, options: Partial<EvsClientOptions> = {}) {
  const recorder = recordingFetch(handler);
  const retries: RetryInfo[] = [];
  const evs = createEvsClient({
    endpoint: ENDPOINT,
    projectId: PROJECT,
    auth: { token: "tok-123456" },
    fetch: recorder.fetch,
    ...options,
    retry: {
      baseDelayMs: 1,
      maxDelayMs: 5,
      onRetry: (info) => retries.push(info),
      ...options.retry,
    },
  });
  return { evs, calls: recorder.calls, retries };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("authentication", () => {
  it("token: sends X-Auth-Token, manual redirects, and nothing signed", async () => {
    const { evs, calls } = client(() => json(LIST));
    await evs.listSnapshots();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers["x-auth-token"]).toBe("tok-123456");
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(calls[0]!.redirect).toBe("manual");
    expect(calls[0]!.url).toBe(`${ENDPOINT}/v2/${PROJECT}/cloudsnapshots/detail`);
  });

  it("AK/SK: signs with X-Project-Id and X-Security-Token; the signature verifies", async () => {
    const credentials = {
      accessKey: "AKEXAMPLE",
      secretKey: "SK-secret",
      securityToken: "sts-token",
    };
    const { evs, calls } = client(() => json({ snapshot: SNAPSHOT }, 202), {
      auth: akSk(credentials),
    });
    await evs.createSnapshot({ volume_id: "v", name: "n" });
    const sent = calls[0]!;
    expect(sent.headers["x-auth-token"]).toBeUndefined();
    expect(sent.headers["x-project-id"]).toBe(PROJECT);
    expect(sent.headers["x-security-token"]).toBe("sts-token");
    expect(sent.headers["x-sdk-date"]).toMatch(/^\d{8}T\d{6}Z$/);
    expect(sent.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$/,
    );
    expect(sent.headers.authorization).toContain("x-project-id");
    expect(sent.headers.authorization).toContain("x-security-token");
    const { authorization, ...unsigned } = sent.headers;
    const again = await signParts(
      { method: sent.method, url: sent.url, headers: unsigned, body: sent.body },
      { ...credentials, projectId: PROJECT },
    );
    expect(again.authorization).toBe(authorization);
  });

  it("AK/SK: every retry is identical and freshly signed (new X-Sdk-Date)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2024-01-02T03:04:05Z"));
    const { evs, calls } = client(
      (_call, index) => {
        vi.setSystemTime(Date.now() + 2_000); // the next attempt is signed at another second
        return index < 2
          ? json({ error: { code: "EVS.9999", message: "busy" } }, 503)
          : json({ snapshot: SNAPSHOT });
      },
      { auth: akSk({ accessKey: "AK", secretKey: "SK-secret" }), retry: { attempts: 3 } },
    );
    await evs.updateSnapshot("id-1", { name: "renamed" });
    expect(calls).toHaveLength(3);
    const dates = calls.map((call) => call.headers["x-sdk-date"]);
    expect(new Set(dates).size).toBe(3);
    expect(new Set(calls.map((call) => call.headers.authorization)).size).toBe(3);
    const strip = ({ headers, signal: _signal, ...rest }: (typeof calls)[number]) => {
      const { authorization: _a, "x-sdk-date": _d, ...others } = headers;
      return { ...rest, headers: others };
    };
    expect(strip(calls[1]!)).toEqual(strip(calls[0]!));
    expect(strip(calls[2]!)).toEqual(strip(calls[0]!));
    expect(calls[0]!.body).toBe(JSON.stringify({ snapshot: { name: "renamed" } }));
  });
});

describe("retries", () => {
  it.each(specFacts.retryableStatuses.map((status) => [status]))(
    "retries list on %i then succeeds",
    async (status) => {
      const { evs, calls, retries } = client(
        (_c, i) => (i === 0 ? json({ error: { code: "X", message: "m" } }, status) : json(LIST)),
        {
          retry: { attempts: 2 },
        },
      );
      const page = await evs.listSnapshots();
      expect(page.snapshots).toHaveLength(1);
      expect(calls).toHaveLength(2);
      expect(retries).toEqual([
        expect.objectContaining({
          retry: 1,
          status,
          method: "GET",
          path: `/v2/${PROJECT}/cloudsnapshots/detail`,
        }),
      ]);
    },
  );

  it("does not retry other statuses", async () => {
    for (const status of [400, 401, 404, 409, 500]) {
      const { evs, calls } = client(() => json({ error: { code: "X", message: "m" } }, status), {
        retry: { attempts: 3 },
      });
      await expect(evs.listSnapshots()).rejects.toBeInstanceOf(EvsApiError);
      expect(calls).toHaveLength(1);
    }
  });

  it("gives up after `attempts` retries and throws the last answer", async () => {
    const { evs, calls, retries } = client(
      () => json({ error: { code: "EVS.503", message: "down" } }, 503),
      { retry: { attempts: 2 } },
    );
    const error = (await evs.listSnapshots().catch((e: unknown) => e)) as EvsApiError;
    expect(error).toBeInstanceOf(EvsApiError);
    expect(error.status).toBe(503);
    expect(calls).toHaveLength(3);
    expect(retries.map((r) => r.retry)).toEqual([1, 2]);
  });

  it("attempts: 0 disables retries", async () => {
    const { evs, calls } = client(() => json({}, 503), { retry: { attempts: 0 } });
    await expect(evs.listSnapshots()).rejects.toBeInstanceOf(EvsApiError);
    expect(calls).toHaveLength(1);
  });

  it("retries network errors on idempotent calls, then throws EvsNetworkError", async () => {
    const { evs, calls, retries } = client(() => Promise.reject(new TypeError("fetch failed")), {
      retry: { attempts: 2 },
    });
    const error = await evs.updateSnapshot("id", { name: "n" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvsNetworkError);
    expect(calls).toHaveLength(3);
    expect(retries[0]!.error).toBeInstanceOf(EvsNetworkError);
  });

  it("does not retry create by default (a retry could make a second snapshot)", async () => {
    const statusFirst = client(() => json({}, 503), { retry: { attempts: 3 } });
    await expect(statusFirst.evs.createSnapshot({ volume_id: "v" })).rejects.toBeInstanceOf(
      EvsApiError,
    );
    expect(statusFirst.calls).toHaveLength(1);
    const networkFirst = client(() => Promise.reject(new TypeError("fetch failed")), {
      retry: { attempts: 3 },
    });
    await expect(networkFirst.evs.createSnapshot({ volume_id: "v" })).rejects.toBeInstanceOf(
      EvsNetworkError,
    );
    expect(networkFirst.calls).toHaveLength(1);
  });

  it("retries create when the client opts in", async () => {
    const { evs, calls } = client(
      (_c, i) => (i === 0 ? json({}, 503) : json({ snapshot: SNAPSHOT }, 202)),
      {
        retry: { attempts: 2, create: true },
      },
    );
    await evs.createSnapshot({ volume_id: "v" });
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toBe(calls[0]!.body);
  });

  it("retries create when the call opts in, and a call can opt out", async () => {
    const optIn = client((_c, i) => (i === 0 ? json({}, 429) : json({ snapshot: SNAPSHOT }, 202)), {
      retry: { attempts: 2 },
    });
    await optIn.evs.createSnapshot({ volume_id: "v" }, { retry: true });
    expect(optIn.calls).toHaveLength(2);
    const optOut = client(() => json({}, 429), { retry: { attempts: 2, create: true } });
    await expect(
      optOut.evs.createSnapshot({ volume_id: "v" }, { retry: false }),
    ).rejects.toBeInstanceOf(EvsApiError);
    expect(optOut.calls).toHaveLength(1);
  });

  it("backoff is full jitter, within [0, min(max, base * 2^n)]", async () => {
    const { evs, retries } = client(() => json({}, 502), {
      retry: { attempts: 6, baseDelayMs: 1, maxDelayMs: 4 },
    });
    await expect(evs.listSnapshots()).rejects.toBeInstanceOf(EvsApiError);
    expect(retries).toHaveLength(6);
    retries.forEach((info, n) => {
      expect(info.delayMs).toBeGreaterThanOrEqual(0);
      expect(info.delayMs).toBeLessThanOrEqual(Math.min(4, 2 ** n));
    });
  });

  it("honours Retry-After in seconds, capped by maxDelayMs", async () => {
    const { evs, retries } = client(
      (_c, i) => (i === 0 ? json({}, 429, { "Retry-After": "120" }) : json(LIST)),
      {
        retry: { attempts: 1, maxDelayMs: 7 },
      },
    );
    await evs.listSnapshots();
    expect(retries[0]!.delayMs).toBe(7);
  });

  it("parses Retry-After as seconds, HTTP date, or an overLimit body", () => {
    const now = Date.parse("2024-01-02T03:04:05Z");
    expect(retryAfterMs(new Headers({ "retry-after": "3" }), "", now)).toBe(3000);
    expect(
      retryAfterMs(new Headers({ "retry-after": "Tue, 02 Jan 2024 03:04:07 GMT" }), "", now),
    ).toBe(2000);
    expect(
      retryAfterMs(new Headers({ "retry-after": "Tue, 02 Jan 2024 03:04:00 GMT" }), "", now),
    ).toBe(0);
    expect(
      retryAfterMs(
        new Headers(),
        JSON.stringify({ overLimit: { code: 413, message: "m", retryAfter: "4" } }),
        now,
      ),
    ).toBe(4000);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), "", now)).toBeUndefined();
  });
});

describe("time limits and abort", () => {
  it("a signal that is not an AbortSignal is refused before sending, in the methods, raw and the waiters", async () => {
    const { evs, calls } = client(() => json(LIST));
    const onlyAdd = { aborted: false, addEventListener: () => undefined };
    const onlyRemove = { aborted: false, removeEventListener: () => undefined };
    for (const signal of [{}, "abort", 1, { aborted: false }, onlyAdd, onlyRemove])
      for (const call of [
        evs.listSnapshots({}, { signal: signal as never }),
        rawClient(evs).GET("/v2/{project_id}/cloudsnapshots/detail", {
          params: { path: { project_id: PROJECT } },
          signal: signal as never,
        }),
        waitForSnapshot(evs, "s1", { signal: signal as never }),
      ])
        await expect(call).rejects.toMatchObject({ name: "EvsValidationError", field: "signal" });
    expect(calls).toHaveLength(0);
  });

  it("a stalled attempt times out with EvsTimeoutError (reason timeout), then retries", async () => {
    const { evs, calls } = client(() => never(), { timeoutMs: 5, retry: { attempts: 1 } });
    const error = (await evs.listSnapshots().catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error).toBeInstanceOf(EvsTimeoutError);
    expect(error.reason).toBe("timeout");
    expect(error.timeoutMs).toBe(5);
    expect(calls).toHaveLength(2);
  });

  it("an already-aborted signal sends nothing", async () => {
    const { evs, calls } = client(() => json(LIST));
    const error = (await evs
      .listSnapshots({}, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error).toBeInstanceOf(EvsTimeoutError);
    expect(error.reason).toBe("aborted");
    expect(calls).toHaveLength(0);
  });

  it("abort during an attempt stops at once, with no retry", async () => {
    const controller = new AbortController();
    const { evs, calls } = client(
      () => {
        queueMicrotask(() => controller.abort());
        return never();
      },
      { retry: { attempts: 5 } },
    );
    const error = (await evs
      .listSnapshots({}, { signal: controller.signal })
      .catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error.reason).toBe("aborted");
    expect(calls).toHaveLength(1);
  });

  it("abort during the backoff wait stops retries at once", async () => {
    const controller = new AbortController();
    const { evs, calls } = client(() => json({}, 503, { "Retry-After": "3600" }), {
      retry: {
        attempts: 5,
        maxDelayMs: 3_600_000,
        onRetry: () => setTimeout(() => controller.abort(), 1),
      },
    });
    const error = (await evs
      .listSnapshots({}, { signal: controller.signal })
      .catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error).toBeInstanceOf(EvsTimeoutError);
    expect(error.reason).toBe("aborted");
    expect(calls).toHaveLength(1);
  });

  it("with the default time limit and no caller signal, fetch gets a signal that the limit aborts", async () => {
    const answered = client(() => json(LIST));
    await answered.evs.listSnapshots();
    expect(answered.calls[0]!.signal).toBeInstanceOf(AbortSignal);
    expect(answered.calls[0]!.signal!.aborted).toBe(false);

    const stalled = client(() => never(), { timeoutMs: 5, retry: { attempts: 0 } });
    await expect(stalled.evs.listSnapshots()).rejects.toBeInstanceOf(EvsTimeoutError);
    expect(stalled.calls[0]!.signal!.aborted).toBe(true);
  });

  it("with a caller signal, the time limit aborts the fetch itself", async () => {
    const { evs, calls } = client(() => never(), { timeoutMs: 5, retry: { attempts: 0 } });
    const error = (await evs
      .listSnapshots({}, { signal: new AbortController().signal })
      .catch((e: unknown) => e)) as EvsTimeoutError;
    expect(error.reason).toBe("timeout");
    expect(calls[0]!.signal?.aborted).toBe(true);
  });

  it("a fetch that ignores its signal still times out on time, and its late answer has its body cancelled", async () => {
    let release!: (response: Response) => void;
    let cancelled = false;
    const late = new Response(new ReadableStream({ cancel: () => void (cancelled = true) }), {
      status: 200,
    });
    const evs = createEvsClient({
      endpoint: ENDPOINT,
      projectId: PROJECT,
      auth: { token: "tok-123456" },
      fetch: () => new Promise<Response>((resolve) => (release = resolve)), // never looks at init.signal
      timeoutMs: 5,
      retry: { attempts: 0 },
    });
    await expect(evs.listSnapshots()).rejects.toBeInstanceOf(EvsTimeoutError);
    release(late);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(cancelled).toBe(true);
  });

  it("timeoutMs: 0 sends no signal (no timer)", async () => {
    const { evs, calls } = client(() => json(LIST), { timeoutMs: 0 });
    await evs.listSnapshots();
    expect(calls[0]!.signal).toBeUndefined();
  });
});

describe("redirects are refused, never followed", () => {
  it.each([301, 302, 303, 307, 308])(
    "refuses a same-origin %i redirect too: nothing is re-sent",
    async (status) => {
      const { evs, calls } = client(
        () => new Response(null, { status, headers: { location: `/v2/${PROJECT}/moved?x=1` } }),
        { auth: akSk({ accessKey: "AK", secretKey: "SK-secret" }) },
      );
      const error = (await evs
        .createSnapshot({ volume_id: "v" })
        .catch((e: unknown) => e)) as EvsRedirectError;
      expect(error).toBeInstanceOf(EvsRedirectError);
      expect(error).toMatchObject({ status, targetOrigin: ENDPOINT, method: "POST" });
      expect(error.message).toContain("never followed");
      expect(error.message).not.toContain("moved");
      expect(calls).toHaveLength(1);
    },
  );

  it("refuses a cross-origin redirect without sending anything there", async () => {
    const { evs, calls } = client(
      () =>
        new Response(null, {
          status: 302,
          headers: { location: "https://attacker.example.net/steal?x=1" },
        }),
    );
    const error = (await evs.listSnapshots().catch((e: unknown) => e)) as EvsRedirectError;
    expect(error).toBeInstanceOf(EvsRedirectError);
    expect(error.targetOrigin).toBe("https://attacker.example.net");
    expect(error.message).toContain("redirect to https://attacker.example.net");
    expect(error.message).not.toContain("steal");
    expect(calls).toHaveLength(1);
  });

  it("refuses a redirect to http on the same host (another origin)", async () => {
    const { evs, calls } = client(
      () =>
        new Response(null, {
          status: 301,
          headers: { location: `${ENDPOINT.replace("https:", "http:")}/x` },
        }),
    );
    await expect(evs.listSnapshots()).rejects.toBeInstanceOf(EvsRedirectError);
    expect(calls).toHaveLength(1);
  });

  it("raw refuses the options that would send elsewhere or around the transport, naming them", async () => {
    const { evs, calls } = client(() => json(LIST));
    const raw = rawClient(evs);
    const path = { project_id: PROJECT };
    for (const option of [
      "baseUrl",
      "fetch",
      "querySerializer",
      "bodySerializer",
      "middleware",
      "parseAs",
    ]) {
      // What the types refuse (see credentials-origin.test.ts), refused at run time too.
      const init = { params: { path }, [option]: "https://evil.example.com" } as never;
      await expect(raw.GET("/v2/{project_id}/cloudsnapshots/detail", init)).rejects.toMatchObject({
        name: "EvsValidationError",
        field: option,
        message: `${option} is not an option of raw (allowed: params, body, headers, signal)`,
      });
    }
    expect(calls).toHaveLength(0);
  });

  it("raw takes only the spec's kind of path template: nothing that normalises or names another host", async () => {
    const { evs, calls } = client(() => json(LIST));
    const raw = rawClient(evs);
    const path = { project_id: PROJECT };
    for (const template of [
      "//evil.example.com/v2",
      "https://evil.example.com/v2",
      "/v2/../admin",
      "/v2/./{project_id}",
      "/v2/%2e%2e/x",
      "/v2/{project_id}/cloudsnapshots?x=1",
      "/v2/{project_id}/cloudsnapshots#x",
      "v2/{project_id}",
      "",
    ]) {
      // @ts-expect-error not a path of the spec
      await expect(raw.GET(template, { params: { path } })).rejects.toMatchObject({
        name: "EvsValidationError",
        field: "url",
      });
    }
    expect(calls).toHaveLength(0);
  });
});

describe("paths", () => {
  it("encodes path parameters so an id cannot change the path", async () => {
    const { evs, calls } = client(() => json({ snapshot: SNAPSHOT }));
    await evs.updateSnapshot("../volumes", { name: "n" });
    expect(new URL(calls[0]!.url).pathname).toBe(`/v2/${PROJECT}/cloudsnapshots/..%2Fvolumes`);
    await evs.updateSnapshot("a/b?c#d", { name: "n" });
    expect(new URL(calls[1]!.url).pathname).toBe(`/v2/${PROJECT}/cloudsnapshots/a%2Fb%3Fc%23d`);
  });

  it("uses the compatible family's paths", async () => {
    const { evs, calls } = client(() => json({ snapshot: SNAPSHOT }, 202), {
      family: "snapshots",
    } as never);
    await evs.createSnapshot({ volume_id: "v" });
    expect(calls[0]!.url).toBe(`${ENDPOINT}/v2/${PROJECT}/snapshots`);
  });

  it("serializes queries with %20 and repeated ids", async () => {
    const { evs, calls } = client(() => json(LIST));
    await evs.listSnapshots({ name: "a b+c", id: ["x", "y"], limit: 5 });
    expect(calls[0]!.url).toBe(
      `${ENDPOINT}/v2/${PROJECT}/cloudsnapshots/detail?name=a%20b%2Bc&id=x&id=y&limit=5`,
    );
  });

  it("keeps an endpoint path prefix", async () => {
    const { evs, calls } = client(() => json(LIST), { endpoint: "https://proxy.example.com/evs/" });
    await evs.listSnapshots();
    expect(calls[0]!.url).toBe(`https://proxy.example.com/evs/v2/${PROJECT}/cloudsnapshots/detail`);
  });
});
