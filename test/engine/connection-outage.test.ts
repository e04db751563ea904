import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { startHub, type RunningHub } from "../../src/engine/hub/index.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import type { WorkerState } from "../../src/engine/types.js";
import { endpointProfile, tempDir, waitFor } from "./engine-helpers.js";

describe("a backend that goes away while the worker is connected", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  });

  it("the worker reports the error, keeps retrying without crashing or printing, and runs monitors once the hub is back", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "hub.sqlite");
    let hub: RunningHub = await startHub({ dbPath });
    closers.push(() => hub.stop());
    const port = hub.port;
    const workerStates: Array<{ state: WorkerState; error?: string }> = [];
    const engine: LocalEngine = await createEngine({ profile: endpointProfile(hub.address), withWorker: true, logFile: join(dir, "log.txt") });
    closers.push(() => engine.close());
    const unsubscribe = engine.watch((e) => {
      if (e.type === "worker") workerStates.push({ state: e.state, error: e.error });
    });
    closers.push(async () => unsubscribe());
    await waitFor("worker running", () => engine.workerState() === "running");

    const written: string[] = [];
    const spy = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const origOut = process.stdout.write.bind(process.stdout);
    const origErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = spy as typeof process.stdout.write;
    process.stderr.write = spy as typeof process.stderr.write;
    try {
      await hub.stop();
      await waitFor("worker error", () => workerStates.some((s) => s.state === "error"), 20_000);
      hub = await startHub({ dbPath, port });
      await waitFor("worker running again", () => engine.workerState() === "running", 45_000);
    } finally {
      process.stdout.write = origOut;
      process.stderr.write = origErr;
    }
    expect(written.join("")).toBe("");
    const id = await engine.start({ kind: "simulated", target: { durationSeconds: 0.5 }, pollingIntervalSeconds: 0.2 });
    expect((await engine.waitForCompletion(id, 30_000)).runtimeStatus).toBe("Completed");
  });
});
