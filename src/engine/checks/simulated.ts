/**
 * The `simulated` check: a stand-in job for demos and tests. Its state is a pure function of the time elapsed since
 * the monitor started, so it survives continue-as-new, worker restarts and replays.
 */
import type { SimulatedTarget } from "../monitor/spec.js";
import type { CheckResult } from "../types.js";
import type { CheckInput } from "./types.js";

/**
 * The simulated job at `elapsedSeconds` after the monitor started: Queued for `queuedSeconds`, then Running with
 * progress growing linearly over `durationSeconds`, then Completed — or Failed once progress reaches `failAtPercent`.
 */
export function simulateJob(target: SimulatedTarget, elapsedSeconds: number): CheckResult {
  const elapsed = Math.max(0, elapsedSeconds);
  if (elapsed < target.queuedSeconds) {
    return { status: "Queued", progress: 0, message: `Queued (starts in ${round1(target.queuedSeconds - elapsed)} s)` };
  }
  const progress = Math.min(100, ((elapsed - target.queuedSeconds) / target.durationSeconds) * 100);
  const shown = Math.floor(progress);
  if (target.failAtPercent !== undefined && progress >= target.failAtPercent) {
    return { status: "Failed", progress: Math.floor(target.failAtPercent), message: `Simulated failure at ${target.failAtPercent}%` };
  }
  if (progress >= 100) return { status: "Completed", progress: 100, message: "Simulated job completed" };
  return { status: "Running", progress: shown, message: `Running (${shown}%)` };
}

/** The `checkSimulated` activity. Never throws for a valid target. */
export function checkSimulated(input: CheckInput<SimulatedTarget>, now: number = Date.now()): CheckResult {
  return simulateJob(input.target, (now - Date.parse(input.startedAt)) / 1000);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
