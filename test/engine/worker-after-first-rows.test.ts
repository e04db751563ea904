/**
 * The dashboard's worker starts after its first rows (createEngine's `workerAfterFirstRows`, the connection's
 * `deferWorker`): no worker before `startWorker()`, none after close; the first watch's drawn rows start it, and
 * without a watch the deadline does. Real embedded hubs, real SDK workers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { openConnection } from "../../src/engine/connection/open-connection.js";
import { createEngine } from "../../src/engine/create-engine.js";
import { silentLogger } from "../../src/logging.js";
import { embeddedProfile, tempDir, waitFor } from "./engine-helpers.js";

const quickMonitor = { kind: "simulated" as const, target: { durationSeconds: 0.3 }, pollingIntervalSeconds: 0.1, timeoutSeconds: 60 };

describe("a worker that starts after the first rows", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  });

  it("a deferred connection has no worker until startWorker(), and none once closed", async () => {
    const dir = tempDir();
    const open = () =>
      openConnection(embeddedProfile(join(dir, "hub.sqlite")), {
        logger: silentLogger,
        withWorker: true,
        deferWorker: true,
        register: (worker) => {
          worker.addNamedOrchestrator("Test.Nothing", async function* (): any {});
        },
        env: { ...process.env, DURABLE_MONITOR_TUI_DATA_DIR: dir },
      });
    const connection = await open();
    closers.push(() => connection.close());
    expect(connection.worker).toBeUndefined();
    connection.startWorker();
    expect(connection.worker).toBeDefined();
    await waitFor("the worker connected", () => connection.worker?.current().state === "running");
    await connection.close();

    const closed = await open();
    await closed.close();
    closed.startWorker();
    expect(closed.worker).toBeUndefined();
  });

  it("the first watch's drawn rows start it; without a watch, the deadline does", async () => {
    for (const watched of [true, false]) {
      const dir = tempDir();
      const engine = await createEngine({
        profile: embeddedProfile(join(dir, "hub.sqlite")),
        withWorker: true,
        workerAfterFirstRows: true,
        env: { ...process.env, DURABLE_MONITOR_TUI_DATA_DIR: dir },
        logFile: join(dir, "log.txt"),
      });
      closers.push(() => engine.close());
      const id = await engine.start(quickMonitor);
      if (watched) {
        const stop = engine.watch((event) => (event.type === "snapshots" && event.initial ? Promise.resolve() : undefined));
        closers.push(async () => stop());
      }
      expect((await engine.waitForCompletion(id, 20_000)).runtimeStatus).toBe("Completed");
    }
  });
});
