/**
 * The interval bounds with the shipped minimum (1 s; the suite lowers it, so these tests unset the override):
 * the schema, the set-interval event, Retry-After, stored monitors, and the CLI's exit code 2.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { prepareMonitorInput, readMonitorInput } from "../../src/engine/monitor/input.js";
import { intervalIssue, MAX_SECONDS } from "../../src/engine/monitor/spec.js";
import { computeNextWait, parseIntervalEventData } from "../../src/engine/monitor/status.js";
import { runCli } from "../helpers/cli.js";

const OVERRIDE = "DURABLE_MONITOR_TUI_MIN_INTERVAL_SECONDS";
const shipped = { [OVERRIDE]: undefined };

describe("interval bounds (shipped minimum 1 s)", () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[OVERRIDE];
    delete process.env[OVERRIDE];
  });
  afterEach(() => {
    if (saved !== undefined) process.env[OVERRIDE] = saved;
  });

  it("the spec refuses an interval under 1 s or over a year, and a timeout over a year", () => {
    expect(() => prepareMonitorInput({ kind: "simulated", target: {}, pollingIntervalSeconds: 1e-9 })).toThrow(/pollingIntervalSeconds must be at least 1 s/);
    expect(() => prepareMonitorInput({ kind: "simulated", target: {}, pollingIntervalSeconds: 1e308 })).toThrow(UsageError);
    expect(() => prepareMonitorInput({ kind: "simulated", target: {}, timeoutSeconds: 9e15 })).toThrow(/timeoutSeconds must be at most/);
    expect(() => prepareMonitorInput({ kind: "simulated", target: {}, backoff: { multiplier: 2, maxIntervalSeconds: 0.001 } })).toThrow(/backoff.maxIntervalSeconds/);
    expect(prepareMonitorInput({ kind: "simulated", target: {}, pollingIntervalSeconds: 1, timeoutSeconds: MAX_SECONDS }).spec.pollingIntervalSeconds).toBe(1);
  });

  it("a set-interval event outside the bounds is ignored; the form's check says why", () => {
    expect(parseIntervalEventData(1e-9)).toBeUndefined();
    expect(parseIntervalEventData("1e308")).toBeUndefined();
    expect(parseIntervalEventData({ seconds: 2 })).toBe(2);
    expect(intervalIssue(0.5)).toBe("the interval must be at least 1 s");
    expect(intervalIssue(3)).toBeUndefined();
  });

  it("a server's tiny Retry-After waits the minimum, not microseconds", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const wait = computeNextWait({ now, deadline: new Date(now.getTime() + 60_000), intervalSeconds: 5, retryAfterSeconds: 0.000001 });
    expect(wait.waitSeconds).toBe(1);
  });

  it("a monitor stored before the minimum keeps running at the minimum instead of failing on replay", () => {
    const stored = { spec: { kind: "simulated", target: {}, jobId: "old", pollingIntervalSeconds: 0.05, timeoutSeconds: 30 } };
    expect(readMonitorInput(stored, "i").spec.pollingIntervalSeconds).toBe(1);
  });

  it("the CLI refuses --interval 1e-9, --interval 1e308, --timeout 9e15 and set-interval 1e-9 with exit code 2", async () => {
    const runs = await Promise.all([
      runCli(["start", "--interval", "1e-9"], { env: shipped }),
      runCli(["start", "--interval", "1e308"], { env: shipped }),
      runCli(["start", "--timeout", "9e15"], { env: shipped }),
      runCli(["raise", "some-id", "set-interval", "--data", "1e-9"], { env: shipped }),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).not.toMatch(/RangeError|\n\s+at /);
    }
    expect(runs[0]!.stderr).toContain("at least 1 s");
    expect(runs[2]!.stderr).toContain("timeoutSeconds must be at most");
    expect(runs[3]!.stderr).toContain("set-interval");
  });
});
