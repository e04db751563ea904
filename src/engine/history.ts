import { HistoryEventType as T, type FailureDetails, type HistoryEvent } from "@microsoft/durabletask-js";
import type { CheckRecord, CheckResult, CheckStatus, HistoryItem, MonitorHistory } from "./types.js";

const DETAIL_MAX = 160;

function short(text: string | undefined): string | undefined {
  if (text === undefined || text === "") return undefined;
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > DETAIL_MAX ? `${oneLine.slice(0, DETAIL_MAX - 1)}…` : oneLine;
}

function failureText(failure: FailureDetails | undefined): string | undefined {
  return failure?.message ? short(`${failure.errorType ? `${failure.errorType}: ` : ""}${failure.message}`) : undefined;
}

const fires = (at: Date | undefined) => (at instanceof Date ? `fires at ${at.toISOString()}` : undefined);

/** An event's name (when it has one) and a one-line detail: its failure, payload, fire time or final status. */
function describe(e: HistoryEvent): { name?: string; detail?: string } {
  switch (e.type) {
    case T.ExecutionStarted:
    case T.ExecutionRewound:
    case T.TaskScheduled:
    case T.SubOrchestrationInstanceCreated:
    case T.EventSent:
    case T.EventRaised:
      return { name: e.name || undefined, detail: short(e.input) };
    case T.ExecutionCompleted:
      return { detail: failureText(e.failureDetails) ?? short(e.result) ?? e.orchestrationStatus };
    case T.ExecutionTerminated:
    case T.ExecutionSuspended:
    case T.ExecutionResumed:
    case T.ContinueAsNew:
    case T.EntityOperationSignaled:
    case T.EntityOperationCalled:
      return { detail: short(e.input) };
    case T.TaskCompleted:
    case T.SubOrchestrationInstanceCompleted:
      return { detail: short(e.result) };
    case T.TaskFailed:
    case T.SubOrchestrationInstanceFailed:
    case T.EntityOperationFailed:
      return { detail: failureText(e.failureDetails) };
    case T.TimerCreated:
    case T.TimerFired:
      return { detail: fires(e.fireAt) };
    case T.GenericEvent:
      return { detail: short(e.data) };
    case T.OrchestratorStarted:
    case T.OrchestratorCompleted:
    case T.HistoryState:
    case T.EntityOperationCompleted:
    case T.EntityLockRequested:
    case T.EntityLockGranted:
    case T.EntityUnlockSent:
      return {};
    default: {
      // Compile time: an event type the SDK adds fails here until it is described above. Run time: shown bare.
      const unknown: never = e;
      void unknown;
      return {};
    }
  }
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
  for (const e of events) {
    const { name, detail } = describe(e);
    items.push({ eventId: e.eventId, type: String(e.type), timestamp: e.timestamp, name, detail });
    switch (e.type) {
      case T.TaskScheduled:
        if (e.name && isCheckActivity(e.name)) scheduled.set(e.eventId, { name: e.name, time: e.timestamp });
        break;
      case T.TaskCompleted:
      case T.TaskFailed: {
        const origin = scheduled.get(e.taskScheduledId);
        if (!origin) break;
        const failed = e.type === T.TaskFailed;
        const result: CheckResult = failed ? { status: "Unknown", message: e.failureDetails?.message ?? "the check failed" } : parseCheckResult(e.result);
        checks.push({ time: e.timestamp, result, durationMs: Math.max(0, e.timestamp.getTime() - origin.time.getTime()), ...(failed ? { failed: true } : {}) });
        break;
      }
    }
  }
  checks.sort((a, b) => a.time.getTime() - b.time.getTime());
  for (let i = 1; i < checks.length; i++) {
    checks[i]!.secondsSincePrevious = (checks[i]!.time.getTime() - checks[i - 1]!.time.getTime()) / 1000;
  }
  return { events: items, checks };
}
