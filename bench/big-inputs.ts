/**
 * bench:limits — a standalone hub holding three 30 MB inputs (written as a hub without limits left them), with a
 * worker and a dashboard (in tmux) connected: the RSS of each of the three processes (now and at peak), whether the
 * dashboard shows the rows, and the wall time of `list` (the whole CLI process, and the query alone). Separate
 * processes, so each figure is one program's. Prints figures; asserts nothing. Needs tmux.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createEngine } from "../dist/engine/create-engine.js";
import { Status } from "../dist/engine/hub/proto.js";
import { openSqliteStore } from "../dist/engine/hub/sqlite-store.js";
import { privateEnv } from "./private-env.ts";

const bin = join(import.meta.dirname, "..", "bin", "durable-monitor-tui.js");
const dir = mkdtempSync(join(tmpdir(), "dmt-bench-big-"));
const dbPath = join(dir, "hub.sqlite");
const env = privateEnv(dir);
const tmuxSession = `storage-bench-${process.pid}`;
const children: ChildProcess[] = [];

const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
/** VmRSS and VmHWM (the peak) of a process, in KiB. */
function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { now: field("VmRSS"), peak: field("VmHWM") };
}
const show = (pid: number) => {
  const r = rss(pid);
  return `${mb(r.now)} (peak ${mb(r.peak)})`;
};

async function waitFor<T>(what: string, fn: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function start(args: string[], extraEnv: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

const store = openSqliteStore(dbPath);
const input = JSON.stringify("p".repeat(30 * 1024 * 1024));
for (let i = 0; i < 3; i++) {
  const now = Date.now() + i;
  store.createInstance({ taskHub: "default", instanceId: `big-${i}`, executionId: "e", name: "someone-elses-orchestration", status: Status.ORCHESTRATION_STATUS_RUNNING, input, createdAt: now, lastUpdatedAt: now }, []);
}
store.close();

try {
  const hub = start(["hub", "--port", "0", "--db", dbPath, "--insecure"]);
  const port = await waitFor("the hub's address", () => /^Address: \S+:(\d+)$/m.exec(hub.output())?.[1]);
  const endpoint = { ENDPOINT: `http://127.0.0.1:${port}` };
  const worker = start(["worker"], endpoint);
  await waitFor("the worker to connect", () => (/polling|connected|Worker/i.test(worker.output()) ? true : undefined), 30_000);

  spawnSync("tmux", ["new-session", "-d", "-s", tmuxSession, "-x", "160", "-y", "40", "-e", `ENDPOINT=${endpoint.ENDPOINT}`, ...Object.entries(env).filter(([k]) => k.startsWith("DURABLE_MONITOR_TUI_")).flatMap(([k, v]) => ["-e", `${k}=${v}`]), `exec ${process.execPath} ${bin}`]);
  const screen = () => execFileSync("tmux", ["capture-pane", "-p", "-t", tmuxSession], { encoding: "utf8" });
  const shown = await waitFor("the dashboard to show the three rows", () => {
    const text = screen();
    return ["big-0", "big-1", "big-2"].every((id) => text.includes(id)) ? text : undefined;
  });
  const dashboardPid = Number(execFileSync("tmux", ["list-panes", "-t", tmuxSession, "-F", "#{pane_pid}"], { encoding: "utf8" }).trim());

  const cliRuns: number[] = [];
  let listed = "";
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [bin, "list"], { env: { ...env, ...endpoint }, encoding: "utf8" });
    cliRuns.push(performance.now() - started);
    listed = r.status === 0 ? r.stdout : `exit ${r.status}: ${r.stderr}`;
  }
  const engine = await createEngine({
    profile: {
      name: "bench",
      connection: { type: "dts", connectionString: `Endpoint=${endpoint.ENDPOINT};Authentication=None;TaskHub=default`, parsed: { endpoint: endpoint.ENDPOINT, authentication: "None", taskHub: "default" } },
      taskHub: "default",
      defaults: {},
      presets: {},
      source: "builtin",
    } as never,
    withWorker: false,
    logFile: join(dir, "engine-log.txt"),
  });
  const started = performance.now();
  let rows = 0;
  for (let i = 0; i < 10; i++) rows = (await engine.list()).length;
  const queryMs = (performance.now() - started) / 10;
  await engine.close();

  const median = [...cliRuns].sort((a, b) => a - b)[2]!;
  const [load1] = readFileSync("/proc/loadavg", "utf8").split(" ");
  console.log(`three 30 MB inputs stored; load average ${load1}`);
  console.log(`dashboard (tmux) shows the three rows: ${shown.includes("big-2") ? "yes" : "no"}`);
  console.log(`list (CLI process): ${listed.split("\n").filter((l) => l.includes("big-")).length} rows, median ${median.toFixed(0)} ms of 5 runs`);
  console.log(`list (query alone, engine.list): ${rows} rows in ${queryMs.toFixed(1)} ms each (10 runs)`);
  console.log(`RSS hub ${show(hub.child.pid!)}; worker ${show(worker.child.pid!)}; dashboard ${show(dashboardPid)}`);
} finally {
  spawnSync("tmux", ["kill-session", "-t", tmuxSession]);
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
  rmSync(dir, { recursive: true, force: true });
}
