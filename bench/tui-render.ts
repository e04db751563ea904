/**
 * bench/tui-render: what the dashboard costs while it watches many running monitors.
 *
 * A hub (`durable-monitor-tui hub`) and a worker (`durable-monitor-tui worker`) run as child processes; N simulated
 * monitors (5 s interval, long timeout) are started; then the dashboard runs with `--no-worker` in a 160×50 tmux
 * pane for 30 s, connected to that hub through ENDPOINT/TASKHUB. We read the dashboard process's CPU time and RSS from
 * /proc/PID/stat and /proc/PID/status. Cold start to first frame is timed beside a bare Ink hello-world, in the same
 * pane, in the same run. Run with `npm run bench:tui` (it builds first). Prints figures; asserts nothing.
 *
 * Environment: BENCH_SECONDS (default 30), BENCH_COUNTS (default "50,1000"), BENCH_NODE_FLAGS (node flag sets to
 * compare, separated by "|"; default: as shipped and node's defaults).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadProfile } from "../dist/config/index.js";
import { createEngine } from "../dist/engine/create-engine.js";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const BIN = join(ROOT, "bin", "durable-monitor-tui.js");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const COUNTS = (process.env.BENCH_COUNTS ?? "50,1000").split(",").map(Number);
const COLUMNS = 160;
const ROWS = 50;
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

const dir = mkdtempSync(join(tmpdir(), "dmt-bench-tui-"));
const socket = `dmt-bench-${process.pid}`;
const children: ChildProcess[] = [];

function log(line: string): void {
  process.stdout.write(line + "\n");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs: number, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", ...extra };
  delete env.DURABLE_TASK_SCHEDULER_CONNECTION_STRING;
  delete env.TASKHUB_NAME;
  return env;
}

/** CPU seconds (user + system) of a process, from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size in MB, from /proc/PID/status. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Starts `command` in the (only) pane, replacing what ran there; returns the pane's pid (exec'd: the node process). */
function runInPane(command: string): number {
  tmux("respawn-pane", "-k", "-t", "bench", command);
  return Number(tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").trim());
}

function screen(): string {
  return tmux("capture-pane", "-p", "-t", "bench");
}

/** Milliseconds from spawning `command` in the pane until `ready(screen)` holds (polled every 5 ms). */
async function timeToScreen(command: string, ready: (s: string) => boolean): Promise<{ ms: number; pid: number; t0: number }> {
  tmux("respawn-pane", "-k", "-t", "bench", "sleep 60");
  tmux("clear-history", "-t", "bench");
  await waitFor("a blank pane", () => !screen().trim(), 5000);
  const t0 = performance.now();
  const pid = runInPane(command);
  await waitFor("the first frame", () => ready(screen()), 30_000, 5);
  return { ms: performance.now() - t0, pid, t0 };
}

const KEY_PRESSES = Number(process.env.BENCH_KEY_PRESSES ?? 60);

/** The screen line that holds the table's selection marker (the selected row starts with "›"), or -1. */
function selectedLine(s: string): number {
  return s.split("\n").findIndex((line) => line.startsWith("›"));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/**
 * Key → frame: writes `j` (or `k`, alternating, so the selection stays on screen) into the pane and times until the
 * captured screen shows the selection one row further. Polling capture-pane costs a few ms per look: the figures are
 * an upper bound. Presses are spaced 100–200 ms apart so each starts from a settled screen.
 */
async function keyToFrame(): Promise<number[]> {
  const times: number[] = [];
  await waitFor("the selection marker", () => selectedLine(screen()) >= 0, 10_000, 10);
  for (let i = 0; i < KEY_PRESSES; i++) {
    const down = i % 2 === 0;
    const before = selectedLine(screen());
    const t0 = performance.now();
    tmux("send-keys", "-t", "bench", down ? "j" : "k");
    await waitFor("the selection to move", () => selectedLine(screen()) === before + (down ? 1 : -1), 10_000, 0);
    times.push(performance.now() - t0);
    await sleep(100 + Math.random() * 100);
  }
  return times;
}

/**
 * Dashboard runs per monitor count: as shipped (the bin's shebang starts node with a small V8 young generation,
 * --max-semi-space-size=2, the RSS lever we found), and node's defaults (`node bin/...` without the flag).
 */
const SHIPPED_FLAGS = "--max-semi-space-size=2";
const VARIANTS: Array<{ label: string; nodeFlags: string }> = process.env.BENCH_NODE_FLAGS
  ? // To compare other settings: BENCH_NODE_FLAGS="--max-semi-space-size=4|--max-semi-space-size=8|" (empty: defaults).
    process.env.BENCH_NODE_FLAGS.split("|").map((flags) => ({ label: flags ? `node ${flags}` : "node's defaults", nodeFlags: flags }))
  : [
      { label: `as shipped (bin's shebang: node ${SHIPPED_FLAGS})`, nodeFlags: SHIPPED_FLAGS },
      { label: "node's default young generation", nodeFlags: "" },
    ];

function paneEnv(e: NodeJS.ProcessEnv): string {
  return Object.entries(e)
    .filter(([k]) => /^(DURABLE_MONITOR_TUI_|ENDPOINT$|TASKHUB$|NODE_ENV$|NODE_OPTIONS$|PATH$|HOME$)/.test(k))
    .map(([k, v]) => `${k}=${shellQuote(v ?? "")}`)
    .join(" ");
}

let helloScript = "";

/** One dashboard run: cold start beside the Ink hello-world, then CPU and RSS over SECONDS. Prints its lines. */
async function measureDashboard(variant: { label: string; nodeFlags: string }, remoteEnv: NodeJS.ProcessEnv, env: NodeJS.ProcessEnv): Promise<void> {
  const node = [process.execPath, ...(variant.nodeFlags ? variant.nodeFlags.split(" ") : [])].map(shellQuote).join(" ");
  const inkHello = await timeToScreen(`exec env ${paneEnv(env)} ${node} ${shellQuote(helloScript)}`, (s) => s.includes("hello, world"));
  const dashCommand = `exec env ${paneEnv(remoteEnv)} ${node} ${shellQuote(BIN)} --no-worker`;
  const first = await timeToScreen(dashCommand, (s) => s.includes("durable-monitor-tui") && s.includes("JOB"));
  const pid = first.pid;
  const dataAt = await waitFor("rows of data", () => (/bench-\d{4}/.test(screen()) ? performance.now() : false), 60_000, 5);
  const keys = await keyToFrame();

  // Steady state: CPU and RSS over SECONDS.
  await sleep(2000);
  const cpu0 = cpuSeconds(pid);
  const w0 = performance.now();
  let rssMax = 0;
  let changes = 0;
  let lastScreen = "";
  while (performance.now() - w0 < SECONDS * 1000) {
    await sleep(1000);
    rssMax = Math.max(rssMax, rssMb(pid));
    const s = screen();
    if (s !== lastScreen) changes++;
    lastScreen = s;
  }
  const cpu1 = cpuSeconds(pid);
  const wall = (performance.now() - w0) / 1000;
  const rssEnd = rssMb(pid);
  const cpuPercent = ((cpu1 - cpu0) / wall) * 100;
  const header = lastScreen.split("\n")[1] ?? "";

  tmux("send-keys", "-t", "bench", "q");
  await waitFor(
    "the dashboard to quit",
    () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    15_000,
    50,
  ).catch(() => process.kill(pid, "SIGKILL"));

  log(`  dashboard, ${variant.label}:`);
  log(`    CPU                ${cpuPercent.toFixed(1)} % of one core over ${wall.toFixed(1)} s`);
  log(`    RSS                ${rssEnd.toFixed(0)} MB at the end, ${rssMax.toFixed(0)} MB max`);
  log(`    cold start         first frame ${first.ms.toFixed(0)} ms vs bare Ink hello-world ${inkHello.ms.toFixed(0)} ms (×${(first.ms / inkHello.ms).toFixed(2)})`);
  log(`    first rows         ${(dataAt - first.t0).toFixed(0)} ms after spawn`);
  log(`    key → frame        median ${percentile(keys, 0.5).toFixed(0)} ms, p99 ${percentile(keys, 0.99).toFixed(0)} ms over ${keys.length} presses of j/k (target ≤ 50 / ≤ 100 ms)`);
  log(`    screen changed     ${changes} of ${Math.round(wall)} one-second samples; ${header.trim()}`);
}

async function main(): Promise<void> {
  const port = await freePort();
  const env = baseEnv({
    DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"),
    DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config"),
    DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "bench.log"),
  });
  const remoteEnv = { ...env, ENDPOINT: `http://127.0.0.1:${port}`, TASKHUB: "default" };

  // The hub and the worker: other processes, as in production.
  const hub = spawn(process.execPath, [BIN, "hub", "--insecure", "--port", String(port), "--db", join(dir, "hub.sqlite")], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(hub);
  let hubOut = "";
  hub.stdout!.on("data", (d: Buffer) => (hubOut += d.toString()));
  hub.stderr!.on("data", (d: Buffer) => (hubOut += d.toString()));
  await waitFor("the hub", () => hubOut.includes("listening"), 20_000, 50).catch((e: Error) => {
    throw new Error(`${e.message}; hub said: ${hubOut}`);
  });
  const worker = spawn(process.execPath, [BIN, "worker"], { env: remoteEnv, stdio: ["ignore", "ignore", "ignore"] });
  children.push(worker);

  const engine = await createEngine({ profile: loadProfile({ env: remoteEnv }), withWorker: false, env: remoteEnv, verifyTimeoutMs: 10_000 });

  // The tmux pane the dashboard draws into.
  tmux("new-session", "-d", "-s", "bench", "-x", String(COLUMNS), "-y", String(ROWS), "sleep 600");
  tmux("set-option", "-t", "bench", "remain-on-exit", "on");

  // A bare Ink hello-world, the baseline for cold start.
  const hello = join(dir, "hello.mjs");
  helloScript = hello;
  const inkUrl = pathToFileURL(join(ROOT, "node_modules", "ink", "build", "index.js")).href;
  const reactUrl = pathToFileURL(join(ROOT, "node_modules", "react", "index.js")).href;
  writeFileSync(
    hello,
    `import React from ${JSON.stringify(reactUrl)};\nimport { render, Text } from ${JSON.stringify(inkUrl)};\n` +
      `render(React.createElement(Text, null, "hello, world"));\nsetTimeout(() => {}, 600000);\n`,
  );

  log(`durable-monitor-tui bench:tui — dashboard --no-worker in a ${COLUMNS}×${ROWS} tmux pane, ${SECONDS} s per run`);
  log(`node ${process.versions.node}, ${CLK_TCK} ticks/s; hub and worker in separate processes on 127.0.0.1:${port}`);

  let started = 0;
  for (const count of COUNTS) {
    // Top up to `count` running monitors.
    const t0 = performance.now();
    const batch: Promise<string>[] = [];
    for (; started < count; started++) {
      batch.push(
        engine.start({
          kind: "simulated",
          jobId: `bench-${String(started).padStart(4, "0")}`,
          pollingIntervalSeconds: 5,
          timeoutSeconds: 7200,
          target: { durationSeconds: 3600 },
        }),
      );
      if (batch.length >= 50) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const running = (await engine.list({ statuses: ["Running"] })).filter((m) => m.customStatus).length;
      if (running >= count) break;
      if (Date.now() > deadline) throw new Error(`only ${running}/${count} monitors running after 120 s`);
      await sleep(500);
    }
    const startSeconds = (performance.now() - t0) / 1000;

    log("");
    log(`${count} running monitors (started and running in ${startSeconds.toFixed(1)} s)`);
    for (const variant of VARIANTS) {
      await measureDashboard(variant, remoteEnv, env);
    }
  }
  await engine.close();
}

/** Stops the tmux server and the child processes (SIGTERM, then SIGKILL after 5 s), then removes the temp dir. */
async function cleanup(): Promise<void> {
  try {
    tmux("kill-server");
  } catch {
    // not started
  }
  const exited = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once("exit", () => r()));
  for (const c of children) c.kill("SIGTERM");
  const all = Promise.all(children.map(exited));
  const timer = setTimeout(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  }, 5000);
  await all;
  clearTimeout(timer);
  rmSync(dir, { recursive: true, force: true });
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench:tui failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
