/** The header says "connected" only while the last refresh succeeded and our worker (if we run one) is polling. */
import { afterEach, describe, expect, it } from "vitest";
import { renderDashboard, type DashboardHarness } from "../helpers/render.js";

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

describe("header connection state", () => {
  it("a reachable hub with a worker that is not polling is not shown as connected, until the worker is back", async () => {
    h = renderDashboard({ columns: 120, rows: 20, state: { worker: { state: "starting" } } });
    const { dispatch } = h.store.getState();
    dispatch({ type: "watch", event: { type: "connection", status: { state: "connected" } } });
    dispatch({ type: "watch", event: { type: "worker", state: "error", error: "connect ECONNREFUSED 127.0.0.1:40123" } });
    const stale = await h.waitFor("worker not polling");
    expect(stale).toContain("◐ connected, worker not polling");
    expect(stale).not.toContain("● connected");
    dispatch({ type: "watch", event: { type: "worker", state: "running" } });
    expect(await h.waitFor("● connected")).not.toContain("not polling");
  });
});
