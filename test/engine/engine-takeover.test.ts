import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import type { ConnectionStatus } from "../../src/engine/types.js";
import { embeddedProfile, tempDir, waitFor } from "./engine-helpers.js";

describe("embedded hub ownership", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  });

  it("a client of another owner's hub takes it over when the owner exits: watch, worker and commands carry on", async () => {
    const dir = tempDir();
    const profile = embeddedProfile(join(dir, "hub.sqlite"));
    const owner = await createEngine({ profile, withWorker: false, logFile: join(dir, "owner.log") });
    closers.push(() => owner.close());
    const client: LocalEngine = await createEngine({ profile, withWorker: true, logFile: join(dir, "client.log") });
    closers.push(() => client.close());
    expect(owner.ownsHub).toBe(true);
    expect(client.ownsHub).toBe(false);
    expect(client.connection.address).toBe(owner.connection.address);

    const statuses: ConnectionStatus[] = [];
    const stop = client.watch(
      (e) => {
        if (e.type === "connection") statuses.push(e.status);
      },
      { intervalMs: 100 },
    );
    closers.push(async () => stop());
    const first = await client.start({ kind: "simulated", target: { durationSeconds: 0.4 }, pollingIntervalSeconds: 0.2 });
    expect((await client.waitForCompletion(first, 30_000)).runtimeStatus).toBe("Completed");
    const oldAddress = client.connection.address;

    await owner.close();
    await waitFor("the client owns the hub now", () => client.ownsHub, 30_000);
    expect(client.connection.address).not.toBe(oldAddress);
    await waitFor("the worker is back", () => client.workerState() === "running", 30_000);
    await waitFor("the watcher is connected again", () => statuses.at(-1)?.state === "connected", 30_000);

    const second = await client.start({ kind: "simulated", target: { durationSeconds: 0.4 }, pollingIntervalSeconds: 0.2 });
    expect((await client.waitForCompletion(second, 30_000)).runtimeStatus).toBe("Completed");
    // The data survived the move (same database file).
    expect((await client.list()).map((s) => s.instanceId).sort()).toEqual([first, second].sort());
  });
});
