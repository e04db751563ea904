/**
 * Pure selectors over the dashboard state: the visible (filtered, sorted) rows, the selection, counts.
 * `selectVisible` is memoized on its inputs so one refresh costs one filter + sort, however many components ask.
 */
import type { MonitorSnapshot } from "../../engine/types.js";
import { jobLabel, kindLabel, targetSummary } from "../format.js";
import { DISPLAY_STATUS_INFO } from "../../engine/display-status.js";
import type { DashboardState, SortKey, StatusFilter } from "./store.js";
import { DISPLAY_STATUSES, countStatuses, displayStatus, isActive, type DisplayStatus, type StatusCounts } from "./status.js";

const SORT_KEYS: readonly SortKey[] = ["timeLeft", "status", "started"];
export const SORT_LABELS: Record<SortKey, string> = { timeLeft: "time left", status: "status", started: "started" };

export const STATUS_FILTERS: readonly StatusFilter[] = [
  "all",
  "active",
  "Running",
  "Queued",
  "Pending",
  "Suspended",
  "Completed",
  "Met",
  "Failed",
  "TimedOut",
  "Terminated",
];

/** How the header and help name a filter: the display status's own word ("Timed out"), never a key. */
export function statusFilterLabel(filter: StatusFilter): string {
  return filter === "all" || filter === "active" ? filter : DISPLAY_STATUS_INFO[filter].word;
}

export function nextSort(sort: SortKey): SortKey {
  return SORT_KEYS[(SORT_KEYS.indexOf(sort) + 1) % SORT_KEYS.length]!;
}

export function nextStatusFilter(filter: StatusFilter): StatusFilter {
  return STATUS_FILTERS[(STATUS_FILTERS.indexOf(filter) + 1) % STATUS_FILTERS.length]!;
}

function matchesStatusFilter(status: DisplayStatus, filter: StatusFilter): boolean {
  if (filter === "all") return true;
  if (filter === "active") return isActive(status);
  return status === filter;
}

/** Case-insensitive match on the job id, instance id, orchestration name, kind, target and status (its word or its key). */
function matchesText(m: MonitorSnapshot, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  const status = DISPLAY_STATUS_INFO[displayStatus(m)];
  return [jobLabel(m), m.instanceId, m.name, kindLabel(m), targetSummary(m), status.word, status.key].some((h) => h.toLowerCase().includes(needle));
}

const STATUS_RANK = new Map(DISPLAY_STATUSES.map((s, i) => [s, i]));

/** What sorting and filtering read of a row, worked out once per snapshot (a changed monitor is a new snapshot). */
interface RowKeys {
  status: DisplayStatus;
  active: boolean;
  deadline: number;
  created: number;
}

interface Row {
  m: MonitorSnapshot;
  k: RowKeys;
}

// One Row per snapshot, kept with it: a refresh of 10,000 rows sorts them again without making 10,000 new ones.
const rowMemo = new WeakMap<MonitorSnapshot, Row>();

function rowOf(m: MonitorSnapshot): Row {
  let row = rowMemo.get(m);
  if (!row) {
    const status = displayStatus(m);
    row = { m, k: { status, active: isActive(status), deadline: deadlineMs(m), created: m.createdAt.getTime() } };
    rowMemo.set(m, row);
  }
  return row;
}

function deadlineMs(m: MonitorSnapshot): number {
  const d = m.customStatus?.deadline;
  if (d) return Date.parse(d);
  if (m.spec) return m.createdAt.getTime() + m.spec.timeoutSeconds * 1000;
  return Number.POSITIVE_INFINITY;
}

function compareBy(sort: SortKey): (a: Row, b: Row) => number {
  const newestFirst = (a: Row, b: Row) => b.k.created - a.k.created || (a.m.instanceId < b.m.instanceId ? -1 : a.m.instanceId > b.m.instanceId ? 1 : 0);
  switch (sort) {
    case "timeLeft":
      // Active monitors first, soonest deadline first; finished ones after, newest first.
      return (a, b) => {
        if (a.k.active !== b.k.active) return a.k.active ? -1 : 1;
        if (a.k.active) return a.k.deadline - b.k.deadline || newestFirst(a, b);
        return newestFirst(a, b);
      };
    case "status":
      return (a, b) => STATUS_RANK.get(a.k.status)! - STATUS_RANK.get(b.k.status)! || newestFirst(a, b);
    case "started":
      return newestFirst;
  }
}

/** Filters and sorts. Pure; not memoized (each row's sort keys are, per snapshot). */
export function visibleMonitors(
  monitors: Iterable<MonitorSnapshot>,
  filterText: string,
  statusFilter: StatusFilter,
  sort: SortKey,
): MonitorSnapshot[] {
  const rows: Row[] = [];
  for (const m of monitors) {
    const row = rowOf(m);
    if (matchesStatusFilter(row.k.status, statusFilter) && matchesText(m, filterText)) rows.push(row);
  }
  return rows.sort(compareBy(sort)).map((r) => r.m);
}

// Memo slots keyed by the store's own monitors map (a new map on every change): two stores never share a slot.
const visibleMemo = new WeakMap<DashboardState["monitors"], { filterText: string; statusFilter: StatusFilter; sort: SortKey; value: MonitorSnapshot[] }>();

/** The rows the table shows, in order. Same inputs → the same array (safe as a React dependency). */
export function selectVisible(state: DashboardState): MonitorSnapshot[] {
  const { monitors, filterText, statusFilter, sort } = state;
  const memo = visibleMemo.get(monitors);
  if (memo && memo.filterText === filterText && memo.statusFilter === statusFilter && memo.sort === sort) return memo.value;
  const value = visibleMonitors(monitors.values(), filterText, statusFilter, sort);
  visibleMemo.set(monitors, { filterText, statusFilter, sort, value });
  return value;
}

/** Index of the selected row in the visible rows (0 when the selection is gone; -1 when nothing is visible). */
export function selectSelectedIndex(state: DashboardState): number {
  const rows = selectVisible(state);
  if (rows.length === 0) return -1;
  const i = state.selectedId === undefined ? -1 : rows.findIndex((m) => m.instanceId === state.selectedId);
  return i < 0 ? 0 : i;
}

export function selectSelected(state: DashboardState): MonitorSnapshot | undefined {
  const i = selectSelectedIndex(state);
  return i < 0 ? undefined : selectVisible(state)[i];
}

const countsMemo = new WeakMap<DashboardState["monitors"], StatusCounts>();

export function selectCounts(state: DashboardState): StatusCounts {
  const memo = countsMemo.get(state.monitors);
  if (memo) return memo;
  const value = countStatuses(state.monitors.values(), (m) => rowOf(m).k.status);
  countsMemo.set(state.monitors, value);
  return value;
}

/**
 * The first row to draw so the selected one is visible, moving the window as little as possible from `previousTop`.
 * Pure: the table keeps `previousTop` between renders.
 */
export function scrollWindow(selectedIndex: number, previousTop: number, height: number, total: number): number {
  if (height <= 0 || total <= height) return 0;
  let top = Math.min(Math.max(0, previousTop), total - height);
  if (selectedIndex < top) top = selectedIndex;
  else if (selectedIndex >= top + height) top = selectedIndex - height + 1;
  return Math.max(0, Math.min(top, total - height));
}

/** The rows on screen, k9s style: `12–40 of 1,000` (1-based, inclusive); empty when there is nothing to show. */
export function listPosition(top: number, height: number, total: number): string {
  if (total <= 0) return "";
  const n = (x: number) => x.toLocaleString("en-US");
  return `${n(top + 1)}–${n(Math.min(total, top + height))} of ${n(total)}`;
}
