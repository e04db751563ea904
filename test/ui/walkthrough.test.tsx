/**
 * What a new user's walk-through found (issue 10), on the real engine (embedded hub, SDK worker and client):
 * Esc pressed right before another key is Esc then that key (Ink reads ESC + key as Alt+key); the RECENT column is
 * there at 120 columns; two runs of one job (a monitor and its restart) are told apart in the table.
 */
import { describe, expect, it } from "vitest";
import { instanceTags } from "../../src/ui/state/instance-tags.js";
import { KEY, renderDashboard } from "../helpers/render.js";
import { useEngineFixture } from "../helpers/ui-engine.js";
import { snap } from "./fixtures.js";

const fx = useEngineFixture("dmt-walkthrough-");
const render = (columns: number) => fx.track(renderDashboard({ engine: fx.engine, columns, rows: 30 }));

/** The table rows of a job (rows start with a 4-cell gutter). */
const rowsOf = (frame: string, jobId: string) => frame.split("\n").filter((l) => l.slice(4).startsWith(`${jobId} `));
const titles = (frame: string) => frame.split("\n").find((l) => /^\s+JOB\s/.test(l)) ?? "";

describe("Esc followed at once by a key", () => {
  it("in one read (ESC + key, which Ink reads as Alt+key): Esc, then the key", async () => {
    const h = render(120);
    await h.waitFor("worker running");
    await h.press("?");
    await h.waitFor((f) => h.store.getState().screen.name === "help" && f.includes("Navigation"));
    h.stdin.write("\u001Bn"); // Esc closes help, n opens the new-monitor form
    await h.waitFor("choose a kind");
    h.stdin.write("\u001B/"); // Esc cancels the form, / opens the filter
    await h.waitFor("Filter:");
    h.stdin.write("\u001B\u001B[B"); // Esc closes the filter, then ↓ (a sequence after the ESC)
    await h.waitFor(() => h.store.getState().screen.name === "table");
  });

  it("in two reads, the second within Ink's escape timeout: still Esc, then the key", async () => {
    const h = render(120);
    await h.waitFor("worker running");
    await h.press("/");
    await h.waitFor("Filter:");
    h.stdin.write("\u001B");
    h.stdin.write("?");
    await h.waitFor(() => h.store.getState().screen.name === "help");
    expect(h.store.getState().filterText).toBe("");
  });
});

describe("the table at 120 columns", () => {
  it("keeps RECENT (and every other column), with a running monitor's points in it", async () => {
    const id = await fx.engine.start({ kind: "simulated", target: { durationSeconds: 120 }, jobId: "wide-120", pollingIntervalSeconds: 1, timeoutSeconds: 300 });
    const h = render(120);
    const frame = await h.waitFor((f) => rowsOf(f, "wide-120").some((r) => /[▁▂▃▄▅▆▇█·]{2,}\s*$/.test(r)));
    expect(titles(frame)).toMatch(/JOB\s+KIND \/ TARGET\s+STATUS\s+PROGRESS\s+CHECKS\s+LAST\s+NEXT\s+TIME LEFT\s+RECENT/);
    for (const l of frame.split("\n")) expect([...l].length, l).toBeLessThanOrEqual(120);
    await fx.engine.terminate(id);
  });
});

describe("two runs of one job", () => {
  it("a restarted monitor and the run it came from each show a short instance tag", async () => {
    const first = await fx.engine.start({ kind: "simulated", target: { durationSeconds: 1 }, jobId: "twin", pollingIntervalSeconds: 0.5, timeoutSeconds: 30 });
    const h = render(120);
    await h.waitFor((f) => rowsOf(f, "twin").some((r) => r.includes("✓ Completed")));
    await h.press("/");
    await h.type("twin");
    await h.press(KEY.enter);
    await h.press("r");
    await h.waitFor("Restart twin?");
    await h.press("y");
    const frame = await h.waitFor((f) => rowsOf(f, "twin").length === 2 && /Restarted twin as /.test(f), 20_000);
    const second = /Restarted twin as (\S+)/.exec(frame)![1]!;
    const rows = rowsOf(frame, "twin");
    expect(rows.some((r) => r.slice(4).startsWith(`twin #${first.slice(0, 4)}`))).toBe(true);
    expect(rows.some((r) => r.slice(4).startsWith(`twin #${second.slice(0, 4)}`))).toBe(true);
  });

  it("tags are as long as it takes to differ; a job id of its own gets none", () => {
    const tags = instanceTags([snap({ id: "nightly-aa1", jobId: "nightly" }), snap({ id: "nightly-ab2", jobId: "nightly" }), snap({ id: "solo" })]);
    expect([...tags]).toEqual([
      ["nightly-aa1", "#nightly-aa"],
      ["nightly-ab2", "#nightly-ab"],
    ]);
  });
});
