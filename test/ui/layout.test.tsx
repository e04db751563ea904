/**
 * The dashboard rendered from store state alone (no engine): layout at 80×24 and 160×50, virtualization,
 * help generated from the keymap, read-only refusal, filter/sort keys, the form's inline validation.
 */
import { afterEach, describe, expect, it } from "vitest";
import { KEY, renderDashboard, type DashboardHarness } from "../helpers/render.js";
import { helpSections } from "../../src/ui/keys.js";
import { snap } from "./fixtures.js";

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** The one clock of these tests: countdowns are exact, never a race with the wall clock. */
const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const clock = () => NOW;

function many(n: number) {
  return Array.from({ length: n }, (_, i) => snap({ id: `job-${String(i).padStart(3, "0")}`, ageSeconds: 100 + i, timeoutSeconds: 300 + i, now: NOW }));
}

function load(harness: DashboardHarness, snaps: ReturnType<typeof snap>[]) {
  harness.store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted: snaps, removed: [], initial: true } });
  harness.store.getState().dispatch({ type: "watch", event: { type: "connection", status: { state: "connected" } } });
}

const lines = (frame: string) => frame.split("\n");

describe("dashboard layout", () => {
  it("at 80×24: header, counts, the important columns only, rows that fit, footer", async () => {
    h = renderDashboard({ columns: 80, rows: 24, settings: { clock } });
    load(h, [
      ...many(30),
      snap({ id: "met-1", runtimeStatus: "Completed", finalStatus: "ConditionMet", alerted: true, now: NOW }),
      snap({ id: "late-1", runtimeStatus: "Completed", finalStatus: "Timeout", now: NOW }),
    ]);
    const frame = await h.waitFor("job-000");
    const ls = lines(frame);
    expect(ls.length).toBeLessThanOrEqual(24);
    for (const l of ls) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(frame).toContain("durable-monitor-tui  test");
    expect(frame).toContain("● connected");
    expect(frame).toMatch(/▶ 30  ‖ 0  ✓ 0  ★ 1  ✗ 0  ◷ 1  ■ 0/);
    expect(frame).toMatch(/JOB\s+STATUS\s+PROGRESS\s+CHECKS\s+NEXT\s+TIME LEFT/);
    expect(frame).not.toContain("RECENT");
    expect(frame).not.toContain("KIND / TARGET");
    expect(frame).toMatch(/▶ Running\s+█+/);
    expect(frame).toMatch(/40%/);
    expect(frame).toMatch(/in 3s/);
    // Only the rows that fit: 18 of 32.
    const rowCount = ls.filter((l) => /job-\d{3}|met-1|late-1/.test(l)).length;
    expect(rowCount).toBe(18);
    expect(frame).toMatch(/^›/m);
    expect(frame).toContain("n new");
  });

  it("at 160×50: every column, kind/target, sparkline, last check", async () => {
    h = renderDashboard({ columns: 160, rows: 50, settings: { clock } });
    load(h, [snap({ id: "build-7", kind: "simulated", now: NOW }), snap({ id: "deploy-9", kind: "http", now: NOW })]);
    const frame = await h.waitFor("deploy-9");
    for (const l of lines(frame)) expect([...l].length).toBeLessThanOrEqual(160);
    expect(frame).toMatch(/JOB\s+KIND \/ TARGET\s+STATUS\s+PROGRESS\s+CHECKS\s+LAST\s+NEXT\s+TIME LEFT\s+RECENT/);
    expect(frame).toContain("sim 20s");
    expect(frame).toContain("http jobs.example.com/api/jobs/42");
    expect(frame).toContain("▁▂▃▄");
    expect(frame).toMatch(/ 2s ago/);
    // http reports no progress: the indeterminate marker instead of a percent.
    expect(lines(frame).find((l) => l.includes("deploy-9"))).toMatch(/▒▒▒/);
  });

  it("the header shows reconnecting in Ns with the last error, and the worker's state", async () => {
    h = renderDashboard({ columns: 160, rows: 30, settings: { clock } });
    load(h, many(1));
    const nextRetryAt = new Date(NOW + 3500);
    h.store.getState().dispatch({ type: "watch", event: { type: "connection", status: { state: "disconnected", lastError: "connect ECONNREFUSED 127.0.0.1:4001", nextRetryAt } } });
    h.store.getState().dispatch({ type: "watch", event: { type: "worker", state: "error", error: "stream closed" } });
    const frame = await h.waitFor("reconnecting in");
    expect(frame).toMatch(/✗ reconnecting in 4s — connect ECONNREFUSED 127\.0\.0\.1:4001/);
    expect(frame).toContain("worker error — stream closed");
  });

  it("re-lays itself out on resize", async () => {
    h = renderDashboard({ columns: 160, rows: 50 });
    load(h, many(3));
    await h.waitFor("RECENT");
    h.resize(80, 24);
    const frame = await h.waitFor((f) => f.includes("job-000") && !f.includes("RECENT"));
    for (const l of lines(frame)) expect([...l].length).toBeLessThanOrEqual(80);
  });

  it("the selection scrolls the window (virtualized rows)", async () => {
    h = renderDashboard({ columns: 100, rows: 20 });
    load(h, many(100));
    await h.waitFor("job-000");
    await h.press("o", "o"); // sort: started (newest first: job-000 … job-099)
    await h.waitFor("sort started");
    await h.press("G");
    let frame = await h.waitFor("job-099");
    expect(frame).not.toContain("job-000");
    expect(lines(frame).find((l) => l.startsWith("›"))).toContain("job-099");
    await h.press("g");
    frame = await h.waitFor("job-000");
    await h.press(KEY.down, "j", KEY.down);
    frame = await h.waitFor((f) => lines(f).find((l) => l.startsWith("›"))?.includes("job-003") ?? false);
    await h.press(KEY.up);
    await h.waitFor((f) => lines(f).find((l) => l.startsWith("›"))?.includes("job-002") ?? false);
  });

  it("? lists every binding of the keymap, grouped by category, and the log file", async () => {
    h = renderDashboard({ columns: 160, rows: 50 });
    load(h, many(2));
    await h.waitFor("job-000");
    await h.press("?");
    const frame = await h.waitFor("Log file: /tmp/test/durable-monitor-tui.log");
    for (const section of helpSections()) {
      expect(frame).toContain(section.category);
      for (const e of section.entries) expect(frame, e.command).toContain(`${e.keys}`);
      for (const e of section.entries) expect(frame, e.command).toContain(e.description);
    }
    await h.press(KEY.escape);
    await h.waitFor((f) => !f.includes("Log file:") && f.includes("job-000"));
  });

  it("filters by text with / and cycles the status filter and the sort", async () => {
    h = renderDashboard({ columns: 120, rows: 30 });
    load(h, [
      snap({ id: "build-1" }),
      snap({ id: "deploy-2", runtimeStatus: "Suspended" }),
      snap({ id: "build-3", runtimeStatus: "Terminated" }),
    ]);
    await h.waitFor("deploy-2");
    await h.press("/");
    await h.waitFor("Filter:");
    await h.type("build");
    let frame = await h.waitFor((f) => !f.includes("deploy-2") && f.includes("build-1"));
    expect(frame).toContain("build-3");
    await h.press(KEY.enter);
    await h.waitFor("show all /build");
    await h.press("f"); // active
    frame = await h.waitFor("show active /build");
    expect(frame).toContain("build-1");
    expect(frame).not.toContain("build-3");
    await h.press(KEY.escape); // clears the text filter
    frame = await h.waitFor((f) => f.includes("show active ·") && f.includes("deploy-2"));
    expect(frame).not.toContain("build-3");
    await h.press("o");
    await h.waitFor("sort status");
    await h.press("o");
    await h.waitFor("sort started");
  });

  it("--readonly refuses action keys and says so", async () => {
    h = renderDashboard({ columns: 120, rows: 30, settings: { readonly: true } });
    load(h, many(2));
    await h.waitFor("job-000");
    expect(h.lastFrame()).toContain("[read-only]");
    for (const k of ["t", "n", "s", "x", "c"]) {
      await h.press(k);
      await h.waitFor(/Read-only: .* is disabled/);
    }
    expect(h.lastFrame()).not.toContain("New monitor");
    expect(h.lastFrame()).not.toContain("Terminate");
  });

  it("with only finished rows marked, the footer drops t and s, and t says why instead of asking", async () => {
    h = renderDashboard({ columns: 160, rows: 30, settings: { clock } });
    load(h, [
      snap({ id: "run-1", ageSeconds: 5, now: NOW }),
      snap({ id: "done-1", runtimeStatus: "Completed", finalStatus: "Completed", ageSeconds: 50, now: NOW }),
    ]);
    await h.waitFor((f) => f.includes("run-1") && f.includes("t terminate"));
    await h.press("j", " ");
    await h.press("k");
    // The cursor is back on the running row, but the marked (finished) row is what t, s and x act on.
    const frame = await h.waitFor((f) => /^›.*run-1/m.test(f) && f.includes("x purge"));
    expect(frame).not.toContain("t terminate");
    expect(frame).not.toContain("s suspend");
    await h.press("t");
    await h.waitFor("Nothing to terminate: only running, pending or suspended monitors can be");
    expect(h.lastFrame()).not.toContain("Terminate ");
  });

  it("fast typing that arrives in one chunk still acts key by key (table and form)", async () => {
    h = renderDashboard({ columns: 120, rows: 30 });
    load(h, many(5));
    await h.waitFor("job-000");
    await h.press("oo");
    await h.waitFor("sort started");
    await h.press("jjj");
    await h.waitFor((f) => f.split("\n").find((l) => l.startsWith("›"))?.includes("job-003") ?? false);
    await h.press("n");
    await h.waitFor("choose a kind");
    await h.press(KEY.enter);
    await h.waitFor("New simulated monitor");
    await h.press("\u007f\u007f42\t\t\tchunky-job");
    const frame = await h.waitFor("chunky-job");
    expect(frame).toMatch(/job duration \(s\)\s+42 /);
    // Enter at the end of a chunk submits what the same chunk typed (no engine here: the start is refused).
    await h.press("\t\u007fx", KEY.tab, "\u007f\u007f5\r");
    await h.waitFor("pollingIntervalSeconds must be a number");
    await h.press(KEY.shiftTab, "\u007f2\r");
    await h.waitFor("Could not start: not connected to an engine");
    // The filter prompt too: "build\r" types and confirms.
    await h.press(KEY.escape);
    await h.waitFor("job-000");
    await h.press("/");
    await h.waitFor("Filter:");
    await h.press("job-00\r");
    await h.waitFor((f) => f.includes("show all /job-00 ·") && !f.includes("Filter:"));
  });

  it("keys typed right after the key that opened a panel go to that panel, not to the table", async () => {
    h = renderDashboard({ columns: 120, rows: 30 });
    load(h, many(5));
    await h.waitFor("job-000");
    // Separate reads before React has drawn the form: Enter must choose the kind, not open the selected row's details.
    h.stdin.write("n");
    h.stdin.write("\r");
    h.stdin.write("\t");
    await h.waitFor("New simulated monitor");
    await h.waitFor((f) => /› queued for \(s\)/.test(f));
    expect(h.store.getState().screen.name).toBe("form");
    await h.press(KEY.escape);
    await h.waitFor("job-000");
    // One chunk: "/" opens the filter, the rest is its text and Enter confirms it.
    await h.press("/job-003\r");
    await h.waitFor((f) => f.includes("show all /job-003 ·") && !f.includes("job-001"));
    expect(h.store.getState().filterText).toBe("job-003");
  });

  it("the form validates as you type: negative interval, timeout < interval, non-numeric, empty URL", async () => {
    h = renderDashboard({ columns: 120, rows: 30 });
    load(h, []);
    await h.waitFor("No monitors yet");
    await h.press("n");
    await h.waitFor("choose a kind");
    await h.press(KEY.enter);
    await h.waitFor("New simulated monitor");
    // Fields: duration, queued, fail at, job id, interval, timeout, max failures.
    await h.press(KEY.tab, KEY.tab, KEY.tab, KEY.tab);
    await h.press(KEY.backspace);
    await h.type("-5");
    await h.waitFor("pollingIntervalSeconds must be at least 0.01 s");
    await h.press(KEY.backspace, KEY.backspace);
    await h.type("x");
    await h.waitFor("pollingIntervalSeconds must be a number of seconds");
    await h.press(KEY.backspace);
    await h.type("50");
    await h.waitFor("timeoutSeconds (30) must not be shorter than pollingIntervalSeconds (50)");
    await h.press(KEY.enter); // refused: nothing launched, the form stays
    await h.waitFor("1 field to fix before launching");
    await h.press(KEY.escape);
    await h.waitFor("No monitors yet");
    // http: empty URL
    await h.press("n");
    await h.waitFor("choose a kind");
    await h.press(KEY.down, KEY.enter);
    await h.waitFor("New http monitor");
    await h.waitFor("url is required");
    await h.type("https://example.com/jobs/1");
    await h.waitFor((f) => !f.includes("url is required") && f.includes("Ready: Enter launches"));
  });
});

describe("footer", () => {
  for (const columns of [80, 140]) {
    it(`shows ? help · q quit at ${columns} columns`, async () => {
      h = renderDashboard({ columns, rows: 24, settings: { clock } });
      load(h, many(3));
      const frame = await h.waitFor("job-000");
      const hints = lines(frame).find((l) => l.includes("n new"));
      expect(hints).toMatch(/\? help · q quit$/);
      for (const l of lines(frame)) expect([...l].length, l).toBeLessThanOrEqual(columns);
    });
  }

  it("a long message is shortened at a word, and ? shows it in full", async () => {
    h = renderDashboard({ columns: 80, rows: 24, settings: { clock } });
    load(h, many(3));
    await h.waitFor("job-000");
    const text = "Could not terminate job-000: the hub at 127.0.0.1:4001 refused the request with UNAVAILABLE (connection reset by peer), retry in a moment";
    h.store.getState().dispatch({ type: "result", result: { kind: "error", text } });
    const frame = await h.waitFor("(? shows all)");
    expect(lines(frame).find((l) => l.includes("(? shows all)"))).toMatch(/^✗ Could not terminate job-000: .*[^ ] … \(\? shows all\)$/);
    await h.press("?");
    const help = await h.waitFor("Last message:");
    const flat = help.replace(/[│╭╮╰╯─]/g, " ").replace(/\s+/g, " ");
    expect(flat).toContain(`Last message: ✗ ${text}`);
  });
});

describe("position in the list", () => {
  it("shows the rows on screen k9s style (12–40 of 1,000) and follows the selection and the filter", async () => {
    h = renderDashboard({ columns: 100, rows: 20, settings: { clock } });
    load(h, Array.from({ length: 1000 }, (_, i) => snap({ id: `job-${String(i).padStart(4, "0")}`, ageSeconds: 100 + i, now: NOW })));
    // 20 rows: 14 of them for the table body.
    await h.waitFor("│ 1–14 of 1,000 · show all");
    await h.press("G");
    await h.waitFor("│ 987–1,000 of 1,000 · show all");
    await h.press(KEY.pageUp);
    await h.waitFor("│ 986–999 of 1,000 · show all"); // the selection moved a page up; the window only as far as it must
    await h.press("/");
    await h.type("job-000");
    await h.waitFor("│ 1–10 of 10 · show all /job-000");
  });
});

describe("a terminal too small", () => {
  it("at 30×8 says so instead of drawing the dashboard, and recovers on resize", async () => {
    h = renderDashboard({ columns: 30, rows: 8, settings: { clock } });
    load(h, many(3));
    const frame = await h.waitFor("Terminal too small");
    expect(frame.replace(/\n/g, " ")).toMatch(/Terminal too small \(need\s+60×12\)/);
    expect(frame).toContain("30×8");
    expect(frame).not.toContain("job-000");
    for (const l of lines(frame)) expect([...l].length, l).toBeLessThanOrEqual(30);
    expect(lines(frame).length).toBeLessThanOrEqual(8);
    h.resize(80, 24);
    await h.waitFor((f) => f.includes("job-000") && !f.includes("too small"));
    h.resize(59, 24);
    await h.waitFor((f) => f.includes("Terminal too small") && f.includes("59×24"));
  });
});
