/**
 * The set-up: `worker` (a separate process) owns the embedded hub, a dashboard's engine with its own worker
 * is a client of it. When the `worker` process goes away, the engine takes the hub over and moves its SDK worker and
 * client to the new address: a monitor started afterwards completes, and the worker state says so.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor } from "../../src/engine/hub/endpoint-file.js";
import { binPath, cliEnv } from "../helpers/cli.js";
import { embeddedProfile, tempDir, waitFor } from "./engine-helpers.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  closers.length = 0;
});

function spawnWorker(dataDir: string): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(process.execPath, [binPath, "worker"], { env: cliEnv({ DURABLE_MONITOR_TUI_DATA_DIR: dataDir }), stdio: "ignore" });
  return { child, exited: new Promise((resolve) => child.once("exit", resolve)) };
}

describe("takeover from a `worker` process", () => {
  it.each(["SIGINT", "SIGKILL"] as const)("after %s of the owning worker, a monitor started afterwards completes within 20 s", async (signal) => {
    const data = tempDir();
    const dbPath = join(data, "hub.sqlite");
    const owner = spawnWorker(data);
    closers.push(async () => {
      owner.child.kill("SIGKILL");
      await owner.exited;
    });
    await waitFor("the worker process owns the hub", () => existsSync(endpointFileFor(dbPath)), 30_000);

    const engine = await createEngine({ profile: embeddedProfile(dbPath), withWorker: true, logFile: join(data, "engine.log") });
    closers.push(() => engine.close());
    const stopWatch = engine.watch(() => {}, { intervalMs: 200 });
    closers.push(async () => stopWatch());
    expect(engine.ownsHub).toBe(false);
    await waitFor("our worker polls the owner's hub", () => engine.workerState() === "running", 30_000);
    const before = engine.connection.address;

    owner.child.kill(signal);
    await owner.exited;
    const startedAt = Date.now();
    const id = await waitFor("a start after the takeover", () => engine.start({ kind: "simulated", target: { durationSeconds: 1 }, pollingIntervalSeconds: 1 }), 20_000);
    const done = await engine.waitForCompletion(id, Math.max(1000, 20_000 - (Date.now() - startedAt)));
    expect(done.runtimeStatus).toBe("Completed");
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect(engine.ownsHub).toBe(true);
    expect(engine.connection.address).not.toBe(before);
    expect(engine.workerState()).toBe("running");
  });
});
