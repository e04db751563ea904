import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { ConfigError } from "../../src/errors.js";
import { startHub } from "../../src/engine/hub/index.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { endpointProfile, tempDir } from "./engine-helpers.js";

/** Stands in for Entra ID: hands out a fixed token. */
const credential = (token: string): TokenCredential => ({
  async getToken(): Promise<AccessToken> {
    return { token, expiresOnTimestamp: Date.now() + 3600_000 };
  },
});

describe("connections to a hub that requires a bearer token", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  });

  it("the credential's token is accepted and the taskhub header selects an isolated hub", async () => {
    const dir = tempDir();
    const hub = await startHub({ dbPath: join(dir, "hub.sqlite"), token: "s3cret-token" });
    closers.push(() => hub.stop());
    const open = async (taskHub: string): Promise<LocalEngine> => {
      const engine = await createEngine({
        profile: endpointProfile(hub.address, taskHub, "DefaultAzure"),
        withWorker: false,
        logFile: join(dir, "log.txt"),
        verifyTimeoutMs: 5000,
        credentialFactory: () => credential("s3cret-token"),
      });
      closers.push(() => engine.close());
      return engine;
    };
    const a = await open("hub-a");
    const b = await open("hub-b");
    expect(a.connection).toMatchObject({ kind: "azure", taskHub: "hub-a" });
    const id = await a.start({ kind: "simulated", target: { durationSeconds: 5 } });
    expect((await a.list()).map((s) => s.instanceId)).toEqual([id]);
    expect(await b.list()).toEqual([]);
    expect(await b.get(id)).toBeUndefined();
  });

  it("a wrong token is refused with a ConfigError naming the endpoint", async () => {
    const dir = tempDir();
    const hub = await startHub({ dbPath: join(dir, "hub.sqlite"), token: "right" });
    closers.push(() => hub.stop());
    const attempt = createEngine({
      profile: endpointProfile(hub.address, "default", "DefaultAzure"),
      withWorker: false,
      logFile: join(dir, "log.txt"),
      verifyTimeoutMs: 5000,
      credentialFactory: () => credential("wrong"),
    });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(hub.address);
  });
});
