import { describe, expect, it } from "vitest";
import { OrchestrationState, OrchestrationStatus, FailureDetails, type HistoryEvent } from "@microsoft/durabletask-js";
import { mapHistory } from "../../src/engine/history.js";
import { SpecCache, snapshotChanged, statusViewOf, toSnapshot } from "../../src/engine/snapshot.js";

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const ev = (e: Record<string, unknown>) => e as unknown as HistoryEvent;

describe("mapHistory", () => {
  it("pairs check activities with their completions and failures, in time order", () => {
    const events = [
      ev({ eventId: -1, type: "ExecutionStarted", timestamp: t(0), name: "monitor", input: '{"spec":{}}' }),
      ev({ eventId: 0, type: "TaskScheduled", timestamp: t(1), name: "checkHttp", input: "{}" }),
      ev({ eventId: -1, type: "TaskCompleted", timestamp: t(2), taskScheduledId: 0, result: '{"status":"Running","progress":40}' }),
      ev({ eventId: 1, type: "TimerCreated", timestamp: t(2), fireAt: t(7) }),
      ev({ eventId: 2, type: "TaskScheduled", timestamp: t(7), name: "checkHttp" }),
      ev({ eventId: -1, type: "TaskFailed", timestamp: t(8), taskScheduledId: 2, failureDetails: new FailureDetails("HTTP 503", "Error") }),
      ev({ eventId: 3, type: "TaskScheduled", timestamp: t(9), name: "sendAlert" }),
      ev({ eventId: -1, type: "TaskCompleted", timestamp: t(10), taskScheduledId: 3, result: "true" }),
      ev({ eventId: 4, type: "TaskScheduled", timestamp: t(12), name: "checkHttp" }),
      ev({ eventId: -1, type: "TaskCompleted", timestamp: t(13), taskScheduledId: 4, result: "not json" }),
    ];
    const { events: items, checks } = mapHistory(events, (n) => n.startsWith("check"));
    expect(items).toHaveLength(10);
    expect(items[3]).toMatchObject({ type: "TimerCreated", detail: `fires at ${t(7).toISOString()}` });
    expect(items[5]).toMatchObject({ type: "TaskFailed", detail: "Error: HTTP 503" });
    expect(checks).toEqual([
      { time: t(2), result: { status: "Running", progress: 40 }, durationMs: 1000 },
      { time: t(8), result: { status: "Unknown", message: "HTTP 503" }, durationMs: 1000, failed: true, secondsSincePrevious: 6 },
      { time: t(13), result: { status: "Unknown", message: "not json" }, durationMs: 1000, secondsSincePrevious: 5 },
    ]);
  });

  it("names and details each kind of event by its own fields", () => {
    const long = "x".repeat(300);
    const { events: items } = mapHistory(
      [
        ev({ eventId: 5, type: "EventRaised", timestamp: t(1), name: "poll-now", input: "a\n  b" }),
        ev({ eventId: -1, type: "ExecutionCompleted", timestamp: t(2), orchestrationStatus: "ORCHESTRATION_STATUS_COMPLETED" }),
        ev({ eventId: -1, type: "ExecutionCompleted", timestamp: t(2), orchestrationStatus: "X", result: '"out"' }),
        ev({ eventId: -1, type: "ExecutionCompleted", timestamp: t(2), orchestrationStatus: "X", result: "r", failureDetails: new FailureDetails("boom", "") }),
        ev({ eventId: -1, type: "GenericEvent", timestamp: t(3), data: "payload" }),
        ev({ eventId: -1, type: "SubOrchestrationInstanceFailed", timestamp: t(4), taskScheduledId: 1, failureDetails: new FailureDetails("child", "E") }),
        ev({ eventId: -1, type: "ExecutionSuspended", timestamp: t(5), input: long }),
        ev({ eventId: -1, type: "OrchestratorStarted", timestamp: t(6) }),
        ev({ eventId: -1, type: "SomethingNew", timestamp: t(7), name: "n", input: "i" }),
      ],
      () => true,
    );
    expect(items.map(({ type, name, detail }) => ({ type, name, detail }))).toEqual([
      { type: "EventRaised", name: "poll-now", detail: "a b" },
      { type: "ExecutionCompleted", name: undefined, detail: "ORCHESTRATION_STATUS_COMPLETED" },
      { type: "ExecutionCompleted", name: undefined, detail: '"out"' },
      { type: "ExecutionCompleted", name: undefined, detail: "boom" },
      { type: "GenericEvent", name: undefined, detail: "payload" },
      { type: "SubOrchestrationInstanceFailed", name: undefined, detail: "E: child" },
      { type: "ExecutionSuspended", name: undefined, detail: `${"x".repeat(159)}…` },
      { type: "OrchestratorStarted", name: undefined, detail: undefined },
      { type: "SomethingNew", name: undefined, detail: undefined },
    ]);
  });
});

describe("snapshots", () => {
  const input = JSON.stringify({ spec: { kind: "simulated", jobId: "j1", target: { durationSeconds: 5 } } });
  const status = JSON.stringify({ jobId: "j1", kind: "simulated", status: "Running", checkCount: 2, progress: 40, recent: [] });
  const state = (runtime: OrchestrationStatus, updated: number, custom = status, output?: string) =>
    new OrchestrationState("i1", "monitor", runtime, t(0), t(updated), input, output, custom);

  it("maps status, spec, custom status, and the output only once terminal", () => {
    const specs = new SpecCache();
    const running = toSnapshot(state(OrchestrationStatus.RUNNING, 1, status, '{"jobId":"j1","finalStatus":"Completed"}'), specs);
    expect(running).toMatchObject({ runtimeStatus: "Running", spec: { kind: "simulated", jobId: "j1" }, customStatus: { checkCount: 2, progress: 40 } });
    expect(running.output).toBeUndefined();
    const done = toSnapshot(state(OrchestrationStatus.COMPLETED, 2, status, '{"jobId":"j1","finalStatus":"Completed","checksPerformed":3}'), specs);
    expect(done.output).toMatchObject({ finalStatus: "Completed", checksPerformed: 3 });
    const terminated = toSnapshot(state(OrchestrationStatus.TERMINATED, 3, status, '"stop please"'), specs);
    expect(terminated.rawOutput).toBe("stop please");
    const other = toSnapshot(new OrchestrationState("x", "other", OrchestrationStatus.PENDING, t(0), t(0), "42", undefined, "hello"), specs);
    expect(other).toMatchObject({ runtimeStatus: "Pending", rawCustomStatus: "hello" });
    expect(other.spec).toBeUndefined();
  });

  it("parses an input once per instance and creation time", () => {
    const specs = new SpecCache();
    const a = toSnapshot(state(OrchestrationStatus.RUNNING, 1), specs);
    const b = toSnapshot(state(OrchestrationStatus.RUNNING, 2), specs);
    expect(b.spec).toBe(a.spec); // the same parsed object
  });

  it("detects changes by update time, status and custom status", () => {
    const specs = new SpecCache();
    const a = toSnapshot(state(OrchestrationStatus.RUNNING, 1), specs);
    expect(snapshotChanged(a, toSnapshot(state(OrchestrationStatus.RUNNING, 1), specs))).toBe(false);
    expect(snapshotChanged(a, toSnapshot(state(OrchestrationStatus.RUNNING, 2), specs))).toBe(true);
    expect(snapshotChanged(a, toSnapshot(state(OrchestrationStatus.SUSPENDED, 1), specs))).toBe(true);
    expect(snapshotChanged(a, toSnapshot(state(OrchestrationStatus.RUNNING, 1, status.replace('"checkCount":2', '"checkCount":3')), specs))).toBe(true);
  });

  it("reads a listed state's custom status once: the same state gives the same view, another state its own", () => {
    const listed = (custom: string | undefined) => new OrchestrationState("i1", "app", OrchestrationStatus.RUNNING, t(0), t(1), undefined, undefined, custom);
    const first = listed('{"job_id":"a","check_count":1}');
    const view = statusViewOf(first);
    expect(view).toMatchObject({ jobId: "a", checkCount: 1 });
    expect(statusViewOf(first)).toBe(view);
    const second = listed('{"job_id":"a","check_count":2}');
    expect(statusViewOf(second)).toMatchObject({ checkCount: 2 });
    const plain = listed('"just text"');
    expect(statusViewOf(plain)).toBeUndefined();
    expect(statusViewOf(plain)).toBeUndefined();
  });

  it("accepts only custom statuses shaped like the monitor's", () => {
    const listed = (custom: string) => new OrchestrationState("i2", "app", OrchestrationStatus.RUNNING, t(0), t(1), undefined, undefined, custom);
    expect(statusViewOf(listed('{"jobId":"a","status":"Running","checkCount":1}'))).toMatchObject({ recent: [] });
    expect(statusViewOf(listed('{"status":"Running"}'))).toBeUndefined();
    expect(statusViewOf(listed("nope"))).toBeUndefined();
  });
});
