import { describe, expect, it } from "vitest";
import { INITIAL_STATE, reduce, type DashboardState } from "../../src/ui/state/store.js";
import { selectVisible } from "../../src/ui/state/selectors.js";
import { snap } from "./fixtures.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");

function loaded(count: number): DashboardState {
  // Deadlines spread out: monitor i was created i seconds ago with a 1-hour timeout, so the oldest is due first.
  const upserted = Array.from({ length: count }, (_, i) => snap({ id: `m${i}`, ageSeconds: i, timeoutSeconds: 3600, now: NOW }));
  return reduce({ ...INITIAL_STATE, now: NOW }, { type: "watch", event: { type: "snapshots", upserted, removed: [], initial: true } });
}

describe("the visible rows of a big table (sort keys worked out once per snapshot)", () => {
  it("sorts 10,000 rows by time left, and a changed monitor (a new snapshot) takes its new place", () => {
    let state = loaded(10_000);
    const rows = selectVisible(state);
    expect(rows).toHaveLength(10_000);
    expect(rows[0]!.instanceId).toBe("m9999");
    expect(rows.at(-1)!.instanceId).toBe("m0");

    // m0 (due last) finishes: finished rows go after the active ones.
    const done = snap({ id: "m0", ageSeconds: 0, timeoutSeconds: 3600, now: NOW, runtimeStatus: "Completed", finalStatus: "Completed" });
    // m5000 gets the earliest deadline of all: first now.
    const urgent = snap({ id: "m5000", ageSeconds: 20_000, timeoutSeconds: 1, now: NOW });
    state = reduce(state, { type: "watch", event: { type: "snapshots", upserted: [done, urgent], removed: ["m1"], initial: false } });
    const after = selectVisible(state);
    expect(after).toHaveLength(9_999);
    expect(after[0]!.instanceId).toBe("m5000");
    expect(after.at(-1)!.instanceId).toBe("m0");
    expect(after.some((m) => m.instanceId === "m1")).toBe(false);
    // Same state, same array: the memo holds.
    expect(selectVisible(state)).toBe(after);
  });

  it("filters by status and sorts by status then newest first", () => {
    let state = loaded(20);
    const failed = snap({ id: "m3", ageSeconds: 3, now: NOW, runtimeStatus: "Failed" });
    state = reduce(state, { type: "watch", event: { type: "snapshots", upserted: [failed], removed: [], initial: false } });
    state = reduce(state, { type: "cycleSort" });
    state = reduce(state, { type: "cycleSort" });
    expect(state.sort).toBe("started");
    expect(selectVisible(state).map((m) => m.instanceId).slice(0, 3)).toEqual(["m0", "m1", "m2"]);
    state = { ...state, statusFilter: "Failed" };
    expect(selectVisible(state).map((m) => m.instanceId)).toEqual(["m3"]);
  });
});
