/**
 * The real SDK worker and client against the real hub on loopback: orchestration behaviour.
 * One hub and one worker for the whole file; every test uses its own instance ids.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { OrchestrationStatus, terminateOptions, whenAll, whenAny, type ActivityContext, type OrchestrationContext, type TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { startTestHub, type TestHub } from "../helpers/hub.js";
import { eventually } from "./wait.js";

let t: TestHub;
let client: TaskHubGrpcClient;
const calls = new Map<string, number>();

const echo = async (_ctx: ActivityContext, input: string) => {
  calls.set(input, (calls.get(input) ?? 0) + 1);
  return `echo:${input}`;
};
const double = async (_ctx: ActivityContext, n: number) => n * 2;
const boom = async (_ctx: ActivityContext, message: string) => {
  throw new Error(message);
};

const empty = async function* (): AsyncGenerator<any, string, any> {
  return "nothing to do";
};

const sequence = async function* (ctx: OrchestrationContext, input: string[]): AsyncGenerator<any, string[], any> {
  const out: string[] = [];
  for (const item of input) out.push(yield ctx.callActivity(echo, item));
  return out;
};

const fanOut = async function* (ctx: OrchestrationContext, n: number): AsyncGenerator<any, number, any> {
  const tasks = [];
  for (let i = 1; i <= n; i++) tasks.push(ctx.callActivity(double, i));
  const results: number[] = yield whenAll(tasks);
  return results.reduce((a, b) => a + b, 0);
};

const sleeper = async function* (ctx: OrchestrationContext, seconds: number): AsyncGenerator<any, object, any> {
  const before = ctx.currentUtcDateTime.getTime();
  yield ctx.createTimer(seconds);
  const after = ctx.currentUtcDateTime.getTime();
  return { before, after };
};

const timerOrEvent = async function* (ctx: OrchestrationContext, seconds: number): AsyncGenerator<any, string, any> {
  const timer = ctx.createTimer(seconds);
  const approval = ctx.waitForExternalEvent("approve");
  const winner = yield whenAny([timer, approval]);
  return winner === approval ? `approved:${JSON.stringify(approval.getResult())}` : "timed out";
};

const failing = async function* (ctx: OrchestrationContext): AsyncGenerator<any, void, any> {
  yield ctx.callActivity(boom, "the check exploded");
};

const waiter = async function* (ctx: OrchestrationContext): AsyncGenerator<any, unknown, any> {
  ctx.setCustomStatus("waiting");
  const value = yield ctx.waitForExternalEvent("go");
  ctx.setCustomStatus("got it");
  return value;
};

const counter = async function* (ctx: OrchestrationContext, n: number): AsyncGenerator<any, number | undefined, any> {
  if (n < 20) {
    yield ctx.createTimer(0);
    ctx.continueAsNew(n + 1, false);
    return undefined;
  }
  return n;
};

const child = async function* (ctx: OrchestrationContext, input: string): AsyncGenerator<any, string, any> {
  if (input === "sleep") {
    yield ctx.createTimer(3600);
    return "woke";
  }
  const v: string = yield ctx.callActivity(echo, `child-${input}`);
  return `child(${v})`;
};

const parent = async function* (ctx: OrchestrationContext, input: string): AsyncGenerator<any, string, any> {
  const r: string = yield ctx.callSubOrchestrator(child, input, { instanceId: `${ctx.instanceId}-child` });
  return `parent(${r})`;
};

const sender = async function* (ctx: OrchestrationContext, target: string): AsyncGenerator<any, string, any> {
  ctx.sendEvent(target, "go", "from-sender");
  return "sent";
};

/** Continues as new once, keeping the events that arrived meanwhile (saveEvents), then returns the first event. */
const keeper = async function* (ctx: OrchestrationContext, generation: number): AsyncGenerator<any, unknown, any> {
  if (generation === 0) {
    yield ctx.createTimer(1); // events raised now arrive while this execution is not listening for them
    ctx.continueAsNew(1, true);
    return undefined;
  }
  return yield ctx.waitForExternalEvent("kept");
};

const progress = async function* (ctx: OrchestrationContext): AsyncGenerator<any, string, any> {
  for (let i = 1; i <= 3; i++) {
    ctx.setCustomStatus({ step: i });
    yield ctx.waitForExternalEvent("next");
  }
  return "done";
};

beforeAll(async () => {
  t = await startTestHub({ token: "test-token" });
  const worker = t.createWorker();
  for (const o of [empty, sequence, fanOut, sleeper, timerOrEvent, failing, waiter, counter, child, parent, progress, sender, keeper]) worker.addOrchestrator(o);
  for (const a of [echo, double, boom]) worker.addActivity(a);
  await worker.start();
  client = t.createClient();
});

afterAll(async () => {
  await t?.stop();
});

async function complete(id: string) {
  const state = await client.waitForOrchestrationCompletion(id, true, 30);
  expect(state).toBeDefined();
  return state!;
}

describe("orchestrations on the local hub", () => {
  test("an empty orchestration completes with its output", async () => {
    const id = await client.scheduleNewOrchestration(empty, undefined, "empty-1");
    expect(id).toBe("empty-1");
    const state = await complete(id);
    expect(state.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    expect(state.serializedOutput).toBe(JSON.stringify("nothing to do"));
  });

  test("an activity sequence runs in order, each step once", async () => {
    const items = ["seq-a", "seq-b", "seq-c"];
    const state = await complete(await client.scheduleNewOrchestration(sequence, items));
    expect(JSON.parse(state.serializedOutput!)).toEqual(items.map((i) => `echo:${i}`));
    for (const i of items) expect(calls.get(i)).toBe(1);
  });

  test("fan-out/fan-in of 50 activities", async () => {
    const state = await complete(await client.scheduleNewOrchestration(fanOut, 50));
    expect(JSON.parse(state.serializedOutput!)).toBe(50 * 51);
  });

  test("a durable timer fires on time and currentUtcDateTime follows the hub clock", async () => {
    const started = Date.now();
    const state = await complete(await client.scheduleNewOrchestration(sleeper, 0.5));
    const { before, after } = JSON.parse(state.serializedOutput!) as { before: number; after: number };
    expect(after - before).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(before).toBeGreaterThanOrEqual(started - 1000);
  });

  test("whenAny: the event wins over a long timer", async () => {
    const id = await client.scheduleNewOrchestration(timerOrEvent, 3600);
    await client.waitForOrchestrationStart(id, false, 20);
    await client.raiseOrchestrationEvent(id, "approve", { by: "ops" });
    const state = await complete(id);
    expect(JSON.parse(state.serializedOutput!)).toBe('approved:{"by":"ops"}');
  });

  test("whenAny: the timer wins when no event comes", async () => {
    const state = await complete(await client.scheduleNewOrchestration(timerOrEvent, 0.3));
    expect(JSON.parse(state.serializedOutput!)).toBe("timed out");
  });

  test("an activity that throws fails the orchestration with its failure details", async () => {
    const state = await complete(await client.scheduleNewOrchestration(failing));
    expect(state.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(state.failureDetails?.message).toContain("the check exploded");
    expect(state.failureDetails?.errorType).toBeTruthy();
  });

  test("suspend, an event raised while suspended waits, resume delivers it", async () => {
    const id = await client.scheduleNewOrchestration(waiter);
    await eventually("waiting status", async () => (await client.getOrchestrationState(id))?.serializedCustomStatus === JSON.stringify("waiting"));
    await client.suspendOrchestration(id);
    await eventually("suspended", async () => (await client.getOrchestrationState(id))?.runtimeStatus === OrchestrationStatus.SUSPENDED);
    await client.raiseOrchestrationEvent(id, "go", 42);
    // The event is recorded but not acted on while suspended.
    await eventually("event recorded", async () => (await client.getOrchestrationHistory(id)).some((e) => e.type === "EventRaised"));
    const suspended = await client.getOrchestrationState(id);
    expect(suspended?.runtimeStatus).toBe(OrchestrationStatus.SUSPENDED);
    expect(suspended?.serializedCustomStatus).toBe(JSON.stringify("waiting"));
    await client.resumeOrchestration(id);
    const state = await complete(id);
    expect(state.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    expect(JSON.parse(state.serializedOutput!)).toBe(42);
    expect(state.serializedCustomStatus).toBe(JSON.stringify("got it"));
  });

  test("terminate a running (waiting) instance and a sleeping one, with output", async () => {
    const running = await client.scheduleNewOrchestration(waiter);
    const sleeping = await client.scheduleNewOrchestration(sleeper, 3600);
    await client.waitForOrchestrationStart(running, false, 20);
    await eventually("timer created", async () => (await client.getOrchestrationHistory(sleeping)).some((e) => e.type === "TimerCreated"));
    await client.terminateOrchestration(running, "stopped by test");
    await client.terminateOrchestration(sleeping, { why: "no longer needed" });
    const a = await complete(running);
    const b = await complete(sleeping);
    expect(a.runtimeStatus).toBe(OrchestrationStatus.TERMINATED);
    expect(JSON.parse(a.serializedOutput!)).toBe("stopped by test");
    expect(b.runtimeStatus).toBe(OrchestrationStatus.TERMINATED);
    expect(JSON.parse(b.serializedOutput!)).toEqual({ why: "no longer needed" });
  });

  test("continue-as-new 20 times keeps the counter", async () => {
    const id = await client.scheduleNewOrchestration(counter, 0);
    const state = await complete(id);
    expect(state.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    expect(JSON.parse(state.serializedOutput!)).toBe(20);
    const history = await client.getOrchestrationHistory(id);
    // Only the last execution's history is kept.
    expect(history.filter((e) => e.type === "ExecutionStarted")).toHaveLength(1);
  });

  test("an orchestration sends an event to another instance", async () => {
    const target = await client.scheduleNewOrchestration(waiter);
    await client.waitForOrchestrationStart(target, false, 20);
    expect((await complete(await client.scheduleNewOrchestration(sender, target))).serializedOutput).toBe(JSON.stringify("sent"));
    const state = await complete(target);
    expect(JSON.parse(state.serializedOutput!)).toBe("from-sender");
    expect((await client.getOrchestrationHistory(target)).some((e) => e.type === "EventRaised")).toBe(true);
  });

  test("continue-as-new carries over events that arrived before it (saveEvents)", async () => {
    const id = await client.scheduleNewOrchestration(keeper, 0);
    await client.waitForOrchestrationStart(id, false, 20);
    await client.raiseOrchestrationEvent(id, "kept", "survived");
    // The first execution (the one with the timer) received it...
    await eventually("event delivered to the first execution", async () => {
      const types = (await client.getOrchestrationHistory(id)).map((e) => String(e.type));
      return types.includes("TimerCreated") && types.includes("EventRaised");
    });
    // ...and the second one, started by continue-as-new, still gets it.
    const state = await complete(id);
    expect(JSON.parse(state.serializedOutput!)).toBe("survived");
  });

  test("a sub-orchestration returns its result to the parent", async () => {
    const state = await complete(await client.scheduleNewOrchestration(parent, "x", "parent-ok"));
    expect(JSON.parse(state.serializedOutput!)).toBe("parent(child(echo:child-x))");
    const childState = await client.getOrchestrationState("parent-ok-child");
    expect(childState?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
  });

  test("recursive terminate reaches the sub-orchestration", async () => {
    const id = await client.scheduleNewOrchestration(parent, "sleep", "parent-term");
    await eventually("child sleeping", async () => (await client.getOrchestrationHistory("parent-term-child")).some((e) => e.type === "TimerCreated"));
    await client.terminateOrchestration(id, terminateOptions({ output: "cascade", recursive: true }));
    const p = await complete(id);
    const c = await complete("parent-term-child");
    expect(p.runtimeStatus).toBe(OrchestrationStatus.TERMINATED);
    expect(c.runtimeStatus).toBe(OrchestrationStatus.TERMINATED);
    expect(JSON.parse(c.serializedOutput!)).toBe("cascade");
  });

  test("custom status is visible while the orchestration runs", async () => {
    const id = await client.scheduleNewOrchestration(progress);
    for (let step = 1; step <= 3; step++) {
      await eventually(`step ${step}`, async () => (await client.getOrchestrationState(id))?.serializedCustomStatus === JSON.stringify({ step }));
      expect((await client.getOrchestrationState(id))?.runtimeStatus).toBe(OrchestrationStatus.RUNNING);
      await client.raiseOrchestrationEvent(id, "next");
    }
    expect((await complete(id)).serializedOutput).toBe(JSON.stringify("done"));
  });

  test("a scheduled start time keeps the instance pending until then", async () => {
    const startAt = new Date(Date.now() + 1500);
    const id = await client.scheduleNewOrchestration(empty, undefined, { instanceId: "scheduled-1", startAt });
    const pending = await client.getOrchestrationState(id);
    expect(pending?.runtimeStatus).toBe(OrchestrationStatus.PENDING);
    const state = await complete(id);
    expect(state.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    const history = await client.getOrchestrationHistory(id);
    expect(history[0]!.timestamp.getTime()).toBeGreaterThanOrEqual(startAt.getTime());
  });

  test("terminating an instance that has not started yet (scheduled start) ends it at once", async () => {
    const id = await client.scheduleNewOrchestration(empty, undefined, { instanceId: "scheduled-term", startAt: new Date(Date.now() + 3_600_000) });
    await client.terminateOrchestration(id, "never mind");
    const state = await client.waitForOrchestrationCompletion(id, true, 5);
    expect(state?.runtimeStatus).toBe(OrchestrationStatus.TERMINATED);
    expect(JSON.parse(state!.serializedOutput!)).toBe("never mind");
    expect((await client.getOrchestrationHistory(id)).map((e) => e.type)).toEqual(["ExecutionTerminated", "ExecutionCompleted"]);
  });

  test("getOrchestrationHistory returns the turn structure with OrchestratorStarted per turn", async () => {
    const id = await client.scheduleNewOrchestration(sequence, ["h1", "h2"]);
    await complete(id);
    const types = (await client.getOrchestrationHistory(id)).map((e) => e.type);
    expect(types).toEqual([
      "OrchestratorStarted",
      "ExecutionStarted",
      "TaskScheduled",
      "OrchestratorStarted",
      "TaskCompleted",
      "TaskScheduled",
      "OrchestratorStarted",
      "TaskCompleted",
      "ExecutionCompleted",
    ]);
    expect(await client.getOrchestrationHistory("no-such-instance")).toEqual([]);
  });

  test("starting an id that is still running is refused", async () => {
    await client.scheduleNewOrchestration(waiter, undefined, "dup-1");
    await expect(client.scheduleNewOrchestration(waiter, undefined, "dup-1")).rejects.toThrow(/already exists/);
    await client.terminateOrchestration("dup-1", "cleanup");
    await complete("dup-1");
  });

  test("waitForOrchestrationCompletion honours its timeout while the instance keeps running", async () => {
    const id = await client.scheduleNewOrchestration(waiter);
    await expect(client.waitForOrchestrationCompletion(id, false, 1)).rejects.toThrow(/Timed out/);
    await client.terminateOrchestration(id, "cleanup");
    await complete(id);
  });
});
