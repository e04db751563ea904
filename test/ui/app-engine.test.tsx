/**
 * The real app on a real embedded hub: the engine from createEngine (hub + SDK worker + client in this process),
 * driven through the keyboard exactly as a user would.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { builtinProfile } from "../../src/config/index.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { KEY, renderDashboard, type DashboardHarness } from "../helpers/render.js";

let dir: string;
let engine: LocalEngine;
let h: DashboardHarness | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dmt-ui-"));
  const env = { ...process.env, DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"), DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config") };
  engine = await createEngine({ profile: builtinProfile(env), withWorker: true, env, logFile: join(dir, "log.txt") });
});

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** The table row of a job (rows start with a 4-cell gutter: cursor, mark, alert, space). */
const row = (frame: string, jobId: string) => frame.split("\n").find((l) => l.slice(4).startsWith(`${jobId} `)) ?? "";

/** Simulated-form field order: duration, queued, fail at %, job id, interval, timeout, max failures. */
const FIELD = { duration: 0, queued: 1, failAt: 2, jobId: 3, interval: 4, timeout: 5, maxFailures: 6 } as const;

async function launchSimulated(harness: DashboardHarness, values: Partial<Record<keyof typeof FIELD, string>>) {
  await harness.press("n");
  await harness.waitFor("choose a kind");
  await harness.press(KEY.enter);
  await harness.waitFor("New simulated monitor");
  let focus = 0;
  for (const [name, value] of Object.entries(values) as Array<[keyof typeof FIELD, string]>) {
    while (focus < FIELD[name]) {
      await harness.press(KEY.tab);
      focus++;
    }
    await harness.press(...Array.from({ length: 6 }, () => KEY.backspace));
    await harness.type(value);
  }
  await harness.waitFor("Ready: Enter launches");
  await harness.press(KEY.enter);
  await harness.waitFor((f) => f.includes(`Started ${values.jobId}`) && f.includes("JOB"));
}

/** Shows only this job (the filter), so it is the selected row. */
async function selectJob(harness: DashboardHarness, jobId: string) {
  await harness.press("/");
  await harness.waitFor("Filter:");
  await harness.type(jobId);
  await harness.press(KEY.enter);
  await harness.waitFor((f) => f.includes(`/${jobId}`) && row(f, jobId).startsWith("›"));
}

async function clearFilter(harness: DashboardHarness) {
  await harness.press(KEY.escape);
  await harness.waitFor((f) => f.includes("show all ·"));
}

describe("dashboard on a real embedded hub", () => {
  it("launches two monitors through the form and shows progress, checks and final statuses", async () => {
    h = renderDashboard({ engine, columns: 160, rows: 50 });
    await h.waitFor("worker running");
    await launchSimulated(h, { duration: "3", jobId: "ui-done", interval: "1", timeout: "30" });
    await launchSimulated(h, { duration: "300", jobId: "ui-late", interval: "1", timeout: "4" });
    // Progress and check counts appear while they run.
    await h.waitFor((f) => /ui-done .*▶ Running\s+█*[▏▎▍▌▋▊▉░]*\s+\d+%\s+[1-9]/.test(f) || /ui-done .*✓ Completed/.test(f));
    await h.waitFor((f) => /ui-late .*▶ Running .* in \d+s/.test(f));
    const done = await h.waitFor((f) => /✓ Completed/.test(row(f, "ui-done")), 30_000);
    expect(row(done, "ui-done")).toMatch(/100%/);
    const late = await h.waitFor((f) => /◷ Timed out/.test(row(f, "ui-late")), 30_000);
    // LAST: the last check, seconds ago (the monitor checked every second until it timed out).
    expect(row(late, "ui-late")).toMatch(/ (just now|\d{1,2}s ago) /);
    expect(late).toMatch(/✓ 1 completed/);
    expect(late).toMatch(/◷ 1 timed out/);
    // Details: the check timeline from the history.
    await selectJob(h, "ui-done");
    await h.press(KEY.enter);
    const details = await h.waitFor((f) => f.includes("Checks (from the history)") && /Completed\s+100%/.test(f));
    expect(details).toContain("finalStatus");
    await h.press(KEY.escape);
    await h.waitFor("JOB");
    await clearFilter(h);
  });

  // How fast (about one 250 ms refresh) is a figure for a bench, not a bound for a test on two shared cores.
  it("every custom-status change reaches the screen, in order", async () => {
    h = renderDashboard({ engine, columns: 160, rows: 50 });
    await h.waitFor("worker running");
    await launchSimulated(h, { duration: "60", jobId: "ui-latency", interval: "1", timeout: "120" });
    const checksOf = (f: string) => Number(/%\s+(\d+)\s/.exec(row(f, "ui-latency"))?.[1] ?? NaN);
    let shown = checksOf(await h.waitFor((f) => checksOf(f) >= 1, 20_000));
    for (let i = 0; i < 3; i++) {
      const next = checksOf(await h.waitFor((f) => checksOf(f) > shown, 20_000));
      const stored = [...h.store.getState().monitors.values()].find((m) => m.customStatus?.jobId === "ui-latency")!;
      expect(next).toBeLessThanOrEqual(stored.customStatus!.checkCount!);
      shown = next;
    }
  });

  it("rings the bell once and highlights the row when a monitor fails", async () => {
    h = renderDashboard({ engine, columns: 160, rows: 50 });
    await h.waitFor("worker running");
    await launchSimulated(h, { duration: "3", failAt: "30", jobId: "ui-fail", interval: "1", timeout: "30" });
    const frame = await h.waitFor((f) => /✗ Failed/.test(row(f, "ui-fail")), 30_000);
    expect(row(frame, "ui-fail")).toMatch(/^.{2}!/);
    await h.waitFor(() => h!.bells() === 1);
    expect(h.store.getState().highlighted.size).toBe(1);
  });

  it("terminates with a reason, suspends and resumes, and poll-now adds a check", async () => {
    h = renderDashboard({ engine, columns: 160, rows: 50 });
    await h.waitFor("worker running");
    await launchSimulated(h, { duration: "600", jobId: "ui-slow", interval: "60", timeout: "600" });
    await launchSimulated(h, { duration: "600", jobId: "ui-kill", interval: "2", timeout: "600" });

    // poll-now: with a 60 s interval only a poll-now can add a check within the test.
    await selectJob(h, "ui-slow");
    const checks = (f: string) => Number(/%\s+(\d+)\s/.exec(row(f, "ui-slow"))?.[1] ?? NaN);
    const before = checks(await h.waitFor((f) => checks(f) >= 1, 20_000));
    await h.press("c");
    await h.waitFor("Asked for a check now");
    await h.waitFor((f) => checks(f) === before + 1, 20_000);

    // suspend, then resume
    await h.press("s");
    await h.waitFor((f) => /‖ Suspended/.test(row(f, "ui-slow")) && f.includes("✓ Suspended ui-slow"), 20_000);
    await h.press("s");
    await h.waitFor((f) => /▶ Running/.test(row(f, "ui-slow")) && f.includes("✓ Resumed ui-slow"), 20_000);
    await clearFilter(h);

    // terminate with a reason
    await selectJob(h, "ui-kill");
    await h.press("t");
    await h.waitFor("Terminate ui-kill?");
    await h.type("no longer needed");
    await h.press(KEY.enter);
    await h.waitFor((f) => /■ Terminated/.test(row(f, "ui-kill")), 20_000);
    await h.press(KEY.enter);
    await h.waitFor((f) => f.includes("no longer needed"));
    await h.press(KEY.escape);
    await h.waitFor("JOB");
    await clearFilter(h);
  });

  it("launches a preset with p, changes the interval with i (validated), restarts with r", async () => {
    h = renderDashboard({
      engine,
      columns: 160,
      rows: 50,
      settings: {
        presets: {
          "quick-sim": { kind: "simulated", description: "a 2 s fake job", target: { durationSeconds: 600 }, jobId: "ui-preset", pollingIntervalSeconds: 1, timeoutSeconds: 600 },
        },
      },
    });
    await h.waitFor("worker running");
    await h.press("p");
    await h.waitFor("quick-sim");
    expect(h.lastFrame()).toContain("a 2 s fake job");
    await h.press(KEY.enter);
    await h.waitFor((f) => row(f, "ui-preset") !== "" && f.includes("Started preset quick-sim"), 20_000);
    await selectJob(h, "ui-preset");
    await h.waitFor((f) => /in \d+s/.test(row(f, "ui-preset")), 20_000);
    await h.press("i");
    const opened = await h.waitFor("New polling interval for ui-preset");
    expect(opened).not.toContain("✗ type a number of seconds"); // no error before anything is typed
    await h.type("0");
    await h.waitFor("the interval must be at least 0.01 s");
    await h.press(KEY.backspace);
    await h.type("abc");
    await h.waitFor('"abc" is not a number');
    await h.press(KEY.backspace, KEY.backspace, KEY.backspace);
    await h.type("30");
    await h.press(KEY.enter);
    await h.waitFor("Interval set to 30s for ui-preset");
    await h.press(KEY.enter);
    await h.waitFor((f) => /interval\s+30s/.test(f), 20_000);
    await h.press(KEY.escape);
    await h.waitFor("JOB");
    await h.press("t");
    await h.waitFor("Terminate ui-preset?");
    await h.press(KEY.enter);
    await h.waitFor((f) => /■ Terminated/.test(row(f, "ui-preset")), 20_000);
    await h.press("r");
    await h.waitFor("Restart ui-preset? It starts again under a new instance id");
    await h.press("n");
    await h.waitFor((f) => !f.includes("Restart ui-preset?") && /■ Terminated/.test(row(f, "ui-preset")));
    expect(h.lastFrame()).not.toContain("Restarted ui-preset");
    await h.press("r");
    await h.waitFor("Restart ui-preset?");
    await h.press("y");
    // The old run stays (Terminated, with its reason); the new one runs under a new instance id.
    const rows = (f: string) => f.split("\n").filter((l) => l.slice(4).startsWith("ui-preset "));
    await h.waitFor(
      (f) => /Restarted ui-preset as [0-9a-f-]{36}/.test(f) && rows(f).some((r) => /■ Terminated/.test(r)) && rows(f).some((r) => /▶ Running|○ Pending/.test(r)),
      20_000,
    );
    await clearFilter(h);
  });

  it("batch: marks two monitors with space and terminates both with one t", async () => {
    h = renderDashboard({ engine, columns: 160, rows: 50 });
    await h.waitFor("worker running");
    await launchSimulated(h, { duration: "600", jobId: "ui-batch-a", interval: "5", timeout: "600" });
    await launchSimulated(h, { duration: "600", jobId: "ui-batch-b", interval: "5", timeout: "600" });
    await h.press("/");
    await h.type("ui-batch");
    await h.press(KEY.enter);
    await h.waitFor((f) => row(f, "ui-batch-a") !== "" && row(f, "ui-batch-b") !== "" && f.includes("/ui-batch"));
    await h.press("g", KEY.space, "j", KEY.space);
    await h.waitFor("2 marked");
    await h.press("t");
    await h.waitFor("Terminate 2 monitors?");
    await h.press(KEY.enter);
    await h.waitFor((f) => /■ Terminated/.test(row(f, "ui-batch-a")) && /■ Terminated/.test(row(f, "ui-batch-b")), 20_000);
    // purge asks first, then both disappear
    await h.press("g", KEY.space, "j", KEY.space);
    await h.waitFor("2 marked");
    await h.press("x");
    await h.waitFor("Purge 2 monitors");
    await h.press("y");
    await h.waitFor((f) => row(f, "ui-batch-a") === "" && row(f, "ui-batch-b") === "" && f.includes("Purged 2 monitors"), 20_000);
  });
});
