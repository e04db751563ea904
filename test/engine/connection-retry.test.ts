import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { OrchestrationStatus, type ActivityContext, type OrchestrationContext, type TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import { startHub, type RunningHub } from "../../src/engine/hub/index.js";
import { silentLogger } from "../../src/logging.js";
import { openConnection, type Connection } from "../../src/engine/connection/open-connection.js";
import { startCountingProxy, type CountingProxy } from "./counting-proxy.js";
import { endpointProfile, tempDir, waitFor } from "./engine-helpers.js";

describe("gRPC retry policy (as @microsoft/durabletask-js-azuremanaged)", () => {
  let hub: RunningHub | undefined;
  let proxy: CountingProxy | undefined;
  let conn: Connection | undefined;
  afterEach(async () => {
    await conn?.close();
    await proxy?.stop();
    await hub?.stop();
    conn = proxy = hub = undefined;
  });

  it("a completion answered UNAVAILABLE is re-sent by the channel: the result is kept and the check runs once", async () => {
    // A short lease: a dropped completion would make the hub hand the activity out again within the test.
    hub = await startHub({ dbPath: join(tempDir(), "hub.sqlite"), leaseMs: 1500 });
    proxy = await startCountingProxy(hub.address);
    let runs = 0;
    const check = async (_ctx: ActivityContext, input: number) => {
      runs++;
      return input * 2;
    };
    const orchestrator = async function* (ctx: OrchestrationContext, input: number): AsyncGenerator<unknown, number, number> {
      return yield ctx.callActivity("RetryTest.Check", input);
    };
    conn = await openConnection(endpointProfile(proxy.address), {
      logger: silentLogger,
      withWorker: true,
      register: (worker: TaskHubGrpcWorker) => {
        worker.addNamedOrchestrator("RetryTest.Orchestrator", orchestrator);
        worker.addNamedActivity("RetryTest.Check", check);
      },
    });
    await waitFor("worker running", () => conn!.worker!.current().state === "running");
    proxy.failNext("CompleteActivityTask", 3);
    proxy.failNext("CompleteOrchestratorTask", 2);

    const id = await conn.client.scheduleNewOrchestration("RetryTest.Orchestrator", 21);
    const state = await conn.client.waitForOrchestrationCompletion(id, true, 30);
    expect(state?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    expect(state?.serializedOutput).toBe("42");
    // A lost activity completion could only have been made good by a re-run after the lease: one run proves none was lost.
    expect(runs).toBe(1);
    expect(proxy.count("CompleteActivityTask")).toBe(4); // 3 refused + 1 accepted, all one call of the SDK
  }, 30_000);
});
