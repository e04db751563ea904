/**
 * The monitor loop through the real worker and client on the hub: backoff, Retry-After, poking a sleeping monitor,
 * continue-as-new, the deadline, consecutive failures and alert delivery.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrchestrationStatus } from "@microsoft/durabletask-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKS_PER_EXECUTION, EVENT_POLL_NOW, EVENT_SET_INTERVAL, MONITOR_ACTIVITY_NAMES } from "../../src/engine/monitor/names.js";
import { prepareMonitorInput } from "../../src/engine/monitor/input.js";
import { deadUrl, sendJson, startFakeServer, type FakeServer, type RecordedRequest } from "./fake-http-server.js";
import { customStatusOf, outputOf, poll, startMonitorHarness, type MonitorHarness } from "./monitor-harness.js";

let h: MonitorHarness;
let api: FakeServer;
const routes = new Map<string, (n: number) => { status: number; body?: unknown; headers?: Record<string, string> }>();
const hitsOf = (path: string): RecordedRequest[] => api.requests.filter((r) => r.path === path);

beforeAll(async () => {
  api = await startFakeServer((req, res) => {
    const route = routes.get(req.path);
    if (!route) return sendJson(res, 404, { error: `no route ${req.path}` });
    const { status, body, headers } = route(hitsOf(req.path).length);
    sendJson(res, status, body, headers);
  });
  h = await startMonitorHarness();
});
afterAll(async () => {
  await h?.close();
  await api?.close();
});

const gaps = (reqs: RecordedRequest[]) => reqs.slice(1).map((r, i) => (r.at - reqs[i].at) / 1000);

describe("waiting between checks", () => {
  it("grows the interval by the backoff multiplier up to its cap", async () => {
    routes.set("/b/status", (n) => ({ status: 200, body: { status: n >= 5 ? "Done" : "Running" } }));
    const id = await h.start({
      kind: "http",
      target: { url: `${api.url}/b/status` },
      pollingIntervalSeconds: 0.1,
      timeoutSeconds: 20,
      backoff: { multiplier: 2, maxIntervalSeconds: 0.4 },
    });
    const end = await h.waitForEnd(id);
    expect(outputOf(end).finalStatus).toBe("Completed");
    // The waits as scheduled (timer fireAt minus the turn's time: exact, whatever the machine's load) ...
    expect(await h.scheduledWaits(id)).toEqual([0.1, 0.2, 0.4, 0.4]);
    // ... and as the API saw them: never early (a busy machine may be late).
    const seen = gaps(hitsOf("/b/status"));
    expect(seen).toHaveLength(4);
    [0.1, 0.2, 0.4, 0.4].forEach((want, i) => expect(seen[i]).toBeGreaterThanOrEqual(want - 0.02));
  });

  it("honours Retry-After for the next wait only", async () => {
    routes.set("/r/status", (n) =>
      n === 1 ? { status: 200, body: { status: "Running" }, headers: { "retry-after": "1" } } : { status: 200, body: { status: n >= 3 ? "Done" : "Running" } },
    );
    const id = await h.start({ kind: "http", target: { url: `${api.url}/r/status` }, pollingIntervalSeconds: 0.05, timeoutSeconds: 20 });
    const first = await h.waitForStatus(id, (s) => s.checkCount === 1);
    expect(Date.parse(first.nextCheckAt!) - Date.parse(first.lastCheckTime)).toBe(1000);
    await h.waitForEnd(id);
    const seen = gaps(hitsOf("/r/status"));
    expect(seen[0]).toBeGreaterThanOrEqual(0.98);
    expect(seen[1]).toBeLessThan(seen[0]);
  });
});

describe("poking a sleeping monitor", () => {
  it("poll-now makes it check at once", async () => {
    const id = await h.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 60, timeoutSeconds: 120 });
    const first = await h.waitForStatus(id, (s) => s.checkCount === 1);
    expect(Date.parse(first.nextCheckAt!) - Date.parse(first.lastCheckTime)).toBe(60_000);
    const raisedAt = Date.now();
    await h.raise(id, EVENT_POLL_NOW);
    await h.waitForStatus(id, (s) => s.checkCount === 2, 10_000);
    expect(Date.now() - raisedAt).toBeLessThan(10_000);
    await h.raise(id, EVENT_POLL_NOW);
    const third = await h.waitForStatus(id, (s) => s.checkCount === 3, 10_000);
    expect(third.intervalSeconds).toBe(60);
  });

  it("many poll-now requests that wait for the worker are one or two checks, not one each", async () => {
    const id = await h.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 4, timeoutSeconds: 4 });
    await h.waitForStatus(id, (s) => s.checkCount === 1);
    await h.stopWorker();
    for (let i = 0; i < 50; i++) await h.raise(id, EVENT_POLL_NOW);
    await h.startWorker();
    // It ends at its deadline: the checks it made meanwhile are the pokes' (one each without coalescing: 52).
    const end = await h.waitForEnd(id, 60_000);
    expect(outputOf(end).checksPerformed).toBeGreaterThanOrEqual(2);
    expect(outputOf(end).checksPerformed).toBeLessThanOrEqual(5);
  });

  it("set-interval restarts the wait from now with the new interval", async () => {
    const id = await h.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 60, timeoutSeconds: 120 });
    await h.waitForStatus(id, (s) => s.checkCount === 1);
    await h.raise(id, EVENT_SET_INTERVAL, 0.1);
    const rescheduled = await h.waitForStatus(id, (s) => s.intervalSeconds === 0.1, 10_000);
    expect(Date.parse(rescheduled.nextCheckAt!)).toBeLessThan(Date.parse(rescheduled.lastCheckTime) + 60_000);
    const later = await h.waitForStatus(id, (s) => s.checkCount >= 4, 10_000);
    expect(later.intervalSeconds).toBe(0.1);
    // Bad data is ignored: the monitor goes on with its interval.
    await h.raise(id, EVENT_SET_INTERVAL, "soon");
    await h.raise(id, EVENT_SET_INTERVAL, { seconds: 30 });
    const slowed = await h.waitForStatus(id, (s) => s.intervalSeconds === 30, 10_000);
    expect(slowed.consecutiveFailures).toBe(0);
  });
});

describe("continue-as-new", () => {
  it("keeps the counters, the recent points, the original deadline and the run it was restarted from across executions", async () => {
    const spec = { kind: "simulated", jobId: "can", target: { durationSeconds: 600 }, pollingIntervalSeconds: 0.02, timeoutSeconds: 600 } as const;
    const id = await h.start(spec, "the-old-run");
    const first = await h.waitForStatus(id, (s) => s.checkCount >= 1);
    const past = await h.waitForStatus(id, (s) => s.checkCount >= 45, 40_000);
    expect(past.deadline).toBe(first.deadline);
    expect(past.recent).toHaveLength(20);
    expect(past.jobId).toBe("can");
    // The instance's input now carries the counters: it continued as new.
    const state = await h.state(id);
    const input = JSON.parse(state!.serializedInput!);
    expect(input.checksPerExecution).toBe(CHECKS_PER_EXECUTION);
    expect(input.carry.checkCount).toBe(CHECKS_PER_EXECUTION * (input.carry.executions + 1));
    expect(input.carry.deadline).toBe(first.deadline);
    expect(input.carry.executions).toBeGreaterThanOrEqual(1);
    expect(input.restartedFrom).toBe("the-old-run");
    // An event raised around a restart is not lost.
    await h.raise(id, EVENT_SET_INTERVAL, 30);
    await h.waitForStatus(id, (s) => s.intervalSeconds === 30, 10_000);
  });

  it("a monitor started by an earlier build (its input names no number) still continues as new every 20 checks", async () => {
    // An execution of it past ten checks must replay as it ran: continuing as new at ten would fail it as non-deterministic.
    const { spec } = prepareMonitorInput({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 0.02, timeoutSeconds: 600 });
    const id = await h.startRaw({ spec });
    await h.waitForStatus(id, (s) => s.checkCount >= 22, 40_000);
    const state = await h.state(id);
    expect(state?.runtimeStatus).toBe(OrchestrationStatus.RUNNING);
    const input = JSON.parse(state!.serializedInput!);
    expect(input).not.toHaveProperty("checksPerExecution");
    // The carry is written when an execution continues as new: 20 checks for each execution so far.
    expect(input.carry.checkCount).toBe(20 * (input.carry.executions + 1));
  });

  it("does not lose set-interval events raised right at an execution's boundary", async () => {
    const ids = await Promise.all(
      [0, 1, 2].map(() => h.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 0.03, timeoutSeconds: 600 })),
    );
    await Promise.all(
      ids.map(async (id, i) => {
        await h.waitForStatus(id, (s) => s.checkCount >= 2 * CHECKS_PER_EXECUTION - 2 + i, 30_000);
        await h.raise(id, EVENT_SET_INTERVAL, 45);
        await h.waitForStatus(id, (s) => s.intervalSeconds === 45, 10_000);
      }),
    );
  });
});

describe("events around continue-as-new", () => {
  it("keeps a set-interval delivered together with the timer that ends an execution (continueAsNew saveEvents)", async () => {
    const id = await h.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 0.05, timeoutSeconds: 600 });
    const last = 2 * CHECKS_PER_EXECUTION; // the second execution's last check
    await h.waitForStatus(id, (s) => s.checkCount >= last - 3);
    await h.raise(id, EVENT_SET_INTERVAL, 1);
    // The last check's wait ends the execution: with no worker, its timer and the next event reach the hub together.
    const atBoundary = await h.waitForStatus(id, (s) => s.checkCount === last && s.intervalSeconds === 1, 15_000);
    await h.stopWorker();
    await poll("the last wait to be due", async () => Date.now(), (now) => now > Date.parse(atBoundary.nextCheckAt!) + 200, 5_000);
    await h.raise(id, EVENT_SET_INTERVAL, 45);
    await h.startWorker();
    const next = await h.waitForStatus(id, (s) => s.checkCount >= last + 1, 15_000);
    const input = JSON.parse((await h.state(id))!.serializedInput!);
    expect(input.carry.checkCount).toBe(last);
    await h.waitForStatus(id, (s) => s.intervalSeconds === 45, 10_000);
    expect(next.deadline).toBe(atBoundary.deadline);
  });
});

describe("restarts", () => {
  it("a sleeping monitor carries on after the hub restarts on the same database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dmt-mon-restart-"));
    const dbPath = join(dir, "hub.sqlite");
    const first = await startMonitorHarness({ dbPath });
    let id: string;
    let before: Awaited<ReturnType<MonitorHarness["waitForStatus"]>>;
    try {
      id = await first.start({ kind: "simulated", target: { durationSeconds: 1.5 }, pollingIntervalSeconds: 0.4, timeoutSeconds: 30 });
      before = await first.waitForStatus(id, (s) => s.checkCount >= 2);
    } finally {
      await first.close();
    }
    const second = await startMonitorHarness({ dbPath });
    try {
      const end = await second.waitForEnd(id);
      const out = outputOf(end);
      expect(out.finalStatus).toBe("Completed");
      expect(out.checksPerformed).toBeGreaterThan(before.checkCount);
      // The simulated job and the duration count from the original start.
      expect(out.monitoringDurationSeconds).toBeGreaterThanOrEqual(1.5);
      expect(customStatusOf(end)!.deadline).toBe(before.deadline);
    } finally {
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ending", () => {
  it("ends with a Timeout outcome (not a failure) at the deadline", async () => {
    const id = await h.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 0.3, timeoutSeconds: 1 });
    const end = await h.waitForEnd(id);
    expect(end.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    const out = outputOf(end);
    expect(out).toMatchObject({ finalStatus: "Timeout", lastStatus: { status: "Running" } });
    expect(out.monitoringDurationSeconds).toBeGreaterThanOrEqual(1);
    expect(out.monitoringDurationSeconds).toBeLessThan(5);
    // The last check happens at the deadline, not after it.
    const status = customStatusOf(end)!;
    expect(Date.parse(status.lastCheckTime)).toBeGreaterThanOrEqual(Date.parse(status.deadline));
  });

  it("fails after maxConsecutiveFailures failed checks in a row, with the last error", async () => {
    routes.set("/f/status", (n) => (n === 1 ? { status: 200, body: { status: "Running" } } : { status: 500, body: { error: `broken ${n}` } }));
    const id = await h.start({ kind: "http", target: { url: `${api.url}/f/status` }, pollingIntervalSeconds: 0.05, timeoutSeconds: 20, maxConsecutiveFailures: 3 });
    const end = await h.waitForEnd(id);
    expect(end.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(end.failureDetails?.message).toContain("3 consecutive failed checks");
    expect(end.failureDetails?.message).toContain("broken 4");
    expect(customStatusOf(end)).toMatchObject({ status: "Unknown", checkCount: 4, consecutiveFailures: 3 });
  });

  it("counts a check that throws as a failed check (status Unknown, the error as message)", async () => {
    const crashing = await startMonitorHarness({
      replaceActivities: {
        [MONITOR_ACTIVITY_NAMES.check.simulated]: () => {
          throw new Error("check crashed");
        },
      },
    });
    try {
      const id = await crashing.start({ kind: "simulated", target: {}, pollingIntervalSeconds: 0.05, timeoutSeconds: 20, maxConsecutiveFailures: 2 });
      const one = await crashing.waitForStatus(id, (s) => s.checkCount >= 1);
      expect(one).toMatchObject({ status: "Unknown", message: "check crashed", consecutiveFailures: 1 });
      const end = await crashing.waitForEnd(id);
      expect(end.runtimeStatus).toBe(OrchestrationStatus.FAILED);
      expect(end.failureDetails?.message).toBe("2 consecutive failed checks; last error: check crashed");
    } finally {
      await crashing.close();
    }
  });
});

describe("alerts", () => {
  it("retries a failing webhook, and neither it nor a dead one fails the monitor", async () => {
    const hook = await startFakeServer((_req, res) => sendJson(res, 500, { error: "nope" }));
    try {
      const spec = (webhookUrl: string) => ({
        kind: "simulated" as const,
        target: { durationSeconds: 0.1 },
        pollingIntervalSeconds: 0.05,
        timeoutSeconds: 20,
        alert: { webhookUrl },
      });
      const [failing, dead] = await Promise.all([h.start(spec(`${hook.url}/hook`)), h.start(spec(await deadUrl()))]);
      for (const id of [failing, dead]) {
        const end = await h.waitForEnd(id);
        expect(end.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
        expect(outputOf(end).finalStatus).toBe("Completed");
        expect(customStatusOf(end)!.alerted).toBeUndefined();
        const alert = { outcome: "failed", for: "Completed", error: expect.stringContaining("Alert not delivered") };
        expect(customStatusOf(end)!.alert).toEqual(alert);
        expect(outputOf(end).alert).toEqual(alert);
      }
      expect(customStatusOf(await h.state(failing))!.alert!.error).toContain("HTTP 500");
      expect(hook.requests).toHaveLength(3); // the retry policy's three attempts
    } finally {
      await hook.close();
    }
  });

  it("delivers the alert exactly once when the job completes", async () => {
    const hook = await startFakeServer((_req, res) => sendJson(res, 200, { ok: true }));
    try {
      const id = await h.start({ kind: "simulated", jobId: "once", target: { durationSeconds: 0.2 }, pollingIntervalSeconds: 0.05, timeoutSeconds: 20, alert: { webhookUrl: `${hook.url}/h` } });
      const end = await h.waitForEnd(id);
      expect(customStatusOf(end)!.alerted).toBe(true);
      expect(customStatusOf(end)!.alert).toEqual({ outcome: "sent", for: "Completed" });
      await poll("no second alert", async () => hook.requests.length, (n) => n >= 1, 5_000);
      expect(hook.requests).toHaveLength(1);
      expect(JSON.parse(hook.requests[0].body)).toEqual({
        text: expect.stringContaining("Monitor once (simulated) finished with Completed"),
        jobId: "once",
        kind: "simulated",
        status: "Completed",
        instanceId: id,
      });
    } finally {
      await hook.close();
    }
  });

  it("alerts only for the outcomes in alert.on", async () => {
    const hook = await startFakeServer((_req, res) => sendJson(res, 200, { ok: true }));
    try {
      const base = { kind: "simulated" as const, target: { durationSeconds: 0.1 }, pollingIntervalSeconds: 0.05, timeoutSeconds: 20 };
      const quiet = await h.start({ ...base, jobId: "quiet", alert: { webhookUrl: `${hook.url}/q`, on: ["met", "failed", "timeout"] } });
      const loud = await h.start({ ...base, jobId: "loud", alert: { webhookUrl: `${hook.url}/l`, on: ["completed"] } });
      const [quietEnd, loudEnd] = [await h.waitForEnd(quiet), await h.waitForEnd(loud)];
      expect(customStatusOf(quietEnd)!.alert).toBeUndefined();
      expect(customStatusOf(loudEnd)!.alert).toEqual({ outcome: "sent", for: "Completed" });
      expect(hook.requests.map((r) => r.path)).toEqual(["/l"]);
    } finally {
      await hook.close();
    }
  });
});
