/**
 * The dashboard's state: a vanilla zustand store made by a factory (a fresh one per app and per test),
 * changed only through `dispatch(action)`, whose reducer is pure and exhaustive.
 * The engine adapter writes watch events through it; components read it with selectors.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type { MonitorKind } from "../../engine/monitor/spec.js";
import type { ConnectionStatus, MonitorSnapshot, WatchEvent, WorkerState } from "../../engine/types.js";
import type { DisplayStatus } from "./status.js";
import { isAlarming } from "./status.js";
import { nextSort, nextStatusFilter, selectSelectedIndex, selectVisible } from "./selectors.js";

export type SortKey = "timeLeft" | "status" | "started";
export type StatusFilter = "all" | "active" | DisplayStatus;

/** What fills the screen (or the dialog over the table). */
export type Screen =
  | { name: "table" }
  | { name: "details"; instanceId: string }
  /** The new-monitor form: first its kind picker, then (with `kind` set) that kind's fields. */
  | { name: "form"; kind?: MonitorKind }
  | { name: "presets" }
  | { name: "help" }
  | { name: "filter" }
  | { name: "confirmTerminate"; ids: string[] }
  | { name: "confirmPurge"; ids: string[] }
  | { name: "confirmRestart"; instanceId: string }
  | { name: "setInterval"; instanceId: string }
  /** Raise an event: first its name, then (with `eventName` set) its JSON payload. */
  | { name: "raiseEvent"; instanceId: string; eventName?: string };

interface ActionResult {
  kind: "ok" | "error" | "info";
  text: string;
}

export interface DashboardState {
  monitors: ReadonlyMap<string, MonitorSnapshot>;
  /** True once the first (initial) watch event arrived. */
  loaded: boolean;
  connection: ConnectionStatus;
  worker: { state: WorkerState; error?: string };
  /** The shared clock (ms since epoch), advanced once a second: countdowns read it instead of owning timers. */
  now: number;
  selectedId?: string;
  filterText: string;
  statusFilter: StatusFilter;
  sort: SortKey;
  marked: ReadonlySet<string>;
  /** Monitors that met their condition or failed while we watched. */
  highlighted: ReadonlySet<string>;
  /** Incremented once per monitor that starts alarming: the app rings the bell when it changes. */
  bells: number;
  screen: Screen;
  lastResult?: ActionResult;
  /** A just-started instance to select as soon as the watch feed brings it. */
  pendingSelectId?: string;
}

type MoveTarget = "up" | "down" | "first" | "last" | "pageUp" | "pageDown";

type DashboardAction =
  | { type: "watch"; event: WatchEvent }
  | { type: "tick"; now: number }
  | { type: "move"; to: MoveTarget; page?: number }
  | { type: "select"; instanceId: string }
  | { type: "selectWhenSeen"; instanceId: string }
  | { type: "setFilterText"; text: string }
  | { type: "cycleStatusFilter" }
  | { type: "cycleSort" }
  | { type: "toggleMark" }
  | { type: "clearMarks" }
  | { type: "open"; screen: Screen }
  | { type: "close" }
  | { type: "result"; result: ActionResult };

export const INITIAL_STATE: DashboardState = {
  monitors: new Map(),
  loaded: false,
  connection: { state: "connecting" },
  worker: { state: "none" },
  now: 0,
  filterText: "",
  statusFilter: "all",
  sort: "timeLeft",
  marked: new Set(),
  highlighted: new Set(),
  bells: 0,
  screen: { name: "table" },
};

function applySnapshots(state: DashboardState, event: Extract<WatchEvent, { type: "snapshots" }>): DashboardState {
  const monitors = new Map(event.initial ? [] : state.monitors);
  let highlighted: Set<string> | undefined;
  let bells = state.bells;
  for (const snap of event.upserted) {
    const prev = state.monitors.get(snap.instanceId);
    monitors.set(snap.instanceId, snap);
    if (!event.initial && isAlarming(snap) && !(prev && isAlarming(prev))) {
      highlighted ??= new Set(state.highlighted);
      highlighted.add(snap.instanceId);
      bells++;
    }
  }
  let marked: Set<string> | undefined;
  for (const id of event.removed) {
    monitors.delete(id);
    if (state.marked.has(id)) (marked ??= new Set(state.marked)).delete(id);
    if (state.highlighted.has(id)) (highlighted ??= new Set(state.highlighted)).delete(id);
  }
  if (event.initial) {
    marked = new Set([...state.marked].filter((id) => monitors.has(id)));
  }
  const pending = state.pendingSelectId !== undefined && monitors.has(state.pendingSelectId);
  return {
    ...state,
    ...(pending ? { selectedId: state.pendingSelectId, pendingSelectId: undefined } : {}),
    monitors,
    loaded: true,
    bells,
    marked: marked ?? state.marked,
    highlighted: highlighted ?? state.highlighted,
  };
}

function move(state: DashboardState, to: MoveTarget, page = 10): DashboardState {
  const rows = selectVisible(state);
  if (rows.length === 0) return state;
  const i = selectSelectedIndex(state);
  const last = rows.length - 1;
  let j: number;
  switch (to) {
    case "up":
      j = i - 1;
      break;
    case "down":
      j = i + 1;
      break;
    case "first":
      j = 0;
      break;
    case "last":
      j = last;
      break;
    case "pageUp":
      j = i - Math.max(1, page);
      break;
    case "pageDown":
      j = i + Math.max(1, page);
      break;
  }
  j = Math.min(last, Math.max(0, j));
  return { ...state, selectedId: rows[j]!.instanceId };
}

/** Keeps the selection on the same row index when the selected row leaves the view (filter, purge). */
function keepSelection(before: DashboardState, after: DashboardState): DashboardState {
  if (after.selectedId === undefined) return after;
  const rows = selectVisible(after);
  if (rows.some((m) => m.instanceId === after.selectedId)) return after;
  if (rows.length === 0) return { ...after, selectedId: undefined };
  const i = Math.min(Math.max(0, selectSelectedIndex(before)), rows.length - 1);
  return { ...after, selectedId: rows[i]!.instanceId };
}

function reduceWatch(state: DashboardState, event: WatchEvent): DashboardState {
  switch (event.type) {
    case "snapshots":
      return keepSelection(state, applySnapshots(state, event));
    case "connection":
      return { ...state, connection: event.status };
    case "worker":
      return { ...state, worker: { state: event.state, error: event.error } };
  }
}

/** The pure reducer: every state change of the dashboard. */
export function reduce(state: DashboardState, action: DashboardAction): DashboardState {
  switch (action.type) {
    case "watch":
      return reduceWatch(state, action.event);
    case "tick":
      return action.now === state.now ? state : { ...state, now: action.now };
    case "move":
      return move(state, action.to, action.page);
    case "select":
      return state.monitors.has(action.instanceId) ? { ...state, selectedId: action.instanceId } : state;
    case "selectWhenSeen":
      return state.monitors.has(action.instanceId)
        ? { ...state, selectedId: action.instanceId, pendingSelectId: undefined }
        : { ...state, pendingSelectId: action.instanceId };
    case "setFilterText":
      return keepSelection(state, { ...state, filterText: action.text });
    case "cycleStatusFilter":
      return keepSelection(state, { ...state, statusFilter: nextStatusFilter(state.statusFilter) });
    case "cycleSort":
      return { ...state, sort: nextSort(state.sort) };
    case "toggleMark": {
      const i = selectSelectedIndex(state);
      if (i < 0) return state;
      const id = selectVisible(state)[i]!.instanceId;
      const marked = new Set(state.marked);
      if (marked.has(id)) marked.delete(id);
      else marked.add(id);
      return { ...state, marked, selectedId: id };
    }
    case "clearMarks":
      return state.marked.size ? { ...state, marked: new Set() } : state;
    case "open":
      return { ...state, screen: action.screen };
    case "close":
      return state.screen.name === "table" ? state : { ...state, screen: { name: "table" } };
    case "result":
      return { ...state, lastResult: action.result };
  }
}

export interface DashboardStore extends DashboardState {
  dispatch(action: DashboardAction): void;
}

export type DashboardStoreApi = StoreApi<DashboardStore>;

/** A fresh store; `init` overrides parts of the initial state (tests, and the app's first clock reading). */
export function createDashboardStore(init: Partial<DashboardState> = {}): DashboardStoreApi {
  return createStore<DashboardStore>()((set) => ({
    ...INITIAL_STATE,
    now: Date.now(),
    ...init,
    dispatch: (action) => set((s) => reduce(s, action)),
  }));
}
