import { describe, expect, it } from "vitest";
import {
  completeView,
  controlEvents,
  needsInput,
  readInputSchedule,
  readMonitorOutput,
  readMonitorStatus,
  readProgress,
} from "../../src/engine/monitor/convention.js";

const created = new Date("2026-01-01T12:00:00.000Z");

describe("the monitor-status convention", () => {
  it("reads the samples' snake_case custom status", () => {
    const view = readMonitorStatus({ job_id: "job-uuid-12345", status: "Running", check_count: 3, last_check_time: "2026-01-01T12:00:15.123Z", progress_percent: 75, current_phase: "copy", details: { rows: 3 } });
    expect(view).toEqual({ jobId: "job-uuid-12345", status: "Running", checkCount: 3, lastCheckTime: "2026-01-01T12:00:15.123Z", progress: 75, phase: "copy", message: '{"rows":3}', recent: [] });
  });

  it("reads camelCase, {completed,total} progress, checks, next time and expiry", () => {
    const view = readMonitorStatus({ jobId: "j", checks: 2, progress: { completed: 50, total: 200 }, phase: "p", message: "m", nextCheckTime: "2026-01-01T12:01:00Z", expiryTime: "2026-01-01T13:00:00Z" });
    expect(view).toMatchObject({ jobId: "j", checkCount: 2, progress: 25, phase: "p", message: "m", nextCheckAt: "2026-01-01T12:01:00.000Z", deadline: "2026-01-01T13:00:00.000Z" });
    expect(needsInput(view!)).toBe(false);
    expect(readProgress({ completed: 1, total: 0 })).toBeUndefined();
    expect(readProgress(140)).toBe(100);
  });

  it("is not a monitor without any of its fields (a plain status stays text)", () => {
    expect(readMonitorStatus({ status: "waiting for approval" })).toBeUndefined();
    expect(readMonitorStatus("approved")).toBeUndefined();
    expect(readMonitorStatus([1, 2])).toBeUndefined();
  });

  it("fills interval, deadline and next check from the input", () => {
    const view = readMonitorStatus({ job_id: "j", check_count: 1, last_check_time: "2026-01-01T12:00:05Z" })!;
    expect(needsInput(view)).toBe(true);
    const schedule = readInputSchedule({ job_id: "j", polling_interval_seconds: 5, timeout_seconds: 30 });
    expect(schedule).toEqual({ jobId: "j", intervalSeconds: 5, timeoutSeconds: 30 });
    expect(completeView(view, schedule, created)).toMatchObject({
      intervalSeconds: 5,
      deadline: "2026-01-01T12:00:30.000Z",
      nextCheckAt: "2026-01-01T12:00:10.000Z",
    });
    expect(readInputSchedule({ pollingIntervalSeconds: "2", expiryTime: "2026-01-01T12:10:00Z" })).toEqual({ intervalSeconds: 2, expiry: "2026-01-01T12:10:00.000Z" });
    expect(readInputSchedule({ spec: { jobId: "ours", pollingIntervalSeconds: 1, timeoutSeconds: 9 } })).toEqual({ jobId: "ours", intervalSeconds: 1, timeoutSeconds: 9 });
  });

  it("reads our own custom status unchanged (one reader)", () => {
    const ours = { jobId: "a", kind: "simulated", status: "Running", checkCount: 2, lastCheckTime: "2026-01-01T12:00:00.000Z", nextCheckAt: null,
      deadline: "2026-01-01T12:01:00.000Z", intervalSeconds: 1, consecutiveFailures: 0, recent: [{ t: "2026-01-01T12:00:00.000Z", status: "Running" }] };
    expect(readMonitorStatus(ours)).toEqual(ours);
    expect(readMonitorStatus({ ...ours, finalStatus: "ConditionMet" })).toEqual({ ...ours, finalStatus: "ConditionMet" });
  });

  it("reads a final status from a custom status too (ours publishes it once finished), and drops a word it does not know", () => {
    expect(readMonitorStatus({ job_id: "j", status: "Done", final_status: "TimedOut" })).toMatchObject({ jobId: "j", finalStatus: "Timeout" });
    expect(readMonitorStatus({ job_id: "j", status: "Done", final_status: "TimedOut" })).not.toHaveProperty("final_status");
    expect(readMonitorStatus({ jobId: "j", finalStatus: "whenever" })).not.toHaveProperty("finalStatus");
  });

  it("reads outputs: final_status Timeout is a timeout, checks_performed counts", () => {
    expect(readMonitorOutput({ job_id: "j", final_status: "Timeout", checks_performed: 4, monitoring_duration_seconds: 15.6 })).toEqual({
      jobId: "j", finalStatus: "Timeout", checksPerformed: 4, monitoringDurationSeconds: 15.6,
    });
    expect(readMonitorOutput({ finalStatus: "Completed", checksPerformed: 2 })).toMatchObject({ finalStatus: "Completed", checksPerformed: 2 });
    expect(readMonitorOutput("done")).toBeUndefined();
    expect(readMonitorOutput({ result: 1 })).toBeUndefined();
  });

  it("offers check-now and interval events for ours, and for others only when declared", () => {
    expect(controlEvents({ name: "monitor" })).toEqual({ checkNow: "poll-now", setInterval: "set-interval" });
    expect(controlEvents({ name: "job_monitor", customStatus: readMonitorStatus({ job_id: "x" }) })).toEqual({});
    const declared = readMonitorStatus({ job_id: "x", accepted_events: { check_now: "poll", set_interval: "interval" } });
    expect(controlEvents({ name: "job_monitor", customStatus: declared })).toEqual({ checkNow: "poll", setInterval: "interval" });
  });
});
