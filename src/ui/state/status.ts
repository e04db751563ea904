/**
 * The dashboard's questions about a monitor's status. The vocabulary itself (and the mapping from runtime status
 * and monitor phase) is the engine's `display-status` module: the table, the filters and the CLI share it.
 */
import { DISPLAY_STATUSES, displayStatusOf, isLiveStatus, type DisplayStatus } from "../../engine/display-status.js";
import { isTerminal as isTerminalRuntime, type MonitorSnapshot } from "../../engine/types.js";

export { DISPLAY_STATUSES, type DisplayStatus };

export const displayStatus = displayStatusOf;

/** Still running (or waiting to): the time-left and next-check columns apply. */
export const isActive = isLiveStatus;

/** Purge applies only to these. */
export function isTerminal(s: MonitorSnapshot): boolean {
  return isTerminalRuntime(s.runtimeStatus);
}

/** The monitor met its condition or failed: the row is highlighted and the bell rings once. */
export function isAlarming(s: MonitorSnapshot): boolean {
  if (s.customStatus?.alerted) return true;
  const status = displayStatus(s);
  return status === "Met" || status === "Failed";
}

/** The header's counts: one per display status, and the total. */
export type StatusCounts = Record<DisplayStatus, number> & { total: number };

/** Counts by display status; `statusOf` may answer from a memo (the selectors keep one per snapshot). */
export function countStatuses(monitors: Iterable<MonitorSnapshot>, statusOf: (m: MonitorSnapshot) => DisplayStatus = displayStatus): StatusCounts {
  const c = Object.fromEntries([...DISPLAY_STATUSES.map((s) => [s, 0]), ["total", 0]]) as StatusCounts;
  for (const m of monitors) {
    c.total++;
    c[statusOf(m)]++;
  }
  return c;
}
