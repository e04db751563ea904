/**
 * `list` without --json asks for the table only (ListOptions.tableOnly): our monitors' rows come from their custom
 * status, which tells job, kind and — once finished — the final status, so no payload is fetched for them. The real
 * monitor orchestration on the real hub publishes what the table needs; a fresh engine (as a command opens it) lists
 * the same statuses and the same table with and without the fetches.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { displayStatusOf } from "../../src/engine/display-status.js";
import { monitorTable } from "../../src/cli/monitor-text.js";
import type { MonitorSnapshot } from "../../src/engine/types.js";
import { PayloadFiller } from "../../src/engine/payloads.js";
import { SpecCache } from "../../src/engine/snapshot.js";
import { OrchestrationStatusCode, type InstanceState } from "../../src/engine/instance-client.js";
import { MONITOR_ORCHESTRATOR } from "../../src/engine/monitor/names.js";
import { embeddedProfile, tempDir, waitFor } from "./engine-helpers.js";

describe("a table-only list on the embedded hub (real worker, real hub)", () => {
  const dir = tempDir();
  const profile = embeddedProfile(join(dir, "hub.sqlite"));
  let owner: LocalEngine;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    owner = await createEngine({ profile, withWorker: true, logFile: join(dir, "log.txt"), verifyTimeoutMs: 5000 });
    ids.completed = await owner.start({ kind: "simulated", target: { durationSeconds: 0.1 }, pollingIntervalSeconds: 0.05, timeoutSeconds: 30 });
    ids.failed = await owner.start({ kind: "simulated", target: { durationSeconds: 10, failAtPercent: 1 }, pollingIntervalSeconds: 0.2, timeoutSeconds: 30 });
    ids.timedOut = await owner.start({ kind: "simulated", target: { durationSeconds: 3600 }, pollingIntervalSeconds: 0.1, timeoutSeconds: 0.3 });
    ids.running = await owner.start({ kind: "simulated", target: { durationSeconds: 3600 }, pollingIntervalSeconds: 60, timeoutSeconds: 7200 });
    for (const id of [ids.completed!, ids.failed!, ids.timedOut!]) await owner.waitForCompletion(id, 30_000);
    await waitFor("the running monitor's first check", async () => (await owner.get(ids.running!))?.customStatus?.checkCount);
  });
  afterAll(async () => {
    await owner?.close();
  });

  /** Each listed monitor of this test by name, listed by a fresh engine (its caches know no spec or output yet). */
  async function listFresh(tableOnly: boolean): Promise<Record<string, MonitorSnapshot>> {
    const fresh = await createEngine({ profile, withWorker: false, logFile: join(dir, "log.txt") });
    try {
      const listed = await fresh.list(undefined, { tableOnly });
      return Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, listed.find((s) => s.instanceId === id)!]));
    } finally {
      await fresh.close();
    }
  }

  it("shows the same statuses and table without fetching our monitors' specs and outputs", async () => {
    const [table, full] = [await listFresh(true), await listFresh(false)];
    const statuses = (rows: Record<string, MonitorSnapshot>) => Object.fromEntries(Object.entries(rows).map(([name, s]) => [name, displayStatusOf(s)]));
    expect(statuses(table)).toEqual({ completed: "Completed", failed: "Failed", timedOut: "TimedOut", running: "Running" });
    expect(statuses(full)).toEqual(statuses(table));
    for (const s of Object.values(table)) expect({ spec: s.spec, output: s.output }).toEqual({ spec: undefined, output: undefined });
    for (const s of Object.values(full)) expect(s.spec?.kind).toBe("simulated");
    expect(full.timedOut!.output?.finalStatus).toBe("Timeout");
    const rows = (r: Record<string, MonitorSnapshot>) => monitorTable(Object.values(r), 0);
    expect(await rows(table)).toEqual(await rows(full));
    expect(await rows(table)).toContain(`${MONITOR_ORCHESTRATOR} (simulated)`);
  });
});

describe("what a table-only row of ours still fetches", () => {
  const state = (runtimeStatus: number, customStatus?: object): InstanceState => ({
    instanceId: "i",
    name: MONITOR_ORCHESTRATOR,
    runtimeStatus,
    createdAt: new Date(0),
    lastUpdatedAt: new Date(0),
    ...(customStatus ? { serializedCustomStatus: JSON.stringify(customStatus) } : {}),
  });
  const filler = new PayloadFiller(async () => undefined, new SpecCache());
  const ours = { jobId: "j", kind: "simulated", status: "Running", checkCount: 3 };

  it("the output of a completed monitor whose custom status has no final status (one finished by an earlier release)", () => {
    expect(filler.needs(state(OrchestrationStatusCode.COMPLETED, ours), true)).toEqual({ input: false, output: true });
    expect(filler.needs(state(OrchestrationStatusCode.COMPLETED, { ...ours, finalStatus: "Timeout" }), true)).toEqual({ input: false, output: false });
  });

  it("nothing for a failed or terminated one (the runtime status says it), the spec of one without a custom status yet", () => {
    expect(filler.needs(state(OrchestrationStatusCode.FAILED, ours), true)).toEqual({ input: false, output: false });
    expect(filler.needs(state(OrchestrationStatusCode.TERMINATED, ours), true)).toEqual({ input: false, output: false });
    expect(filler.needs(state(OrchestrationStatusCode.PENDING), true)).toEqual({ input: true, output: false });
    // Without tableOnly (the dashboard, list --json), the spec and the final output as before.
    expect(filler.needs(state(OrchestrationStatusCode.COMPLETED, { ...ours, finalStatus: "Timeout" }))).toEqual({ input: true, output: true });
  });
});
