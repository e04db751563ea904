/**
 * bench:delivery — what "at least once" costs when a worker goes away in the middle of 100 command monitors.
 * The bench process owns the embedded hub (like a dashboard); the built CLI's `worker` runs the checks in a process of
 * its own. Each check is a shell script that writes a line when it starts and when it finished its work, and exits 0 at
 * its monitor's third finished run; one monitor in ten runs 8 s (longer than a stop waits), the rest 0.3 s.
 * Three scenarios, each on a fresh database: no interruption (the control), SIGTERM of the worker (a clean stop), and
 * SIGKILL; then a new worker finishes every monitor. Figures per scenario:
 * - re-run after finishing: runs that finished their work but whose result the monitor never recorded, so the check
 *   ran again (finished runs minus the monitor's checksPerformed). Target 0 after a clean stop;
 * - cut off: runs killed before they finished (they run again: at least once);
 * - overlaps: a run that started while an earlier run of the same monitor was still running (target 0);
 * - how long the worker took to exit after SIGTERM.
 * Prints figures; asserts nothing.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createEngine } from "../dist/engine/create-engine.js";
import { privateEnv } from "./private-env.ts";

const MONITORS = Number(process.env.BENCH_MONITORS) || 100;
const RUNS_TO_COMPLETE = 3;
const LONG_SECONDS = 8;
const bin = join(import.meta.dirname, "..", "bin", "durable-monitor-tui.js");
const children: ChildProcess[] = [];

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The process runs (a zombie does not count). */
function running(pid: number): boolean {
  try {
    const stat = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return stat !== "" && !stat.startsWith("Z");
  } catch {
    return false;
  }
}

const CHECK_SCRIPT = `runs="$1"; seconds="$2"; lock="$runs.$MONITOR_JOB_ID.pid"
if [ -f "$lock" ] && kill -0 "$(cat "$lock")" 2>/dev/null; then echo "$MONITOR_JOB_ID overlap" >> "$runs"; fi
echo $$ > "$lock"
echo "$MONITOR_JOB_ID start $$" >> "$runs"
sleep "$seconds"
echo "$MONITOR_JOB_ID end" >> "$runs"
[ "$(grep -c "^$MONITOR_JOB_ID end$" "$runs")" -ge ${RUNS_TO_COMPLETE} ]
`;

type Interruption = "none" | "SIGTERM" | "SIGKILL";

interface Figures {
  scenario: string;
  runs: number;
  recorded: number;
  rerunAfterFinishing: number;
  cutOff: number;
  overlaps: number;
  workerExitMs?: number;
  groupsLeftRunning?: number;
  seconds: number;
}

async function scenario(interruption: Interruption): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "dmt-bench-delivery-"));
  const env = privateEnv(dir);
  const runsFile = join(dir, "runs");
  const script = join(dir, "check.sh");
  writeFileSync(script, CHECK_SCRIPT);
  const lines = () => (existsSync(runsFile) ? readFileSync(runsFile, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ")) : []);
  const began = Date.now();

  const engine = await createEngine({
    profile: { name: "bench", connection: { type: "embedded", dbPath: join(env.DURABLE_MONITOR_TUI_DATA_DIR, "hub.sqlite") }, taskHub: "default", defaults: {}, presets: {}, source: "builtin" },
    withWorker: false,
    env,
    logFile: env.DURABLE_MONITOR_TUI_LOG_FILE,
  });
  const worker = () => {
    const child = spawn(process.execPath, [bin, "worker"], { env, stdio: "ignore" });
    children.push(child);
    return { child, exited: new Promise<void>((resolve) => child.once("exit", () => resolve())) };
  };
  try {
    const first = worker();
    const ids: string[] = [];
    for (let i = 0; i < MONITORS; i++) {
      const seconds = i % 10 === 0 ? LONG_SECONDS : 0.3;
      ids.push(await engine.start({ kind: "command", jobId: `job${i}`, target: { command: `sh ${script} ${runsFile} ${seconds}`, timeoutSeconds: 60 }, pollingIntervalSeconds: 1, timeoutSeconds: 600 }));
    }
    let workerExitMs: number | undefined;
    let groupsLeftRunning: number | undefined;
    if (interruption !== "none") {
      // In the thick of it: a third of the runs finished, and a long command running.
      const longRunning = () => {
        const open = new Set<string>();
        for (const [job, what] of lines()) {
          if (what === "start") open.add(job!);
          if (what === "end") open.delete(job!);
        }
        return [...open].some((job) => Number(job.slice(3)) % 10 === 0);
      };
      await waitFor("a third of the runs, and a long one running", () => lines().filter((l) => l[1] === "end").length >= MONITORS && longRunning());
      const stopAt = Date.now();
      first.child.kill(interruption);
      await first.exited;
      workerExitMs = Date.now() - stopAt;
      const open = new Map<string, number>();
      for (const [job, what, pid] of lines()) {
        if (what === "start") open.set(job!, Number(pid));
        if (what === "end") open.delete(job!);
      }
      groupsLeftRunning = [...open.values()].filter(running).length;
      worker();
    }
    for (const id of ids) await engine.waitForCompletion(id, 180_000);
    let recorded = 0;
    for (const id of ids) recorded += ((await engine.get(id))?.outputValue as { checksPerformed?: number } | undefined)?.checksPerformed ?? 0;
    const all = lines();
    const starts = all.filter((l) => l[1] === "start").length;
    const ends = all.filter((l) => l[1] === "end").length;
    return {
      scenario: interruption === "none" ? "no interruption" : interruption === "SIGTERM" ? "clean stop (SIGTERM)" : "kill -9 (SIGKILL)",
      runs: starts,
      recorded,
      rerunAfterFinishing: ends - recorded,
      cutOff: starts - ends,
      overlaps: all.filter((l) => l[1] === "overlap").length,
      workerExitMs,
      groupsLeftRunning,
      seconds: Math.round((Date.now() - began) / 1000),
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
    children.length = 0;
    await engine.close();
    if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(`bench:delivery — ${MONITORS} command monitors (1 in 10 runs ${LONG_SECONDS} s, the rest 0.3 s), ${RUNS_TO_COMPLETE} finished runs each; load average ${load()}`);
for (const interruption of ["none", "SIGTERM", "SIGKILL"] as const) {
  const f = await scenario(interruption);
  const extra =
    f.workerExitMs === undefined ? "" : `; worker exited ${f.workerExitMs} ms after the signal; commands still running after it: ${f.groupsLeftRunning}`;
  console.log(
    `${f.scenario.padEnd(22)} runs ${f.runs}, recorded ${f.recorded}: re-run after finishing ${f.rerunAfterFinishing}, cut off ${f.cutOff}, overlapping runs ${f.overlaps}${extra} (${f.seconds} s; load ${load()})`,
  );
}
