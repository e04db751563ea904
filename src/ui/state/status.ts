/**
 * What the dashboard calls a monitor's status: the runtime status refined by the monitor's output
 * (a completed orchestration whose job failed is "Failed"; one that hit its deadline is "TimedOut").
 */
import type { MonitorSnapshot } from "../../engine/types.js";

export type DisplayStatus =
  | "Pending"
  | "Running"
  | "Suspended"
  | "Completed"
  | "ConditionMet"
  | "Failed"
  | "TimedOut"
  | "Terminated";

export const DISPLAY_STATUSES: readonly DisplayStatus[] = [
  "Running",
  "Pending",
  "Suspended",
  "Failed",
  "TimedOut",
  "ConditionMet",
  "Completed",
  "Terminated",
];

export function displayStatus(s: MonitorSnapshot): DisplayStatus {
  switch (s.runtimeStatus) {
    case "Pending":
      return "Pending";
    case "Running":
    case "ContinuedAsNew":
      return "Running";
    case "Suspended":
      return "Suspended";
    case "Failed":
      return "Failed";
    case "Terminated":
      return "Terminated";
    case "Completed":
      switch (s.output?.finalStatus) {
        case "Timeout":
          return "TimedOut";
        case "Failed":
          return "Failed";
        case "ConditionMet":
          return "ConditionMet";
        default:
          return "Completed";
      }
  }
}

/** Still running (or waiting to): the time-left and next-check columns apply. */
export function isActive(status: DisplayStatus): boolean {
  return status === "Running" || status === "Pending" || status === "Suspended";
}

/** Purge applies only to these. */
export function isTerminal(s: MonitorSnapshot): boolean {
  return s.runtimeStatus === "Completed" || s.runtimeStatus === "Failed" || s.runtimeStatus === "Terminated";
}

/** The monitor met its condition or failed: the row is highlighted and the bell rings once. */
export function isAlarming(s: MonitorSnapshot): boolean {
  if (s.customStatus?.alerted) return true;
  const status = displayStatus(s);
  return status === "ConditionMet" || status === "Failed";
}

/** The header's counts. */
export interface StatusCounts {
  running: number;
  suspended: number;
  completed: number;
  failed: number;
  timedOut: number;
  terminated: number;
  total: number;
}

export function countStatuses(monitors: Iterable<MonitorSnapshot>): StatusCounts {
  const c: StatusCounts = { running: 0, suspended: 0, completed: 0, failed: 0, timedOut: 0, terminated: 0, total: 0 };
  for (const m of monitors) {
    c.total++;
    switch (displayStatus(m)) {
      case "Pending":
      case "Running":
        c.running++;
        break;
      case "Suspended":
        c.suspended++;
        break;
      case "Completed":
      case "ConditionMet":
        c.completed++;
        break;
      case "Failed":
        c.failed++;
        break;
      case "TimedOut":
        c.timedOut++;
        break;
      case "Terminated":
        c.terminated++;
        break;
    }
  }
  return c;
}
