import type { HistoryEvent } from "@microsoft/durabletask-js";
import type { CheckRecord, CheckResult, CheckStatus, HistoryItem, MonitorHistory } from "./types.js";

const DETAIL_MAX = 160;

function short(text: string | undefined): string | undefined {
  if (text === undefined || text === "") return undefined;
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > DETAIL_MAX ? `${oneLine.slice(0, DETAIL_MAX - 1)}…` : oneLine;
}

type AnyEvent = HistoryEvent & Record<string, unknown>;

function nameOf(e: AnyEvent): string | undefined {
  return typeof e.name === "string" && e.name ? e.name : undefined;
}

function detailOf(e: AnyEvent): string | undefined {
  const failure = e.failureDetails as { message?: string; errorType?: string } | undefined;
  if (failure?.message) return short(`${failure.errorType ? `${failure.errorType}: ` : ""}${failure.message}`);
  for (const key of ["result", "input", "data"] as const) {
    if (typeof e[key] === "string" && e[key]) return short(e[key] as string);
  }
  if (e.fireAt instanceof Date) return `fires at ${e.fireAt.toISOString()}`;
  if (typeof e.orchestrationStatus === "string") return e.orchestrationStatus;
  return undefined;
}

const CHECK_STATUSES: readonly CheckStatus[] = ["Queued", "Running", "Completed", "Failed", "ConditionMet", "Unknown"];

function parseCheckResult(text: string | undefined): CheckResult {
  try {
    const v = text ? (JSON.parse(text) as Partial<CheckResult>) : undefined;
    if (v && typeof v === "object" && CHECK_STATUSES.includes(v.status as CheckStatus)) return v as CheckResult;
  } catch {
    // fall through
  }
  return { status: "Unknown", message: short(text) };
}

/**
 * Flattens an instance's history for display and derives the check timeline from it: every TaskScheduled of a
 * check activity (`isCheckActivity`) paired with its TaskCompleted (the parsed CheckResult) or TaskFailed
 * (status Unknown, failed, the error as message). Only the current execution's history exists after a
 * continue-as-new, so the timeline covers that execution.
 */
export function mapHistory(events: HistoryEvent[], isCheckActivity: (name: string) => boolean): MonitorHistory {
  const items: HistoryItem[] = [];
  const scheduled = new Map<number, { name: string; time: Date }>();
  const checks: CheckRecord[] = [];
  for (const raw of events) {
    const e = raw as AnyEvent;
    items.push({ eventId: e.eventId, type: String(e.type), timestamp: e.timestamp, name: nameOf(e), detail: detailOf(e) });
    if (e.type === "TaskScheduled" && nameOf(e) && isCheckActivity(nameOf(e)!)) {
      scheduled.set(e.eventId, { name: nameOf(e)!, time: e.timestamp });
    } else if (e.type === "TaskCompleted" || e.type === "TaskFailed") {
      const origin = scheduled.get(e.taskScheduledId as number);
      if (!origin) continue;
      const failed = e.type === "TaskFailed";
      const failure = e.failureDetails as { message?: string } | undefined;
      const result: CheckResult = failed ? { status: "Unknown", message: failure?.message ?? "the check failed" } : parseCheckResult(e.result as string | undefined);
      checks.push({ time: e.timestamp, result, durationMs: Math.max(0, e.timestamp.getTime() - origin.time.getTime()), ...(failed ? { failed: true } : {}) });
    }
  }
  checks.sort((a, b) => a.time.getTime() - b.time.getTime());
  for (let i = 1; i < checks.length; i++) {
    checks[i]!.secondsSincePrevious = (checks[i]!.time.getTime() - checks[i - 1]!.time.getTime()) / 1000;
  }
  return { events: items, checks };
}
