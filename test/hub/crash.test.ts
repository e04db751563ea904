/**
 * Crash test: the hub runs in a child process on a temp database; 20 instances sleep on durable timers and 20 are
 * in the middle of an activity when the hub is SIGKILLed. A new hub on the same file and a new worker finish all
 * 40 with the right outputs, and no step whose completion the first hub acknowledged runs again.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { NoOpLogger, OrchestrationStatus, TaskHubGrpcClient, TaskHubGrpcWorker, type ActivityContext, type OrchestrationContext } from "@microsoft/durabletask-js";
import { metadataFor } from "../helpers/hub.js";
import { spawnHub, type HubProcess } from "./spawn-hub.js";
import { eventually } from "./wait.js";

const TOKEN = "crash-token";
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

test("SIGKILL of the hub loses no work and repeats no completed step", { timeout: 90_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "dmt-crash-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const db = join(dir, "hub.sqlite");
  const log = join(dir, "steps.log");
  let gateOpen = false;
  let slowStarted = 0;

  const step = async (_ctx: ActivityContext, name: string) => {
    appendFileSync(log, `${name}\n`);
    return `ok:${name}`;
  };
  const slowStep = async (_ctx: ActivityContext, name: string) => {
    appendFileSync(log, `${name}\n`);
    slowStarted++;
    while (!gateOpen) await new Promise((r) => setTimeout(r, 20));
    return `ok:${name}`;
  };
  // The timers fire at one absolute time chosen by the test, late enough that they are all still pending at the kill
  // even on a loaded machine (a relative 1.5 s timer could fire, and its step run, before the kill).
  let fireAt = 0;
  const sleepy = async function* (ctx: OrchestrationContext, input: { id: string; fireAt: number }): AsyncGenerator<any, string[], any> {
    const { id } = input;
    const a: string = yield ctx.callActivity(step, `${id}:a`);
    yield ctx.createTimer(new Date(input.fireAt));
    const b: string = yield ctx.callActivity(step, `${id}:b`);
    return [a, b];
  };
  const busy = async function* (ctx: OrchestrationContext, id: string): AsyncGenerator<any, string[], any> {
    const a: string = yield ctx.callActivity(step, `${id}:a`);
    const b: string = yield ctx.callActivity(slowStep, `${id}:slow`);
    const c: string = yield ctx.callActivity(step, `${id}:c`);
    return [a, b, c];
  };
  const connect = (hub: HubProcess) => {
    const settings = { hostAddress: hub.address, metadataGenerator: metadataFor(undefined, TOKEN), logger: new NoOpLogger() };
    const worker = new TaskHubGrpcWorker({ ...settings, shutdownTimeoutMs: 2000 });
    worker.addOrchestrator(sleepy);
    worker.addOrchestrator(busy);
    worker.addActivity(step);
    worker.addActivity(slowStep);
    const client = new TaskHubGrpcClient(settings);
    return { worker, client };
  };

  const first = await spawnHub(["--port", "0", "--db", db, "--token", TOKEN]);
  cleanups.push(async () => first.child.kill("SIGKILL"));
  const one = connect(first);
  await one.worker.start();
  const sleepyIds = Array.from({ length: 20 }, (_, i) => `sleepy-${i}`);
  const busyIds = Array.from({ length: 20 }, (_, i) => `busy-${i}`);
  // The busy instances first (the slow part of the setup), then the sleepy ones, whose timers need only be stored.
  for (const id of busyIds) await one.client.scheduleNewOrchestration(busy, id, id);
  await eventually("20 slow activities running", () => slowStarted >= 20, 30_000);
  fireAt = Date.now() + 8000;
  for (const id of sleepyIds) await one.client.scheduleNewOrchestration(sleepy, { id, fireAt }, id);
  await eventually(
    "20 timers created",
    async () => {
      const histories = await Promise.all(sleepyIds.map((id) => one.client.getOrchestrationHistory(id)));
      return histories.every((h) => h.some((e) => e.type === "TimerCreated"));
    },
    30_000,
    100,
  );
  expect(Date.now(), "the timers are still pending at the kill").toBeLessThan(fireAt - 200);
  first.child.kill("SIGKILL");
  await first.exited;

  // The old worker's in-flight activities finish against a dead hub; their results are lost (that is the point).
  gateOpen = true;
  await one.worker.stop().catch(() => {});
  await one.client.stop().catch(() => {});
  // Let the sleepy timers come due while no hub runs: they must fire at once after the restart.
  await eventually("timers due", () => Date.now() > fireAt + 100, 10_000, 50);

  const second = await spawnHub(["--port", "0", "--db", db, "--token", TOKEN]);
  cleanups.push(async () => second.child.kill("SIGKILL"));
  const two = connect(second);
  await two.worker.start();
  cleanups.push(() => two.worker.stop());
  cleanups.push(() => two.client.stop());

  for (const id of sleepyIds) {
    const state = await two.client.waitForOrchestrationCompletion(id, true, 60);
    expect(state?.runtimeStatus, id).toBe(OrchestrationStatus.COMPLETED);
    expect(JSON.parse(state!.serializedOutput!)).toEqual([`ok:${id}:a`, `ok:${id}:b`]);
  }
  for (const id of busyIds) {
    const state = await two.client.waitForOrchestrationCompletion(id, true, 60);
    expect(state?.runtimeStatus, id).toBe(OrchestrationStatus.COMPLETED);
    expect(JSON.parse(state!.serializedOutput!)).toEqual([`ok:${id}:a`, `ok:${id}:slow`, `ok:${id}:c`]);
  }

  expect(existsSync(log)).toBe(true);
  const counts = new Map<string, number>();
  for (const line of readFileSync(log, "utf8").split("\n").filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
  for (const id of sleepyIds) {
    expect(counts.get(`${id}:a`), `${id}:a`).toBe(1); // completed before the crash: never again
    expect(counts.get(`${id}:b`), `${id}:b`).toBe(1);
  }
  for (const id of busyIds) {
    expect(counts.get(`${id}:a`), `${id}:a`).toBe(1);
    expect(counts.get(`${id}:slow`), `${id}:slow`).toBe(2); // interrupted by the crash: run again (at least once)
    expect(counts.get(`${id}:c`), `${id}:c`).toBe(1);
  }
});
