/**
 * A task hub's workers of two builds: a worker that continues a monitor as new after 20 checks whatever its input
 * says (as builds before the input's `checksPerExecution` did) runs an execution past the input's 10; a worker of
 * this build then takes it over. It replays that execution as it ran and continues it as new at its first new turn,
 * instead of failing it as non-deterministic. Real SDK workers and client against the real hub, on one database.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OrchestrationStatus } from "@microsoft/durabletask-js";
import { CHECKS_PER_EXECUTION } from "../../src/engine/monitor/names.js";
import { startMonitorHarness, type MonitorHarness } from "./monitor-harness.js";
import { tempDir } from "./engine-helpers.js";

const harnesses: MonitorHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.stopWorker();
    await h.close();
  }
});

describe("a monitor run by workers of two builds", () => {
  it("goes on under this build's worker after an earlier build's worker ran its execution past this build's number", async () => {
    const dbPath = join(tempDir("dmt-two-builds-"), "hub.sqlite");
    const earlier = await startMonitorHarness({ dbPath, checksPerExecution: 20 });
    harnesses.push(earlier);
    const id = await earlier.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 0.05, timeoutSeconds: 600 });
    expect(JSON.parse((await earlier.state(id))!.serializedInput!).checksPerExecution).toBe(CHECKS_PER_EXECUTION);
    // Past this build's number, still in the first execution (the earlier build goes on to 20).
    const past = CHECKS_PER_EXECUTION + 3;
    await earlier.waitForStatus(id, (s) => s.checkCount >= past, 30_000);
    await earlier.stopWorker();
    const handedOver = JSON.parse((await earlier.state(id))!.serializedInput!);
    expect(handedOver.carry).toBeUndefined(); // still the first execution
    harnesses.splice(0);
    await earlier.close();

    const current = await startMonitorHarness({ dbPath });
    harnesses.push(current);
    const later = await current.waitForStatus(id, (s) => s.checkCount >= past + 3, 30_000);
    const state = await current.state(id);
    expect(state?.runtimeStatus).toBe(OrchestrationStatus.RUNNING);
    expect(later.checkCount).toBeGreaterThanOrEqual(past + 3);
    // It continued as new once this build's worker had it, after the checks the earlier build's execution had run.
    const input = JSON.parse(state!.serializedInput!);
    expect(input.carry).toBeDefined();
    expect(input.carry.checkCount).toBeGreaterThanOrEqual(past);
  });
});
