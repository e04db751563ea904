import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { checksPerExecutionOf, freshMonitorInput, parseMonitorInput, prepareMonitorInput, readMonitorInput } from "../../src/engine/monitor/input.js";
import { CHECKS_PER_EXECUTION, LEGACY_CHECKS_PER_EXECUTION, MAX_CHECKS_PER_EXECUTION } from "../../src/engine/monitor/names.js";
import type { MonitorSpec } from "../../src/engine/monitor/spec.js";
import {
  appendRecent,
  buildOutput,
  buildStatus,
  computeNextWait,
  finalStatusOf,
  growInterval,
  initialCarry,
  isFailedCheck,
  normalizeOutcome,
  parseIntervalEventData,
  recordCheck,
} from "../../src/engine/monitor/status.js";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const spec = (over: Partial<MonitorSpec> = {}): MonitorSpec =>
  prepareMonitorInput({ kind: "simulated", target: {}, jobId: "job-1", pollingIntervalSeconds: 5, timeoutSeconds: 60, ...over } as never).spec;

describe("prepareMonitorInput", () => {
  it("applies defaults and fills a jobId from the kind", () => {
    const { spec: s, carry } = prepareMonitorInput({ kind: "simulated", target: {} });
    expect(carry).toBeUndefined();
    expect(s.jobId).toMatch(/^simulated-[0-9a-f]{6}$/);
    expect(s).toMatchObject({ pollingIntervalSeconds: 5, timeoutSeconds: 30, maxConsecutiveFailures: 3, target: { durationSeconds: 20, queuedSeconds: 0 } });
  });

  it("keeps a given jobId and puts the profile's defaults under the spec", () => {
    const { spec: s } = prepareMonitorInput(
      { kind: "http", jobId: "mine", target: { url: "http://x/y" }, pollingIntervalSeconds: 2 },
      { pollingIntervalSeconds: 9, timeoutSeconds: 120, maxConsecutiveFailures: 7, alert: { webhookUrl: "http://hook" } },
    );
    expect(s).toMatchObject({ jobId: "mine", pollingIntervalSeconds: 2, timeoutSeconds: 120, maxConsecutiveFailures: 7, alert: { webhookUrl: "http://hook" } });
  });

  it("stretches a default timeout shorter than the user's interval instead of refusing a field the user never typed", () => {
    const { spec: s } = prepareMonitorInput({ kind: "simulated", target: {}, pollingIntervalSeconds: 50 }, { timeoutSeconds: 30 });
    expect(s.timeoutSeconds).toBe(50);
  });

  it("throws UsageError naming every bad field", () => {
    expect(() => prepareMonitorInput({ kind: "http", target: {}, pollingIntervalSeconds: -1 } as never)).toThrow(UsageError);
    expect(() => prepareMonitorInput({ kind: "http", target: { url: "ftp://x" }, pollingIntervalSeconds: -1 } as never)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/target\.url[\s\S]*pollingIntervalSeconds|pollingIntervalSeconds[\s\S]*target\.url/) }),
    );
  });
});

describe("parseMonitorInput / readMonitorInput", () => {
  it("reads the spec back from a serialized input, with or without carry", () => {
    const input = prepareMonitorInput({ kind: "simulated", target: {}, jobId: "a" });
    expect(parseMonitorInput(JSON.stringify(input))).toEqual(input.spec);
    const carried = { ...input, carry: initialCarry(input.spec, T0) };
    expect(parseMonitorInput(JSON.stringify(carried))).toEqual(input.spec);
    expect(readMonitorInput(carried, "i").carry?.deadline).toBe(at(30).toISOString());
  });

  it("drops the carry for a restart (fresh deadline and counters)", () => {
    const input = prepareMonitorInput({ kind: "simulated", target: {}, jobId: "a" });
    const carried = { ...input, carry: initialCarry(input.spec, T0) };
    expect(freshMonitorInput(JSON.stringify(carried))).toEqual({ spec: input.spec, checksPerExecution: CHECKS_PER_EXECUTION });
    expect(freshMonitorInput("{}")).toBeUndefined();
  });

  it("keeps the checks per execution a monitor was started with; an input of an earlier build (or a bad number) gets theirs", () => {
    const input = prepareMonitorInput({ kind: "simulated", target: {}, jobId: "a" });
    expect(input.checksPerExecution).toBe(CHECKS_PER_EXECUTION);
    expect(checksPerExecutionOf(readMonitorInput(JSON.stringify(input), "i"))).toBe(CHECKS_PER_EXECUTION);
    expect(checksPerExecutionOf(readMonitorInput({ ...input, checksPerExecution: 3 }, "i"))).toBe(3);
    for (const bad of [undefined, 0, -1, 1.5, "10", MAX_CHECKS_PER_EXECUTION + 1]) {
      expect(checksPerExecutionOf(readMonitorInput({ spec: input.spec, checksPerExecution: bad }, "i")), String(bad)).toBe(LEGACY_CHECKS_PER_EXECUTION);
    }
    expect(checksPerExecutionOf(readMonitorInput({ kind: "simulated", target: {} }, "i"))).toBe(LEGACY_CHECKS_PER_EXECUTION);
  });

  it("accepts a bare spec and derives a jobId from the instance id", () => {
    const { spec: s } = readMonitorInput({ kind: "simulated", target: {} }, "abcdef123456");
    expect(s.jobId).toBe("simulated-abcdef12");
  });

  it("returns undefined (never throws) for absent, non-JSON or non-monitor input", () => {
    expect(parseMonitorInput(undefined)).toBeUndefined();
    expect(parseMonitorInput("not json")).toBeUndefined();
    expect(parseMonitorInput(JSON.stringify({ hello: 1 }))).toBeUndefined();
    expect(() => readMonitorInput({ kind: "nope" }, "i")).toThrow(/kind/);
  });
});

describe("recent points and check records", () => {
  it("keeps the last 20 points, oldest first", () => {
    let recent: ReturnType<typeof appendRecent> = [];
    for (let i = 0; i < 25; i++) recent = appendRecent(recent, { t: at(i).toISOString(), progress: i, status: "Running" });
    expect(recent).toHaveLength(20);
    expect(recent[0].progress).toBe(5);
    expect(recent[19].progress).toBe(24);
  });

  it("counts checks and consecutive failures, reset by any successful check", () => {
    let carry = initialCarry(spec(), T0);
    carry = recordCheck(carry, { status: "Unknown", message: "boom" }, at(1));
    carry = recordCheck(carry, { status: "Unknown", message: "boom" }, at(2));
    expect(carry).toMatchObject({ checkCount: 2, consecutiveFailures: 2 });
    carry = recordCheck(carry, { status: "Running", progress: 10 }, at(3));
    expect(carry).toMatchObject({ checkCount: 3, consecutiveFailures: 0, lastResult: { status: "Running", progress: 10 } });
    expect(carry.recent.map((p) => p.status)).toEqual(["Unknown", "Unknown", "Running"]);
    expect(carry.recent[0]).not.toHaveProperty("progress");
  });

  it("knows which results end the monitor and which count as failed", () => {
    expect(finalStatusOf({ status: "Completed" })).toBe("Completed");
    expect(finalStatusOf({ status: "Failed" })).toBe("Failed");
    expect(finalStatusOf({ status: "ConditionMet" })).toBe("ConditionMet");
    expect(finalStatusOf({ status: "Running" })).toBeUndefined();
    expect(finalStatusOf({ status: "Unknown" })).toBeUndefined();
    expect(isFailedCheck({ status: "Unknown" })).toBe(true);
    expect(isFailedCheck({ status: "Queued" })).toBe(false);
  });
});

describe("the next wait", () => {
  it("grows the interval by the multiplier up to the cap, never shrinking one already above it", () => {
    const backoff = { multiplier: 2, maxIntervalSeconds: 10 };
    expect(growInterval(1, backoff)).toBe(2);
    expect(growInterval(8, backoff)).toBe(10);
    expect(growInterval(30, backoff)).toBe(30);
    expect(growInterval(3, undefined)).toBe(3);
  });

  it("waits the interval, or Retry-After when given, and never past the deadline", () => {
    const deadline = at(60);
    expect(computeNextWait({ now: T0, deadline, intervalSeconds: 5 })).toEqual({ waitSeconds: 5, nextCheckAt: at(5) });
    expect(computeNextWait({ now: T0, deadline, intervalSeconds: 5, retryAfterSeconds: 12 }).waitSeconds).toBe(12);
    expect(computeNextWait({ now: T0, deadline, intervalSeconds: 5, retryAfterSeconds: 1 }).waitSeconds).toBe(1);
    expect(computeNextWait({ now: T0, deadline, intervalSeconds: 5, retryAfterSeconds: 0 }).waitSeconds).toBe(5);
    expect(computeNextWait({ now: at(58), deadline, intervalSeconds: 5 })).toEqual({ waitSeconds: 2, nextCheckAt: deadline });
    expect(computeNextWait({ now: at(61), deadline, intervalSeconds: 5 }).waitSeconds).toBe(0);
  });

  it("reads set-interval data as seconds, ignoring anything else", () => {
    expect(parseIntervalEventData(3)).toBe(3);
    expect(parseIntervalEventData(0.5)).toBe(0.5);
    expect(parseIntervalEventData("7")).toBe(7);
    expect(parseIntervalEventData({ seconds: 2 })).toBe(2);
    for (const bad of [0, -1, "x", null, undefined, {}, Number.NaN, Infinity]) expect(parseIntervalEventData(bad)).toBeUndefined();
  });
});

describe("status and output", () => {
  it("builds the custom status from the carry", () => {
    const s = spec({ jobId: "j" });
    let carry = initialCarry(s, T0);
    carry = recordCheck(carry, { status: "Running", progress: 40, message: "going" }, at(3));
    const status = buildStatus(s, carry, at(8));
    expect(status).toEqual({
      jobId: "j",
      kind: "simulated",
      status: "Running",
      progress: 40,
      message: "going",
      checkCount: 1,
      lastCheckTime: at(3).toISOString(),
      nextCheckAt: at(8).toISOString(),
      deadline: at(60).toISOString(),
      intervalSeconds: 5,
      consecutiveFailures: 0,
      maxConsecutiveFailures: 3,
      recent: [{ t: at(3).toISOString(), progress: 40, status: "Running" }],
    });
    expect(buildStatus(s, { ...carry, alerted: true }, null)).toMatchObject({ nextCheckAt: null, alerted: true });
    expect(status).not.toHaveProperty("finalStatus");
    expect(buildStatus(s, carry, null, "Timeout")).toMatchObject({ nextCheckAt: null, finalStatus: "Timeout" });
  });

  it("builds the output with the duration from the first start", () => {
    const s = spec({ jobId: "j" });
    const carry = recordCheck(initialCarry(s, T0), { status: "Completed", progress: 100 }, at(12.5));
    expect(buildOutput(s, carry, "Completed", at(12.5))).toEqual({
      jobId: "j",
      finalStatus: "Completed",
      checksPerformed: 1,
      monitoringDurationSeconds: 12.5,
      lastStatus: { status: "Completed", progress: 100 },
    });
  });

  it("normalizes what an activity returned; garbage is a failed check", () => {
    expect(normalizeOutcome({ status: "Running", progress: 150, message: "m", retryAfterSeconds: 2, pollUrl: "http://p", extra: 1 })).toEqual({
      status: "Running",
      progress: 100,
      message: "m",
      retryAfterSeconds: 2,
      pollUrl: "http://p",
    });
    expect(normalizeOutcome(undefined).status).toBe("Unknown");
    expect(normalizeOutcome({ status: "Weird" })).toMatchObject({ status: "Unknown", message: expect.stringContaining("Weird") });
  });
});
