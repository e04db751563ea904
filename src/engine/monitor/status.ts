/**
 * Pure functions of the monitor's bookkeeping: the custom status, the output, the sparkline points and the next wait.
 * No SDK here: the orchestrator passes its clock (`currentUtcDateTime`) in, so these stay deterministic and testable.
 */
import type { CheckResult, CheckStatus, FinalStatus, MonitorOutput, MonitorStatus, RecentPoint } from "../types.js";
import type { CheckOutcome } from "../checks/types.js";
import { CHECK_STATUSES } from "../checks/types.js";
import type { MonitorCarry } from "./input.js";
import { RECENT_POINTS } from "./names.js";
import { intervalIssue, MAX_SECONDS, minIntervalSeconds, type AlertOn, type MonitorSpec } from "./spec.js";

/** The check statuses that end the monitor, and the final status each one gives. */
const FINAL_BY_CHECK: Partial<Record<CheckStatus, FinalStatus>> = {
  Completed: "Completed",
  Failed: "Failed",
  ConditionMet: "ConditionMet",
};

/** The final status a check result ends the monitor with, or undefined when the monitor goes on. */
export function finalStatusOf(result: CheckResult): FinalStatus | undefined {
  return FINAL_BY_CHECK[result.status];
}

/** A failed check (it threw, timed out, or could not be read) counts towards `maxConsecutiveFailures`. */
export function isFailedCheck(result: CheckResult): boolean {
  return result.status === "Unknown";
}

/** The first execution's bookkeeping: the deadline is `now + timeoutSeconds` and never moves after this. */
export function initialCarry(spec: MonitorSpec, now: Date): MonitorCarry {
  return {
    startedAt: now.toISOString(),
    deadline: new Date(now.getTime() + spec.timeoutSeconds * 1000).toISOString(),
    checkCount: 0,
    consecutiveFailures: 0,
    intervalSeconds: spec.pollingIntervalSeconds,
    recent: [],
    alerted: false,
    executions: 0,
  };
}

/** Appends a point, keeping the last `max` (default 20), oldest first. Returns a new array. */
export function appendRecent(recent: readonly RecentPoint[], point: RecentPoint, max = RECENT_POINTS): RecentPoint[] {
  const next = [...recent, point];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** The point a check result adds to the sparkline. */
function recentPoint(result: CheckResult, time: Date): RecentPoint {
  return result.progress === undefined ? { t: time.toISOString(), status: result.status } : { t: time.toISOString(), progress: result.progress, status: result.status };
}

/**
 * Records one check into the carry (returns a new carry): count, consecutive failures (reset by any non-failed
 * check), last result and sparkline point.
 */
export function recordCheck(carry: MonitorCarry, result: CheckResult, time: Date): MonitorCarry {
  return {
    ...carry,
    checkCount: carry.checkCount + 1,
    consecutiveFailures: isFailedCheck(result) ? carry.consecutiveFailures + 1 : 0,
    lastResult: result,
    recent: appendRecent(carry.recent, recentPoint(result, time)),
  };
}

/**
 * The interval after one more check: `current × multiplier`, capped at `maxIntervalSeconds` — but never shrunk
 * (an interval already above the cap, e.g. set by `set-interval`, stays). Without backoff the interval is unchanged.
 */
export function growInterval(current: number, backoff: MonitorSpec["backoff"]): number {
  if (!backoff) return current;
  return Math.max(current, Math.min(current * backoff.multiplier, backoff.maxIntervalSeconds));
}

interface NextWait {
  /** Seconds from `now` to the next check (0 when the deadline has come). */
  waitSeconds: number;
  nextCheckAt: Date;
}

/**
 * When to check next: `now + intervalSeconds`, or `now + retryAfterSeconds` when the checked system asked for it
 * (it knows best, longer or shorter, but never under the minimum interval), and never past the deadline.
 */
export function computeNextWait(args: { now: Date; deadline: Date; intervalSeconds: number; retryAfterSeconds?: number }): NextWait {
  const { now, deadline, intervalSeconds, retryAfterSeconds } = args;
  const asked = retryAfterSeconds !== undefined && retryAfterSeconds > 0 ? retryAfterSeconds : intervalSeconds;
  // Neither a server's Retry-After nor an interval stored before the minimum existed may wait less than the minimum.
  const wanted = Math.min(MAX_SECONDS, Math.max(minIntervalSeconds(), asked));
  const at = Math.min(now.getTime() + wanted * 1000, deadline.getTime());
  const nextCheckAt = new Date(Math.max(at, now.getTime()));
  return { waitSeconds: (nextCheckAt.getTime() - now.getTime()) / 1000, nextCheckAt };
}

/** The custom status published after a check (and after `set-interval` changes the schedule). */
export function buildStatus(spec: MonitorSpec, carry: MonitorCarry, nextCheckAt: Date | null, finalStatus?: FinalStatus): MonitorStatus {
  const last = carry.lastResult ?? { status: "Unknown" as const };
  const lastPoint = carry.recent[carry.recent.length - 1];
  const status: MonitorStatus = {
    jobId: spec.jobId,
    kind: spec.kind,
    status: last.status,
    checkCount: carry.checkCount,
    lastCheckTime: lastPoint?.t ?? carry.startedAt,
    nextCheckAt: nextCheckAt ? nextCheckAt.toISOString() : null,
    deadline: carry.deadline,
    intervalSeconds: carry.intervalSeconds,
    consecutiveFailures: carry.consecutiveFailures,
    recent: carry.recent,
  };
  if (last.progress !== undefined) status.progress = last.progress;
  if (last.message !== undefined) status.message = last.message;
  if (carry.alerted) status.alerted = true;
  if (carry.alert) status.alert = carry.alert;
  status.maxConsecutiveFailures = spec.maxConsecutiveFailures;
  if (finalStatus) status.finalStatus = finalStatus;
  return status;
}

/** The orchestration's output; the duration counts from the first execution's start. */
export function buildOutput(spec: MonitorSpec, carry: MonitorCarry, finalStatus: FinalStatus, now: Date): MonitorOutput {
  const durationMs = now.getTime() - Date.parse(carry.startedAt);
  return {
    jobId: spec.jobId,
    finalStatus,
    checksPerformed: carry.checkCount,
    monitoringDurationSeconds: Math.round(Math.max(0, durationMs) / 10) / 100,
    lastStatus: carry.lastResult ?? { status: "Unknown" },
    ...(carry.alert ? { alert: carry.alert } : {}),
  };
}

/**
 * The seconds a `set-interval` event asks for: a number within the interval bounds (see `intervalIssue`), given as a
 * number, a numeric string or `{ seconds }`. Undefined for anything else (the event is then ignored).
 */
export function parseIntervalEventData(data: unknown): number | undefined {
  let value: unknown = data;
  if (value && typeof value === "object" && "seconds" in value) value = (value as { seconds: unknown }).seconds;
  if (typeof value === "string" && value.trim() !== "") value = Number(value);
  return typeof value === "number" && intervalIssue(value) === undefined ? value : undefined;
}

const ALERT_ON_BY_FINAL: Record<FinalStatus, AlertOn> = { Completed: "completed", Failed: "failed", ConditionMet: "met", Timeout: "timeout" };

/** True when the monitor has a webhook, has not alerted yet, and `alert.on` includes this final status. */
export function shouldAlert(spec: MonitorSpec, carry: MonitorCarry, final: FinalStatus): boolean {
  if (!spec.alert?.webhookUrl || carry.alerted || carry.alert) return false;
  return (spec.alert.on ?? []).includes(ALERT_ON_BY_FINAL[final]);
}

/** The message the orchestration fails with after too many failed checks in a row. */
export function tooManyFailuresMessage(count: number, lastMessage: string | undefined): string {
  return `${count} consecutive failed checks; last error: ${lastMessage ?? "unknown error"}`;
}

/** The longest check message kept (in the custom status, the carry and the output); longer ones are cut and say so. */
export const MAX_MESSAGE_CHARS = 1000;

/** `message` cut to MAX_MESSAGE_CHARS, ending with how long it was. */
export function boundMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_MESSAGE_CHARS)}… [truncated: ${message.length} characters]`;
}

/** Keeps only the fields of a CheckOutcome (the message bounded); anything unreadable becomes a failed check. */
export function normalizeOutcome(value: unknown): CheckOutcome {
  if (!value || typeof value !== "object") return { status: "Unknown", message: "The check returned no result" };
  const v = value as Record<string, unknown>;
  if (typeof v.status !== "string" || !(CHECK_STATUSES as readonly string[]).includes(v.status)) {
    return { status: "Unknown", message: boundMessage(`The check returned an invalid status: ${String(v.status)}`) };
  }
  const out: CheckOutcome = { status: v.status as CheckResult["status"] };
  if (typeof v.progress === "number" && Number.isFinite(v.progress)) out.progress = Math.min(100, Math.max(0, v.progress));
  if (typeof v.message === "string") out.message = boundMessage(v.message);
  if (typeof v.retryAfterSeconds === "number" && Number.isFinite(v.retryAfterSeconds) && v.retryAfterSeconds >= 0) {
    out.retryAfterSeconds = v.retryAfterSeconds;
  }
  if (typeof v.pollUrl === "string" && v.pollUrl !== "") out.pollUrl = v.pollUrl;
  if (v.refused === true && out.status === "Unknown") out.refused = true;
  return out;
}
