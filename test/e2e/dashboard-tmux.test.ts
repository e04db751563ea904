/**
 * End to end: the built bin in a 120×40 tmux pane, temp config and data dirs. Launch monitors with the keyboard,
 * quit, start again: the unfinished monitors are still there and progressing (the embedded hub persisted them), and
 * the second start ran from the code cache the first one wrote when it quit (bin/bundle-loader.js).
 * Needs `npm run -s build` first (npm test does it).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binPath, repoRoot } from "../helpers/cli.js";
import { openPane, shellQuote, tmuxAvailable, type TmuxPane } from "./tmux.js";

let dir: string;
let pane: TmuxPane | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dmt-e2e-"));
});

afterAll(async () => {
  pane?.kill();
  await rm(dir, { recursive: true, force: true });
});

/** The pane's program: the dashboard, then its exit code, then an idle shell so the last screen stays readable. */
function dashboardCommand(): string {
  const env = [
    `DURABLE_MONITOR_TUI_DATA_DIR=${shellQuote(join(dir, "data"))}`,
    `DURABLE_MONITOR_TUI_CONFIG_DIR=${shellQuote(join(dir, "config"))}`,
    `NODE_COMPILE_CACHE=${shellQuote(join(dir, "compile-cache"))}`,
    "TERM=xterm-256color",
    // A CI variable must not turn the dashboard into Ink's non-interactive mode (last frame only) on a real terminal.
    "CI=true",
  ].join(" ");
  return `cd ${shellQuote(repoRoot)} && env -u ENDPOINT -u TASKHUB -u DURABLE_TASK_SCHEDULER_CONNECTION_STRING ${env} ${shellQuote(process.execPath)} ${shellQuote(binPath)}; echo "EXIT=$?"; sleep 120`;
}

/** The dashboard's code cache file (its inode and time) under the pane's compile cache directory. */
function dashboardCache(): { file: string; ino: number; mtimeMs: number } {
  const root = join(dir, "compile-cache");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => /durable-monitor-tui[\\/]dashboard-[^\\/]+\.v8$/.test(f));
  expect(files).toHaveLength(1);
  const { ino, mtimeMs } = statSync(join(root, files[0]!));
  return { file: files[0]!, ino, mtimeMs };
}

const row = (screen: string, jobId: string) => screen.split("\n").find((l) => l.slice(4).startsWith(`${jobId} `)) ?? "";
const checks = (screen: string, jobId: string) => Number(/%\s+(\d+)\s/.exec(row(screen, jobId))?.[1] ?? NaN);
const percent = (screen: string, jobId: string) => Number(/(\d+)%/.exec(row(screen, jobId))?.[1] ?? NaN);

async function launch(p: TmuxPane, jobId: string, durationSeconds: number) {
  p.keys("n");
  await p.waitFor("choose a kind");
  p.keys("Enter");
  await p.waitFor("New simulated monitor");
  p.keys("BSpace", "BSpace", "BSpace");
  p.type(String(durationSeconds));
  p.keys("Tab", "Tab", "Tab");
  p.type(jobId);
  p.keys("Tab", "BSpace", "BSpace");
  p.type("1");
  p.keys("Tab", "BSpace", "BSpace", "BSpace");
  p.type("120");
  await p.waitFor((s) => s.includes("Ready: Enter launches") && s.includes(jobId) && /timeout \(s\)\s+120/.test(s));
  p.keys("Enter");
  await p.waitFor((s) => row(s, jobId) !== "");
}

describe.skipIf(!tmuxAvailable())("dashboard in tmux (built bin)", () => {
  it("launches monitors with keys, quits, restarts, and finds them still there and progressing", async () => {
    expect(existsSync(join(repoRoot, "dist", "cli.js")), "run `npm run -s build` first").toBe(true);
    pane = openPane(dashboardCommand(), { columns: 120, rows: 40 });
    await pane.waitFor((s) => s.includes("worker running") && s.includes("No monitors yet"));
    await launch(pane, "e2e-one", 60);
    await launch(pane, "e2e-two", 90);
    let screen = await pane.waitFor((s) => checks(s, "e2e-one") >= 3 && checks(s, "e2e-two") >= 2);
    expect(row(screen, "e2e-one")).toContain("▶ Running");
    const before = { one: checks(screen, "e2e-one"), two: percent(screen, "e2e-two") };

    pane.keys("q");
    screen = await pane.waitFor("EXIT=");
    expect(screen).toContain("EXIT=0");
    expect(screen).toContain("Monitors keep their state and resume when the hub opens again");
    expect(screen).not.toContain("e2e-one  "); // the alternate screen is gone: the table is not left behind
    const cache = dashboardCache();

    pane.respawn(dashboardCommand());
    screen = await pane.waitFor((s) => row(s, "e2e-one") !== "" && row(s, "e2e-two") !== "");
    screen = await pane.waitFor((s) => checks(s, "e2e-one") > before.one && percent(s, "e2e-two") > before.two, 30_000);
    expect(row(screen, "e2e-one")).toMatch(/▶ Running|✓ Completed/);
    expect(row(screen, "e2e-two")).toContain("▶ Running");

    pane.keys("q");
    await pane.waitFor("EXIT=0");
    // Read, not written again: V8 accepted it (a dashboard that left V8's flags changed made a cache it refused).
    expect(dashboardCache()).toEqual(cache);
  });
});
