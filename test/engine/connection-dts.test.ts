import { afterEach, describe, expect, it } from "vitest";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { BackendUnreachableError, ConfigError } from "../../src/errors.js";
import { silentLogger } from "../../src/logging.js";
import type { ResolvedProfile } from "../../src/engine/profile.js";
import { openConnection, type Connection } from "../../src/engine/connection/open-connection.js";
import { AccessTokenCache } from "../../src/engine/connection/access-token-cache.js";
import type { WorkerStatus } from "../../src/engine/connection/worker-supervisor.js";
import { startFakeSidecar, type FakeSidecar } from "./connection-fake-sidecar.js";

/** A test credential (the outside world: Entra ID) that hands out numbered tokens. */
class CountingCredential implements TokenCredential {
  requests: string[][] = [];
  constructor(private readonly lifetimeMs = 60 * 60 * 1000) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.requests.push([scopes].flat());
    return { token: `tok-${this.requests.length}`, expiresOnTimestamp: Date.now() + this.lifetimeMs };
  }
}

function dtsProfile(port: number, authentication: "None" | "DefaultAzure", taskHub = "hub-a"): ResolvedProfile {
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    name: "test",
    connection: {
      type: "dts",
      connectionString: `Endpoint=${endpoint};Authentication=${authentication};TaskHub=${taskHub}`,
      parsed: { endpoint, authentication, taskHub },
    },
    taskHub,
    defaults: {},
    presets: {},
    source: "builtin",
  };
}

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("DTS connections", () => {
  let sidecar: FakeSidecar | undefined;
  let conn: Connection | undefined;
  afterEach(async () => {
    await conn?.close();
    await sidecar?.stop();
    conn = sidecar = undefined;
  });

  it("sends the taskhub header and a cached bearer token from the credential on every call", async () => {
    sidecar = await startFakeSidecar();
    const credential = new CountingCredential();
    conn = await openConnection(dtsProfile(sidecar.port, "DefaultAzure"), {
      logger: silentLogger,
      withWorker: false,
      credentialFactory: () => credential,
    });
    expect(conn.info).toMatchObject({ kind: "azure", taskHub: "hub-a", address: `127.0.0.1:${sidecar.port}` });
    await conn.probe(5000);
    expect(await conn.client.getOrchestrationState("nope")).toBeUndefined();
    expect(await conn.client.getOrchestrationState("nope2")).toBeUndefined();
    expect(sidecar.calls.map((c) => c.method)).toEqual(["Hello", "GetInstance", "GetInstance"]);
    for (const call of sidecar.calls) {
      expect(call.headers.taskhub).toBe("hub-a");
      expect(call.headers.authorization).toBe("Bearer tok-1");
    }
    expect(credential.requests).toEqual([["https://durabletask.io/.default"]]);
  });

  it("sends no token with Authentication=None (the emulator)", async () => {
    sidecar = await startFakeSidecar();
    conn = await openConnection(dtsProfile(sidecar.port, "None", "emu"), { logger: silentLogger, withWorker: false });
    expect(conn.info.kind).toBe("emulator");
    await conn.probe(5000);
    expect(sidecar.calls[0]!.headers.taskhub).toBe("emu");
    expect(sidecar.calls[0]!.headers.authorization).toBeUndefined();
  });

  it("the worker carries the same headers plus a worker id", async () => {
    sidecar = await startFakeSidecar();
    const credential = new CountingCredential();
    conn = await openConnection(dtsProfile(sidecar.port, "DefaultAzure"), {
      logger: silentLogger,
      withWorker: true,
      register: () => {},
      credentialFactory: () => credential,
    });
    await waitFor("the work-item stream", () => sidecar!.calls.find((c) => c.method === "GetWorkItems"));
    await waitFor("worker running", () => conn!.worker!.current().state === "running");
    for (const call of sidecar.calls) {
      expect(call.headers.taskhub).toBe("hub-a");
      expect(call.headers.authorization).toMatch(/^Bearer tok-\d$/);
      expect(call.headers.workerid).toMatch(/,\d+,[0-9a-f]{32}$/);
    }
  });

  it("refused credentials are a ConfigError naming the endpoint", async () => {
    sidecar = await startFakeSidecar();
    sidecar.failWith = 16;
    conn = await openConnection(dtsProfile(sidecar.port, "DefaultAzure"), {
      logger: silentLogger,
      withWorker: false,
      credentialFactory: () => new CountingCredential(),
    });
    await expect(conn.probe(5000)).rejects.toThrow(ConfigError);
    await expect(conn.probe(5000)).rejects.toThrow(`127.0.0.1:${sidecar.port}`);
  });

  it("a credential that cannot produce a token is a ConfigError carrying its message", async () => {
    sidecar = await startFakeSidecar();
    conn = await openConnection(dtsProfile(sidecar.port, "DefaultAzure"), {
      logger: silentLogger,
      withWorker: false,
      credentialFactory: () => ({
        async getToken() {
          throw new Error("Please run 'az login' to set up an account");
        },
      }),
    });
    const err = await conn.probe(5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/az login/);
    expect(sidecar.calls).toEqual([]);
  });

  it("an unreachable endpoint fails the probe fast; the worker retries with backoff until the backend appears", async () => {
    const probe = await startFakeSidecar();
    const port = probe.port;
    await probe.stop(); // the port is now (very likely) free and refusing
    const statuses: WorkerStatus[] = [];
    conn = await openConnection(dtsProfile(port, "None"), {
      logger: silentLogger,
      withWorker: true,
      register: () => {},
      onWorkerStatus: (s) => statuses.push(s),
    });
    const started = Date.now();
    const err = await conn.probe(3000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnreachableError);
    expect(String((err as Error).message)).toContain(`http://127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(3500);
    const failed = await waitFor("a worker error with a retry time", () => statuses.find((s) => s.state === "error"));
    expect(failed.nextRetryAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(failed.error).toMatch(/UNAVAILABLE/);
    sidecar = await startFakeSidecar(port);
    await waitFor("worker running after the backend came up", () => conn!.worker!.current().state === "running", 30_000);
  });
});

describe("AccessTokenCache", () => {
  it("reuses a token until the refresh margin, then fetches once for concurrent callers", async () => {
    let now = 1_000_000;
    const credential: TokenCredential & { n: number } = {
      n: 0,
      async getToken() {
        this.n++;
        return { token: `t${this.n}`, expiresOnTimestamp: now + 10 * 60_000 };
      },
    };
    const cache = new AccessTokenCache(credential, "s/.default", 5 * 60_000, () => now);
    expect((await cache.getToken()).token).toBe("t1");
    now += 4 * 60_000;
    expect((await cache.getToken()).token).toBe("t1");
    now += 2 * 60_000; // within 5 minutes of expiry
    const [a, b] = await Promise.all([cache.getToken(), cache.getToken()]);
    expect([a.token, b.token]).toEqual(["t2", "t2"]);
    expect(credential.n).toBe(2);
  });
});

