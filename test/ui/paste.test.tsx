/**
 * Bracketed paste through the one keypress pipeline: pasted text is text inside a text field and never acts as keys
 * anywhere else (issue 10: a paste of "hello there\n" into the table used to terminate the selected monitor).
 */
import { afterEach, describe, expect, it } from "vitest";
import { KEY, renderDashboard, type DashboardHarness } from "../helpers/render.js";
import { snap } from "./fixtures.js";

const paste = (text: string) => `\u001B[200~${text}\u001B[201~`;

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

async function dashboardWithTwoMonitors(): Promise<DashboardHarness> {
  const harness = renderDashboard({ columns: 120, rows: 30 });
  const dispatch = harness.store.getState().dispatch;
  dispatch({ type: "watch", event: { type: "snapshots", upserted: [snap({ id: "job-a" }), snap({ id: "job-b" })], removed: [], initial: true } });
  dispatch({ type: "watch", event: { type: "connection", status: { state: "connected" } } });
  await harness.waitFor("job-b");
  return harness;
}

describe("pasted text", () => {
  it("into the table: t + text + Enter opens nothing and terminates nothing; a note says it was ignored", async () => {
    h = await dashboardWithTwoMonitors();
    const before = h.store.getState().selectedId;
    await h.press(paste("there\n"));
    await h.waitFor("Pasted text ignored");
    const state = h.store.getState();
    expect(state.screen.name).toBe("table");
    expect(state.selectedId).toBe(before);
    expect(state.marked.size).toBe(0);
    expect(h.lastFrame()).not.toMatch(/Terminate|Could not terminate/);
    // Keys typed after the paste still act as keys.
    await h.press("j");
    await h.waitFor(() => h!.store.getState().selectedId !== before);
  });

  it("into the filter prompt: it is the text, and its line break does not confirm", async () => {
    h = await dashboardWithTwoMonitors();
    await h.press("/");
    await h.waitFor("Filter:");
    await h.press(paste("job-b\n"));
    await h.waitFor((f) => f.includes("Filter: job-b") && !f.includes("job-a"));
    expect(h.store.getState()).toMatchObject({ filterText: "job-b", screen: { name: "filter" } });
    await h.press(KEY.enter);
    await h.waitFor((f) => !f.includes("Filter:"));
    expect(h.store.getState().screen.name).toBe("table");
  });

  it("into the new-monitor form: text in the focused field; on the kind list, ignored", async () => {
    h = await dashboardWithTwoMonitors();
    await h.press("n");
    await h.waitFor("choose a kind");
    await h.press(paste("\r\r"));
    await h.waitFor("Pasted text ignored");
    expect(h.lastFrame()).toContain("choose a kind");
    await h.press(KEY.enter);
    await h.waitFor("New simulated monitor");
    await h.press(KEY.backspace, KEY.backspace);
    await h.press(paste("42\n"));
    await h.waitFor(/job duration \(s\)\s+42▏/);
    expect(h.store.getState().screen.name).toBe("form");
    expect(h.lastFrame()).not.toContain("Could not start");
  });
});
