import { describe, expect, it } from "vitest";
import { applies, selectionOf } from "../../src/ui/applies.js";
import { createDashboardStore, reduce, INITIAL_STATE, type DashboardState } from "../../src/ui/state/store.js";
import {
  scrollWindow,
  selectCounts,
  STATUS_FILTERS,
  selectSelected,
  selectVisible,
  visibleMonitors,
} from "../../src/ui/state/selectors.js";
import { displayStatus } from "../../src/ui/state/status.js";
import { snap } from "./fixtures.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");

function stateWith(...snaps: ReturnType<typeof snap>[]): DashboardState {
  return reduce({ ...INITIAL_STATE, now: NOW }, { type: "watch", event: { type: "snapshots", upserted: snaps, removed: [], initial: true } });
}

const ids = (s: DashboardState) => selectVisible(s).map((m) => m.instanceId);

describe("dashboard store", () => {
  it("the initial watch event replaces everything and does not ring the bell", () => {
    const s = stateWith(snap({ id: "a", now: NOW }), snap({ id: "b", runtimeStatus: "Completed", finalStatus: "ConditionMet", now: NOW }));
    expect(s.loaded).toBe(true);
    expect(s.monitors.size).toBe(2);
    expect(s.bells).toBe(0);
    expect(s.highlighted.size).toBe(0);
  });

  it("rings once and highlights when a monitor meets its condition or fails, not again on later updates", () => {
    let s = stateWith(snap({ id: "a", now: NOW }), snap({ id: "b", now: NOW }));
    const met = snap({ id: "a", runtimeStatus: "Completed", finalStatus: "ConditionMet", now: NOW });
    s = reduce(s, { type: "watch", event: { type: "snapshots", upserted: [met], removed: [], initial: false } });
    expect(s.bells).toBe(1);
    expect([...s.highlighted]).toEqual(["a"]);
    s = reduce(s, { type: "watch", event: { type: "snapshots", upserted: [met], removed: [], initial: false } });
    expect(s.bells).toBe(1);
    const failed = snap({ id: "b", runtimeStatus: "Failed", now: NOW });
    s = reduce(s, { type: "watch", event: { type: "snapshots", upserted: [failed], removed: [], initial: false } });
    expect(s.bells).toBe(2);
    expect(s.highlighted.has("b")).toBe(true);
  });

  it("removes purged monitors from the table, the marks and the highlights", () => {
    let s = stateWith(snap({ id: "a", now: NOW }), snap({ id: "b", now: NOW }));
    s = reduce(s, { type: "select", instanceId: "a" });
    s = reduce(s, { type: "toggleMark" });
    expect(s.marked.has("a")).toBe(true);
    s = reduce(s, { type: "watch", event: { type: "snapshots", upserted: [], removed: ["a"], initial: false } });
    expect(s.monitors.has("a")).toBe(false);
    expect(s.marked.size).toBe(0);
    expect(selectSelected(s)?.instanceId).toBe("b");
  });

  it("moves the selection and clamps it at both ends", () => {
    let s = stateWith(...["a", "b", "c"].map((id, i) => snap({ id, ageSeconds: 10 + i, now: NOW })));
    s = reduce(s, { type: "cycleSort" }); // status
    s = reduce(s, { type: "cycleSort" }); // started: newest first → a, b, c
    expect(ids(s)).toEqual(["a", "b", "c"]);
    expect(selectSelected(s)?.instanceId).toBe("a");
    s = reduce(s, { type: "move", to: "up" });
    expect(selectSelected(s)?.instanceId).toBe("a");
    s = reduce(s, { type: "move", to: "down" });
    expect(selectSelected(s)?.instanceId).toBe("b");
    s = reduce(s, { type: "move", to: "last" });
    expect(selectSelected(s)?.instanceId).toBe("c");
    s = reduce(s, { type: "move", to: "down" });
    expect(selectSelected(s)?.instanceId).toBe("c");
    s = reduce(s, { type: "move", to: "first" });
    expect(selectSelected(s)?.instanceId).toBe("a");
    s = reduce(s, { type: "move", to: "pageDown", page: 10 });
    expect(selectSelected(s)?.instanceId).toBe("c");
  });

  it("filters by text (job id, kind, target, status) and keeps the selection on a visible row", () => {
    let s = stateWith(
      snap({ id: "build-1", now: NOW }),
      snap({ id: "deploy-2", kind: "http", now: NOW }),
      snap({ id: "build-3", runtimeStatus: "Terminated", now: NOW }),
    );
    s = reduce(s, { type: "select", instanceId: "deploy-2" });
    s = reduce(s, { type: "setFilterText", text: "BUILD" });
    expect(ids(s).sort()).toEqual(["build-1", "build-3"]);
    expect(["build-1", "build-3"]).toContain(selectSelected(s)?.instanceId);
    s = reduce(s, { type: "setFilterText", text: "jobs.example.com" });
    expect(ids(s)).toEqual(["deploy-2"]);
    s = reduce(s, { type: "setFilterText", text: "terminated" });
    expect(ids(s)).toEqual(["build-3"]);
    s = reduce(s, { type: "setFilterText", text: "nothing-matches" });
    expect(ids(s)).toEqual([]);
    expect(selectSelected(s)).toBeUndefined();
  });

  it("cycles the status filter through all → active → each status → all", () => {
    let s = stateWith(
      snap({ id: "run", now: NOW }),
      snap({ id: "sus", runtimeStatus: "Suspended", now: NOW }),
      snap({ id: "done", runtimeStatus: "Completed", finalStatus: "Completed", now: NOW }),
      snap({ id: "late", runtimeStatus: "Completed", finalStatus: "Timeout", now: NOW }),
    );
    const seen: string[][] = [];
    for (let i = 0; i < STATUS_FILTERS.length; i++) {
      seen.push([s.statusFilter, ...ids(s).sort()]);
      s = reduce(s, { type: "cycleStatusFilter" });
    }
    expect(s.statusFilter).toBe("all");
    expect(seen).toContainEqual(["active", "run", "sus"]);
    expect(seen).toContainEqual(["Running", "run"]);
    expect(seen).toContainEqual(["TimedOut", "late"]);
    expect(seen).toContainEqual(["Completed", "done"]);
  });

  it("sorts by time left (active first, soonest deadline first), by status, and by start time", () => {
    const monitors = [
      snap({ id: "far", ageSeconds: 5, timeoutSeconds: 600, now: NOW }),
      snap({ id: "soon", ageSeconds: 50, timeoutSeconds: 60, now: NOW }),
      snap({ id: "done", ageSeconds: 1, runtimeStatus: "Completed", finalStatus: "Completed", now: NOW }),
      snap({ id: "failed", ageSeconds: 100, runtimeStatus: "Failed", now: NOW }),
    ];
    expect(visibleMonitors(monitors, "", "all", "timeLeft").map((m) => m.instanceId)).toEqual(["soon", "far", "done", "failed"]);
    expect(visibleMonitors(monitors, "", "all", "status").map((m) => m.instanceId)).toEqual(["far", "soon", "failed", "done"]);
    expect(visibleMonitors(monitors, "", "all", "started").map((m) => m.instanceId)).toEqual(["done", "far", "soon", "failed"]);
  });

  it("batch targets are the marked rows, else the selected one", () => {
    let s = stateWith(snap({ id: "a", now: NOW }), snap({ id: "b", now: NOW }), snap({ id: "c", now: NOW }));
    s = reduce(s, { type: "select", instanceId: "b" });
    const targets = () => {
      const verdict = applies("monitor.terminate", selectionOf(s, false));
      return verdict.ok ? verdict.ids.sort() : [];
    };
    expect(targets()).toEqual(["b"]);
    s = reduce(s, { type: "toggleMark" });
    s = reduce(s, { type: "select", instanceId: "c" });
    s = reduce(s, { type: "toggleMark" });
    expect(targets()).toEqual(["b", "c"]);
    s = reduce(s, { type: "toggleMark" });
    expect(targets()).toEqual(["b"]);
    s = reduce(s, { type: "clearMarks" });
    expect(s.marked.size).toBe(0);
  });

  it("counts by display status (pending apart from running; timed out and job failures apart from completed)", () => {
    const s = stateWith(
      snap({ id: "1", now: NOW }),
      snap({ id: "2", runtimeStatus: "Pending", now: NOW }),
      snap({ id: "3", runtimeStatus: "Suspended", now: NOW }),
      snap({ id: "4", runtimeStatus: "Completed", finalStatus: "Completed", now: NOW }),
      snap({ id: "5", runtimeStatus: "Completed", finalStatus: "Timeout", now: NOW }),
      snap({ id: "6", runtimeStatus: "Completed", finalStatus: "Failed", now: NOW }),
      snap({ id: "7", runtimeStatus: "Terminated", now: NOW }),
    );
    expect(selectCounts(s)).toEqual({
      Running: 1, Queued: 0, Pending: 1, Suspended: 1, Completed: 1, Met: 0, Failed: 1, TimedOut: 1, Terminated: 1, total: 7,
    });
    expect(displayStatus(s.monitors.get("6")!)).toBe("Failed");
  });

  it("keeps connection and worker state, and the clock only changes when it moves", () => {
    let s: DashboardState = { ...INITIAL_STATE, now: NOW };
    s = reduce(s, { type: "watch", event: { type: "connection", status: { state: "disconnected", lastError: "ECONNREFUSED" } } });
    s = reduce(s, { type: "watch", event: { type: "worker", state: "error", error: "boom" } });
    expect(s.connection.lastError).toBe("ECONNREFUSED");
    expect(s.worker).toEqual({ state: "error", error: "boom" });
    expect(reduce(s, { type: "tick", now: NOW })).toBe(s);
    expect(reduce(s, { type: "tick", now: NOW + 1000 }).now).toBe(NOW + 1000);
  });

  it("selects a just-started instance as soon as the feed brings it", () => {
    let s = stateWith(snap({ id: "a", now: NOW }));
    s = reduce(s, { type: "selectWhenSeen", instanceId: "new" });
    expect(selectSelected(s)?.instanceId).toBe("a");
    s = reduce(s, { type: "watch", event: { type: "snapshots", upserted: [snap({ id: "new", now: NOW })], removed: [], initial: false } });
    expect(selectSelected(s)?.instanceId).toBe("new");
    expect(s.pendingSelectId).toBeUndefined();
  });

  it("screens open and close; the factory gives a fresh store each time", () => {
    const a = createDashboardStore({ now: NOW });
    const b = createDashboardStore({ now: NOW });
    a.getState().dispatch({ type: "open", screen: { name: "help" } });
    expect(a.getState().screen.name).toBe("help");
    expect(b.getState().screen.name).toBe("table");
    a.getState().dispatch({ type: "close" });
    expect(a.getState().screen.name).toBe("table");
  });

  it("selectors memoize per store: two stores in one process never evict each other's rows or counts", () => {
    const load = (ids: string[]) => {
      const store = createDashboardStore({ now: NOW });
      store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted: ids.map((id) => snap({ id, now: NOW })), removed: [], initial: true } });
      return store.getState();
    };
    const a = load(["a1", "a2"]);
    const b = load(["b1"]);
    const rowsA = selectVisible(a);
    const countsA = selectCounts(a);
    expect(selectVisible(b).map((m) => m.instanceId)).toEqual(["b1"]);
    selectCounts(b);
    expect(selectVisible(a)).toBe(rowsA);
    expect(selectCounts(a)).toBe(countsA);
  });

  it("scrolls the window as little as possible to keep the selection visible", () => {
    expect(scrollWindow(0, 0, 10, 5)).toBe(0);
    expect(scrollWindow(9, 0, 10, 100)).toBe(0);
    expect(scrollWindow(10, 0, 10, 100)).toBe(1);
    expect(scrollWindow(50, 1, 10, 100)).toBe(41);
    expect(scrollWindow(45, 41, 10, 100)).toBe(41);
    expect(scrollWindow(40, 41, 10, 100)).toBe(40);
    expect(scrollWindow(99, 0, 10, 100)).toBe(90);
    expect(scrollWindow(3, 95, 10, 20)).toBe(3);
  });
});
