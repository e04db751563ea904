import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { NotFoundError, UsageError, WaitTimeoutError } from "../../src/errors.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { MONITOR_ORCHESTRATOR } from "../../src/engine/monitor/names.js";
import { embeddedProfile, tempDir, waitFor } from "./engine-helpers.js";

describe("engine facade on the embedded hub (real worker, real hub)", () => {
  let engine: LocalEngine;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    engine = await createEngine({
      profile: embeddedProfile(join(dir, "hub.sqlite"), { pollingIntervalSeconds: 0.5 }),
      withWorker: true,
      logFile: join(dir, "log.txt"),
      verifyTimeoutMs: 5000,
    });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it("starts a monitor with the profile's defaults merged in, and waits for its output", async () => {
    expect(engine.connection.kind).toBe("embedded");
    expect(engine.ownsHub).toBe(true);
    const id = await engine.start({ kind: "simulated", target: { durationSeconds: 1.5 } });
    const done = await engine.waitForCompletion(id, 30_000);
    expect(done.runtimeStatus).toBe("Completed");
    expect(done.spec).toMatchObject({ kind: "simulated", pollingIntervalSeconds: 0.5, target: { durationSeconds: 1.5 } });
    expect(done.output).toMatchObject({ finalStatus: "Completed", jobId: done.spec!.jobId });
    expect(done.output!.checksPerformed).toBeGreaterThanOrEqual(2);
    expect(done.customStatus?.checkCount).toBe(done.output!.checksPerformed);

    const history = await engine.history(id);
    expect(history.events.find((e) => e.type === "ExecutionStarted")).toMatchObject({ name: MONITOR_ORCHESTRATOR });
    expect(history.checks.length).toBe(done.output!.checksPerformed);
    expect(history.checks.at(-1)!.result.status).toBe("Completed");
    expect(history.checks[0]!.result.status).toMatch(/Running|Queued/);
    expect(history.checks[1]!.secondsSincePrevious).toBeGreaterThan(0.3);
    expect(history.checks.every((c) => c.durationMs !== undefined && c.durationMs >= 0)).toBe(true);

    const listed = await engine.list();
    expect(listed.map((s) => s.instanceId)).toContain(id);
    expect((await engine.list({ statuses: ["Running"] })).map((s) => s.instanceId)).not.toContain(id);
  });

  it("refuses a bad spec before scheduling anything, naming the field", async () => {
    const before = (await engine.list()).length;
    await expect(engine.start({ kind: "http", target: { url: "not a url" } } as never)).rejects.toThrow(UsageError);
    await expect(engine.start({ kind: "http", target: { url: "not a url" } } as never)).rejects.toThrow(/target\.url/);
    expect((await engine.list()).length).toBe(before);
  });

  it("suspends, resumes, pokes, terminates and purges a running monitor", async () => {
    const id = await engine.start({ kind: "simulated", target: { durationSeconds: 120 }, pollingIntervalSeconds: 30, timeoutSeconds: 300 });
    await waitFor("the first check", async () => (await engine.get(id))?.customStatus?.checkCount === 1);

    await engine.suspend(id, "pause");
    await waitFor("Suspended", async () => (await engine.get(id))?.runtimeStatus === "Suspended");
    await engine.resume(id);
    await waitFor("Running again", async () => (await engine.get(id))?.runtimeStatus === "Running");

    // The monitor sleeps 30 s between checks: poll-now makes it check at once.
    await engine.pollNow(id);
    await waitFor("a second check after poll-now", async () => ((await engine.get(id))?.customStatus?.checkCount ?? 0) >= 2, 10_000);
    await engine.setInterval(id, 0.5);
    await waitFor("faster checks after set-interval", async () => ((await engine.get(id))?.customStatus?.checkCount ?? 0) >= 4, 10_000);
    await expect(engine.setInterval(id, 0)).rejects.toThrow(UsageError);
    // A monitor would ignore any other event: refused, naming the two it knows (the dashboard's e and the CLI alike).
    await expect(engine.raise(id, "poll_now")).rejects.toThrow(/does not know the event 'poll_now'; it accepts poll-now \(no data\) and set-interval/);

    await expect(engine.purge(id)).rejects.toThrow(/Running/);
    // The SDK's own timeout becomes a named error (no message matching), saying how long it waited.
    const waited = engine.waitForCompletion(id, 1000);
    await expect(waited).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(waited).rejects.toThrow(`'${id}' did not finish within 1 s`);
    await engine.terminate(id, "no longer needed");
    const ended = await waitFor("Terminated", async () => {
      const s = await engine.get(id);
      return s?.runtimeStatus === "Terminated" ? s : undefined;
    });
    expect(ended.rawOutput ?? "").toContain("no longer needed");
    await expect(engine.terminate(id)).rejects.toThrow(UsageError);
    expect(await engine.purge(id)).toBe(1);
    expect(await engine.get(id)).toBeUndefined();
  });

  it("restarts a monitor from its spec, also after continue-as-new (fresh deadline and counters)", async () => {
    // 5 s at 0.05 s intervals: well over 20 checks even on a busy machine, so the first run continues as new (twice).
    const id = await engine.start({ kind: "simulated", target: { durationSeconds: 5 }, pollingIntervalSeconds: 0.05, timeoutSeconds: 60 });
    const first = await engine.waitForCompletion(id, 60_000);
    expect(first.output!.checksPerformed).toBeGreaterThan(20);
    await expect(engine.restart(id)).resolves.toBe(id);
    await waitFor("the restarted run", async () => (await engine.get(id))?.createdAt.getTime() !== first.createdAt.getTime());
    const second = await engine.waitForCompletion(id, 60_000);
    expect(second.output).toMatchObject({ finalStatus: "Completed" });
    expect(second.output!.checksPerformed).toBeGreaterThan(20);
    expect(second.output!.monitoringDurationSeconds).toBeGreaterThan(4.5);
    // Counted from the restart, not from the first run's start (which a replayed carry would do).
    expect(second.output!.monitoringDurationSeconds).toBeLessThan((second.updatedAt.getTime() - second.createdAt.getTime()) / 1000 + 0.5);
    const running = await engine.start({ kind: "simulated", target: { durationSeconds: 120 }, timeoutSeconds: 300, pollingIntervalSeconds: 30 });
    await expect(engine.restart(running)).rejects.toThrow(UsageError);
    await engine.terminate(running);
    await waitFor("terminated", async () => (await engine.get(running))?.runtimeStatus === "Terminated");
    await engine.purge(running);
    await engine.purge(id);
  });

  it("names unknown instances", async () => {
    await expect(engine.terminate("nope")).rejects.toThrow(NotFoundError);
    await expect(engine.history("nope")).rejects.toThrow(NotFoundError);
    await expect(engine.raise("nope", "poll-now")).rejects.toThrow(/nope/);
  });

  it("purges only terminal instances by filter, and restarts one", async () => {
    const a = await engine.start({ kind: "simulated", target: { durationSeconds: 0.5 } });
    await engine.waitForCompletion(a, 30_000);
    const running = await engine.start({ kind: "simulated", target: { durationSeconds: 120 }, timeoutSeconds: 300, pollingIntervalSeconds: 30 });
    const again = await engine.restart(a, { newInstanceId: true });
    expect(again).not.toBe(a);
    await engine.waitForCompletion(again, 30_000);
    const purged = await engine.purge({ createdBefore: new Date(Date.now() + 1000) });
    expect(purged).toBeGreaterThanOrEqual(2);
    const left = await engine.list();
    expect(left.map((s) => s.instanceId)).toEqual([running]);
    await engine.terminate(running);
  });
});
