/**
 * bench:tui: what the dashboard costs while it watches many running monitors, and what the hub's watch costs.
 *
 * A hub (`durable-monitor-tui hub`) and a worker (`durable-monitor-tui worker`) run as child processes; N simulated
 * monitors (5 s interval, long timeout) are started; then the dashboard runs with `--no-worker` in a 160×50 tmux
 * pane, connected to that hub through ENDPOINT/TASKHUB. We read the dashboard process's CPU time and RSS from
 * /proc/PID/stat and /proc/PID/status over BENCH_SECONDS. Start-up (first frame, first rows; each command started
 * once before, untimed, as a dashboard opened many times a day has its code cache) is timed beside a bare
 * Ink hello-world in the same pane, in the same run. Key → frame: a key written into the pane, timed until the pane's
 * output carries the frame that moves the selection (the output goes through tmux pipe-pane to a small process that
 * stamps each chunk as it reads it; a captured screen confirms the move); beside it, `less` scrolling a file with the
 * same keys in the same pane (the share of tmux and the pane themselves). Keys go in two ways (BENCH_KEY_PATHS, default
 * "client,control"), both printed beside the target: a `tmux send-keys` process per key, as the figure has been measured
 * since the first round (timed from its spawn, so a process start is in every press: its slowest presses are mostly
 * that process waiting for a core), and one tmux control-mode client that writes each key with no process started,
 * the closest this bench gets to a terminal writing a key into the pseudo-terminal. At the counts in BENCH_EMBEDDED (default "1000"; empty: none) the standalone hub and worker then
 * stop and the dashboard runs as it does by default: it takes the hub's database over, serves the hub and runs the
 * monitors' checks in its own process.
 * For 10,000 monitors (in BENCH_COUNTS), the hub is stopped and the rows of running monitors (copies of a live one's
 * input and custom status) are written into its database, then it starts again: the live ones keep checking, the
 * copies stand still. Last, the hub's CPU for the watch: a second hub, no worker, 1,000 then 10,000 instances, read by
 * a watching engine once a second: list-then-watch beside the paged query, beside no reader at all.
 * Run with `npm run bench:tui` (it builds first). Prints figures beside their targets; asserts nothing.
 *
 * Environment: BENCH_SECONDS (default 30), BENCH_COUNTS (default "1000,10000"), BENCH_KEY_PRESSES (default 60),
 * BENCH_NODE_FLAGS (node flag sets to compare, separated by "|"; default: as shipped only), BENCH_HUB_WATCH=0 skips
 * the hub part. A/B: BENCH_BASELINE_BIN (another build's bin, e.g. a copy of main's bin/ and dist/ beside a link to
 * node_modules) runs its dashboard against the same hub, interleaved with this build's, BENCH_ROUNDS times (default 1).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { loadProfile } from "../dist/config/index.js";
import { createEngine } from "../dist/engine/create-engine.js";
import { openSqliteStore } from "../dist/engine/hub/sqlite-store.js";
import { hubWatchFeed, pagedQueryFeed, type InstanceFeed } from "../dist/engine/instance-feed.js";
import { SpecCache } from "../dist/engine/snapshot.js";
import { Watcher } from "../dist/engine/watcher.js";
import { silentLogger } from "../dist/logging.js";
import { NoOpLogger, TaskHubGrpcClient } from "@microsoft/durabletask-js";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const BIN = join(ROOT, "bin", "durable-monitor-tui.js");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const COUNTS = (process.env.BENCH_COUNTS ?? "1000,10000").split(",").map(Number);
/** Monitors that really run (start, check every 5 s); above this, the rest are rows written into the database. */
const LIVE_MAX = Number(process.env.BENCH_LIVE_MAX ?? 1000);
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

/**
 * The selected monitor's job id (its row starts with "›"), or undefined. Rows re-sort while the dashboard runs (a row
 * moves when its spec arrives or its status changes), so the selection's screen line can move without a key; which
 * monitor is selected changes only with a key.
 */
function selectedJob(s: string): string | undefined {
  const line = s.split("\n").find((l) => l.startsWith("›"));
  return line === undefined ? undefined : /bench-\d+/.exec(line)?.[0];
}

/**
 * Whether `key` can move the selection on this screen: a monitor's row is drawn next to the selected one on that side.
 * A re-sort can bring the selected monitor to the table's first row, where `k` changes nothing (no frame would come).
 */
function selectionCanMove(s: string, key: "j" | "k"): boolean {
  const lines = s.split("\n");
  const at = lines.findIndex((l) => l.startsWith("›"));
  const next = lines[key === "j" ? at + 1 : at - 1];
  return at >= 0 && next !== undefined && /bench-\d+/.test(next);
}

/** The selected row: the screen's value, and in the output, a row drawn with "›" naming another monitor than before. */
const selectedRow: KeyTarget = {
  shown: selectedJob,
  carries: (text, before) => [...text.matchAll(/›[^\n›]*?(bench-\d+)/g)].some((m) => m[1] !== before),
  canMove: selectionCanMove,
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/** What a key changes on screen, and how to tell the frame that carries the change in the pane's output. */
interface KeyTarget {
  /** The value the key changes (the selected monitor, less's top line), read from a captured screen. */
  shown(screen: string): string | undefined;
  /** True when this output (ANSI codes removed; a chunk with the end of the one before) carries the change from `before`. */
  carries(text: string, before: string | undefined): boolean;
  /** Whether the key changes the value on this screen (default: always); when not, the other key is pressed. */
  canMove?(screen: string, key: "j" | "k"): boolean;
}

/** One chunk of the pane's output, stamped (CLOCK_MONOTONIC, ns) by the stamper process when it read it. */
interface PaneChunk {
  atNs: bigint;
  text: string;
}

/**
 * The pane's output as it comes: tmux pipe-pane runs a small node process (STAMPER) that reads it and stamps each
 * chunk on reading it, so that a frame's time does not depend on when the bench (busy capturing the screen, or waiting
 * for a core) got round to looking.
 */
interface PaneStream {
  chunks: PaneChunk[];
  /** Resolves at the next chunk (true), or after `ms` (false). */
  next(ms: number): Promise<boolean>;
}

const STAMPER = `const h = Buffer.alloc(12);
const put = (chunk) => { h.writeBigInt64LE(process.hrtime.bigint()); h.writeUInt32LE(chunk.length, 8); process.stdout.write(Buffer.concat([h, chunk])); };
put(Buffer.alloc(0));
process.stdin.on("data", put);
`;

/** Each piping gets a FIFO of its own: a stamper still exiting from the last one must not end the new one's stream. */
let pipings = 0;
let stamperScript = "";

/** How a key gets into the pane: a `tmux send-keys` client per key (as ever), or one control-mode client. */
type KeyPath = "client" | "control";
const KEY_PATHS: KeyPath[] = (process.env.BENCH_KEY_PATHS ?? "client,control").split(",") as KeyPath[];

/** One press's time to its frame; how long its `tmux send-keys` process ran (client path only); whether its frame was told by its text. */
interface Press {
  ms: number;
  sendMs: number;
  byText: boolean;
  /** A press whose frame did not come within 10 s (its `ms` is infinite): what the pane showed. */
  lost?: string;
  /** A press that could not move the selection (it was at the table's edge by then): not counted, pressed again. */
  atEdge?: string;
}

/** At most this many presses at the table's edge are pressed again in one run (beyond, they count as lost). */
const MAX_EDGE_PRESSES = 5;

/**
 * A persistent `tmux -C attach` client: a key is one line on its stdin, with no process started per key (a
 * `tmux send-keys` client costs ~20-30 ms of process start, and over 100 ms on a loaded machine, before the key is
 * written). Its notifications are read and dropped.
 */
function controlClient(): { send(key: string): void; close(): Promise<void> } {
  const client = spawn("tmux", ["-L", socket, "-f", "/dev/null", "-C", "attach-session", "-t", "bench"], { stdio: ["pipe", "pipe", "ignore"] });
  client.stdout!.resume();
  const exited = new Promise<void>((r) => client.once("exit", () => r()));
  return {
    send: (key) => void client.stdin!.write(`send-keys -t bench ${key}\n`),
    close: async () => {
      client.stdin!.end();
      await exited;
    },
  };
}

/** A `tmux send-keys` process, not waited for: resolves with how long it ran once it exits. */
function sendKeysProcess(key: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolveSent, reject) => {
    const child = spawn("tmux", ["-L", socket, "-f", "/dev/null", "send-keys", "-t", "bench", key], { stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolveSent(performance.now() - t0) : reject(new Error(`tmux send-keys exited with ${code}`))));
  });
}

const execFileAsync = promisify(execFile);

async function screenAsync(): Promise<string> {
  return (await execFileAsync("tmux", ["-L", socket, "-f", "/dev/null", "capture-pane", "-p", "-t", "bench"], { encoding: "utf8" })).stdout;
}

// CSI and OSC sequences, and the two-byte escapes (ESC M, ESC 7 …).
const ANSI = /\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]/g;

/**
 * Key → frame: writes `j` (or `k`, alternating, so the selection stays on screen; the other one where the target says
 * this one cannot move it) into the pane and times until the pane's output carries the frame that changes what the key
 * changes (`target.shown`: the selected monitor, less's top line). Once a burst of output is quiet for 2 ms the screen
 * is captured; when it shows the change, the frame is the first chunk since the key whose text carries it
 * (`target.carries`: a clock tick's frame in between is not counted), or, failing that, the last chunk read by the
 * time the capture answered (never earlier than the truth; counted). Presses are spaced 100–200 ms apart.
 */
async function keyToFrame(target: KeyTarget, path: KeyPath, pane: PaneStream): Promise<Press[]> {
  const presses: Press[] = [];
  await waitFor("the key's target on screen", () => target.shown(screen()) !== undefined, 10_000, 10);
  const control = path === "control" ? controlClient() : undefined;
  try {
    for (let i = 0; i < KEY_PRESSES; i++) {
      const shownNow = await screenAsync();
      const preferred = i % 2 === 0 ? "j" : "k";
      const key = !target.canMove || target.canMove(shownNow, preferred) ? preferred : preferred === "j" ? "k" : "j";
      const before = target.shown(shownNow);
      const first = pane.chunks.length;
      const t0 = process.hrtime.bigint();
      let sent: Promise<number> = Promise.resolve(0);
      if (control) control.send(key);
      else sent = sendKeysProcess(key);
      let frame: { atNs: bigint; byText: boolean } | undefined;
      let looked = first;
      const deadline = performance.now() + 10_000;
      while (!frame) {
        if (performance.now() > deadline) break;
        if (pane.chunks.length === looked) {
          await pane.next(50);
          continue;
        }
        // The burst may still be arriving: look once it is quiet for 2 ms.
        if (await pane.next(2)) continue;
        looked = pane.chunks.length;
        const now = target.shown(await screenAsync());
        if (now === undefined || now === before) continue;
        const read = pane.chunks.slice(first);
        const carrier = read.find((c, k) => c.atNs >= t0 && target.carries(((k > 0 ? read[k - 1]!.text.slice(-400) : "") + c.text).replace(ANSI, ""), before));
        frame = carrier ? { atNs: carrier.atNs, byText: true } : { atNs: read[read.length - 1]!.atNs, byText: false };
      }
      if (!frame) {
        const screenThen = await screenAsync();
        const shownThen = screenThen.split("\n").filter((l) => l.startsWith("›") || /^▶/.test(l)).map((l) => l.trim().slice(0, 60));
        const what = `press ${i} (${key}) from ${before}: ${shownThen.join(" / ")}`;
        if (target.canMove && !target.canMove(screenThen, key) && presses.filter((p) => p.atEdge).length < MAX_EDGE_PRESSES) {
          // A re-sort brought the selected monitor to the table's edge after the screen was read: the key could not
          // move it, so there was no frame to time. Not a sample; pressed again.
          presses.push({ ms: Number.NaN, sendMs: await sent, byText: false, atEdge: what });
          i--;
          continue;
        }
        // Counted as the slowest press there is, with what the pane showed.
        presses.push({ ms: Number.POSITIVE_INFINITY, sendMs: await sent, byText: false, lost: what });
        continue;
      }
      presses.push({ ms: Number(frame.atNs - t0) / 1e6, sendMs: await sent, byText: frame.byText });
      await sleep(100 + Math.random() * 100);
    }
  } finally {
    await control?.close();
  }
  return presses;
}

/** Key → frame over each key path (KEY_PATHS), in the pane as it is. */
async function keyToFrameByPath(target: KeyTarget): Promise<Map<KeyPath, Press[]>> {
  const byPath = new Map<KeyPath, Press[]>();
  for (const path of KEY_PATHS) byPath.set(path, await withPaneStream((pane) => keyToFrame(target, path, pane)));
  return byPath;
}

/** The lines that report key → frame: per path, the figures (the first path's beside the target), and the client's share. */
function keyLines(byPath: Map<KeyPath, Press[]>, target: boolean): string[] {
  const lines: string[] = [];
  for (const [path, all] of byPath) {
    const edge = all.filter((p) => p.atEdge);
    const presses = all.filter((p) => !p.atEdge);
    const ms = presses.map((p) => p.ms);
    const median = percentile(ms, 0.5);
    const p99 = percentile(ms, 0.99);
    const untold = presses.filter((p) => !p.byText && !p.lost).length;
    const figures = `median ${median.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms over ${ms.length} presses of j/k`;
    const tail =
      `p90 ${percentile(ms, 0.9).toFixed(0)} ms, p95 ${percentile(ms, 0.95).toFixed(0)} ms, over 100 ms: ${ms.filter((k) => k > 100).length}` +
      (untold ? `; ${untold} frames timed at the capture (not told by their text)` : "") +
      (presses.some((p) => p.lost) ? `; NO FRAME within 10 s: ${presses.filter((p) => p.lost).map((p) => p.lost).join("; ")}` : "") +
      (edge.length ? `; not counted, pressed again: ${edge.length} at the table's edge by the time the key landed (${edge.map((p) => p.atEdge).join("; ")})` : "");
    if (path === "client") {
      const send = presses.map((p) => p.sendMs);
      const worst = [...presses].sort((a, b) => b.ms - a.ms).slice(0, 3).map((p) => `${p.ms.toFixed(0)} (its send-keys ran ${p.sendMs.toFixed(0)})`);
      lines.push(`key → frame        ${figures}${target ? ` (target ≤ 50 / ≤ 100 ms: ${verdict(median <= 50 && p99 <= 100)})` : ""}; ${tail}`);
      lines.push(
        `  keys from a tmux send-keys process per key, timed from its spawn; such a process ran (spawn to exit) median ${percentile(send, 0.5).toFixed(0)} ms, ` +
          `p99 ${percentile(send, 0.99).toFixed(0)} ms; slowest presses: ${worst.join(", ")}`,
      );
    } else {
      const verdictNote = target ? ` (target ≤ 50 / ≤ 100 ms: ${verdict(median <= 50 && p99 <= 100)})` : "";
      lines.push(`key → frame, keys from one tmux control-mode client (no process per key): ${figures}${verdictNote}; ${tail}`);
    }
  }
  return lines;
}

/** Runs `run` with the pane's output piped (tmux pipe-pane) through the stamper into a FIFO the bench reads as it comes. */
async function withPaneStream<T>(run: (pane: PaneStream) => Promise<T>): Promise<T> {
  let wake: (() => void) | undefined;
  const pane: PaneStream = {
    chunks: [],
    next: (ms) =>
      new Promise<boolean>((resolveNext) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolveNext(false);
        }, ms);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolveNext(true);
        };
      }),
  };
  let pending = Buffer.alloc(0);
  let started: () => void = () => {};
  const ready = new Promise<void>((r) => (started = r));
  const fifo = join(dir, `pane-${++pipings}.fifo`);
  execFileSync("mkfifo", [fifo]);
  const stream = createReadStream(fifo);
  stream.on("data", (data) => {
    pending = Buffer.concat([pending, data as Buffer]);
    while (pending.length >= 12 && pending.length >= 12 + pending.readUInt32LE(8)) {
      const length = pending.readUInt32LE(8);
      if (length === 0) started();
      else pane.chunks.push({ atNs: pending.readBigInt64LE(0), text: pending.subarray(12, 12 + length).toString("utf8") });
      pending = pending.subarray(12 + length);
    }
    wake?.();
  });
  tmux("pipe-pane", "-O", "-t", "bench", `exec ${shellQuote(process.execPath)} ${shellQuote(stamperScript)} > ${shellQuote(fifo)}`);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ready, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("the pane's stamper did not start within 10 s")), 10_000)))]);
  clearTimeout(timer);
  try {
    return await run(pane);
  } finally {
    tmux("pipe-pane", "-t", "bench");
    stream.destroy();
  }
}

/** Key → frame of `less` scrolling a file one line per j/k in the same pane: what the pane and tmux cost by themselves. */
async function lessKeyToFrame(): Promise<Map<KeyPath, Press[]>> {
  const file = join(dir, "lines.txt");
  writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `line ${i}`).join("\n") + "\n");
  runInPane(`exec less -S ${shellQuote(file)}`);
  const topLine = (s: string) => /^line (\d+)/.exec(s)?.[1];
  await waitFor("less", () => topLine(screen()) === "0", 10_000, 10);
  // less writes only when a key moves it.
  const times = await keyToFrameByPath({ shown: topLine, carries: (text) => text.length > 0 });
  // Quit it (not killed by the next respawn): less restores the terminal modes it set for the dashboard after it.
  tmux("send-keys", "-t", "bench", "q");
  await waitFor("less to quit", () => tmux("display-message", "-p", "-t", "bench", "#{pane_dead}").trim() === "1", 10_000, 20);
  return times;
}

/**
 * Dashboard runs per monitor count: as shipped (the bin's shebang starts node with a small V8 young generation,
 * --max-semi-space-size=2, the RSS lever we found); BENCH_NODE_FLAGS compares others.
 */
const SHIPPED_FLAGS = "--max-semi-space-size=2";
const FLAG_VARIANTS: Array<{ label: string; nodeFlags: string; bin: string }> = process.env.BENCH_NODE_FLAGS
  ? // To compare other settings: BENCH_NODE_FLAGS="--max-semi-space-size=4|--max-semi-space-size=8|" (empty: defaults).
    process.env.BENCH_NODE_FLAGS.split("|").map((flags) => ({ label: flags ? `node ${flags}` : "node's defaults", nodeFlags: flags, bin: BIN }))
  : [{ label: `as shipped (bin's shebang: node ${SHIPPED_FLAGS})`, nodeFlags: SHIPPED_FLAGS, bin: BIN }];
const BASELINE_BIN = process.env.BENCH_BASELINE_BIN;
/** Monitor counts at which the dashboard also runs as by default, owning the embedded hub and running the worker. */
const EMBEDDED_COUNTS = (process.env.BENCH_EMBEDDED ?? "1000").split(",").filter(Boolean).map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
/** Each round runs the baseline build (when given) and then this build, so both see the same load. */
const VARIANTS = Array.from({ length: ROUNDS }, (_, round) => [
  ...(BASELINE_BIN ? FLAG_VARIANTS.map((v) => ({ ...v, label: `baseline ${BASELINE_BIN}, ${v.label}`, bin: BASELINE_BIN })) : []),
  ...FLAG_VARIANTS.map((v) => ({ ...v, label: `${BASELINE_BIN ? "this build, " : ""}${v.label}` })),
].map((v) => ({ ...v, label: ROUNDS > 1 ? `round ${round + 1}, ${v.label}` : v.label }))).flat();

function paneEnv(e: NodeJS.ProcessEnv): string {
  return Object.entries(e)
    .filter(([k]) => /^(DURABLE_MONITOR_TUI_|ENDPOINT$|TASKHUB$|NODE_ENV$|NODE_OPTIONS$|PATH$|HOME$)/.test(k))
    .map(([k, v]) => `${k}=${shellQuote(v ?? "")}`)
    .join(" ");
}

let helloScript = "";

const verdict = (ok: boolean) => (ok ? "meets" : "MISSES");

/** One dashboard run: cold start beside the Ink hello-world, key → frame, then CPU and RSS over SECONDS. Prints its lines. */
/** The dashboard commands already started once: the bin writes a command's code cache when it quits (bin/bundle-loader.js). */
const warmed = new Set<string>();

/**
 * Starts `command` once, untimed, until its rows show, and quits it: a dashboard opened many times a day starts from
 * its code cache (and Node's compile cache), which its very first start after an install or a build writes.
 */
async function warmUp(command: string): Promise<void> {
  if (warmed.has(command)) return;
  warmed.add(command);
  const { pid } = await timeToScreen(command, (s) => /bench-\d{4}/.test(s));
  tmux("send-keys", "-t", "bench", "q");
  await waitFor("the warm-up dashboard to quit", () => !pidAlive(pid), 15_000, 50).catch(() => process.kill(pid, "SIGKILL"));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function measureDashboard(
  count: number,
  variant: { label: string; nodeFlags: string; bin: string },
  dashboardEnv: NodeJS.ProcessEnv,
  env: NodeJS.ProcessEnv,
  embedded = false,
): Promise<void> {
  const node = [process.execPath, ...(variant.nodeFlags ? variant.nodeFlags.split(" ") : [])].map(shellQuote).join(" ");
  const inkHello = await timeToScreen(`exec env ${paneEnv(env)} ${node} ${shellQuote(helloScript)}`, (s) => s.includes("hello, world"));
  const dashCommand = `exec env ${paneEnv(dashboardEnv)} ${node} ${shellQuote(variant.bin)}${embedded ? "" : " --no-worker"}`;
  await warmUp(dashCommand);
  const first = await timeToScreen(dashCommand, (s) => s.includes("durable-monitor-tui") && s.includes("JOB"));
  const pid = first.pid;
  const dataAt = await waitFor("rows of data", () => (/bench-\d{4}/.test(screen()) ? performance.now() : false), 60_000, 5);
  const firstRows = dataAt - first.t0;
  // Key presses once the whole list is in (the header counts every monitor).
  await waitFor("the whole list", () => screen().includes(`of ${count.toLocaleString("en-US")}`), 120_000, 50);
  const keyCpu0 = cpuSeconds(pid);
  const keyWall0 = performance.now();
  const byPath = await keyToFrameByPath(selectedRow);
  const pressCount = [...byPath.values()].reduce((n, presses) => n + presses.length, 0);
  const keyCpu = cpuSeconds(pid) - keyCpu0;
  const keyWall = (performance.now() - keyWall0) / 1000;

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
  await waitFor("the dashboard to quit", () => !pidAlive(pid), 15_000, 50).catch(() => process.kill(pid, "SIGKILL"));

  const big = count >= 10_000;
  log(`  dashboard${embedded ? " owning the embedded hub and running the worker (the default)" : ""}, ${variant.label} (${loadLine()}):`);
  log(`    first frame        ${first.ms.toFixed(0)} ms; bare Ink hello-world in the same pane ${inkHello.ms.toFixed(0)} ms (×${(first.ms / inkHello.ms).toFixed(2)})`);
  log(`    first rows         ${firstRows.toFixed(0)} ms (×${(firstRows / inkHello.ms).toFixed(2)} of bare Ink; target ≤ ×1.5: ${verdict(firstRows <= 1.5 * inkHello.ms)})`);
  for (const line of keyLines(byPath, true)) log(`    ${line}`);
  // What a key costs the dashboard itself: its CPU while keys were pressed, minus the steady rate over that time.
  const perKeyMs = ((keyCpu - (cpuPercent / 100) * keyWall) / pressCount) * 1000;
  log(`    CPU per key        ~${Math.max(0, perKeyMs).toFixed(0)} ms of the dashboard's own CPU (the rest of key → frame is waiting for a core)`);
  log(`    CPU                ${cpuPercent.toFixed(1)} % of one core over ${wall.toFixed(1)} s${big ? ` (target at 10,000 ≤ 20 %: ${verdict(cpuPercent <= 20)})` : ""}`);
  log(`    RSS                ${rssEnd.toFixed(0)} MB at the end, ${rssMax.toFixed(0)} MB max${big ? ` (target at 10,000 ≤ 250 MB: ${verdict(rssMax <= 250)})` : ""}`);
  log(`    screen changed     ${changes} of ${Math.round(wall)} one-second samples; ${header.trim()}`);
}

/**
 * Writes `copies` running monitors into the (closed) hub database: each a copy of a live monitor's input and custom
 * status (its job id renamed in both), with no message in its inbox, so it stands still. Returns the time it took.
 */
function seedRunningCopies(dbPath: string, template: { name: string; input: string; customStatus?: string }, from: number, copies: number): number {
  const t0 = performance.now();
  const store = openSqliteStore(dbPath);
  const now = Date.now();
  store.transaction(() => {
    for (let i = from; i < from + copies; i++) {
      const jobId = `bench-${String(i).padStart(5, "0")}`;
      // Its own job id in the input and in the custom status (which the row shows): 9,000 rows of one job would make
      // the table tell them apart by instance id, a cost no real hub of 10,000 monitors has.
      const ownJob = (text: string) => text.replace(/"jobId":"[^"]*"/, `"jobId":"${jobId}"`);
      const input = ownJob(template.input);
      const customStatus = template.customStatus === undefined ? undefined : ownJob(template.customStatus);
      store.createInstance(
        { taskHub: "default", instanceId: `seeded-${i}`, executionId: `e-${i}`, name: template.name, status: 0, input, customStatus, createdAt: now - i, lastUpdatedAt: now },
        [],
      );
    }
  });
  store.close();
  return (performance.now() - t0) / 1000;
}

/** A hub process on `port` serving `dbPath` (no token: loopback only); resolves once it listens. */
async function spawnHub(port: number, dbPath: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const hub = spawn(process.execPath, [BIN, "hub", "--insecure", "--port", String(port), "--db", dbPath], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(hub);
  let out = "";
  hub.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  hub.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  await waitFor("the hub", () => out.includes("listening"), 20_000, 50).catch((e: Error) => {
    throw new Error(`${e.message}; hub said: ${out}`);
  });
  return hub;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  await exited;
}

const loadLine = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(", ")}`;

/**
 * The hub's CPU for a watch: a hub with `count` still instances (no worker), read once a second by a Watcher with the
 * list-then-watch feed, then by one with the paged query (what DTS gets), beside a window with no reader.
 */
async function measureHubWatch(env: NodeJS.ProcessEnv, template: { name: string; input: string; customStatus?: string }): Promise<void> {
  const port = await freePort();
  const dbPath = join(dir, "watch-hub.sqlite");
  const windowSeconds = Math.max(10, Math.round(SECONDS / 2));
  log("");
  log(`hub CPU for one watching dashboard (a hub of still instances, no worker; one refresh a second; ${windowSeconds} s windows)`);
  let seeded = 0;
  for (const count of [1000, 10_000]) {
    seedRunningCopies(dbPath, template, seeded, count - seeded);
    seeded = count;
    const hub = await spawnHub(port, dbPath, env);
    const client = new TaskHubGrpcClient({ hostAddress: `127.0.0.1:${port}`, logger: new NoOpLogger() });
    /** The hub's CPU % over a window, and the refreshes made in it; with a feed, the window opens after its first full list. */
    const hubCpu = async (feed?: InstanceFeed): Promise<{ percent: number; refreshes: number }> => {
      let watcher: Watcher | undefined;
      let refreshes = 0;
      if (feed) {
        let shown = 0;
        watcher = new Watcher({
          feed: {
            refresh: async (onPage) => {
              const kind = await feed.refresh(onPage);
              refreshes++;
              return kind;
            },
          },
          specs: new SpecCache(),
          listener: (e) => {
            if (e.type === "snapshots") shown += e.upserted.length;
          },
          periodMs: 1000,
          onQueryOk: () => {},
          onQueryFailed: () => {},
          logger: silentLogger,
        });
        watcher.start();
        await waitFor("the first full list", () => shown >= count && refreshes >= 1, 120_000, 20);
        await sleep(1500);
      }
      const r0 = refreshes;
      const c0 = cpuSeconds(hub.pid!);
      const w0 = performance.now();
      await sleep(windowSeconds * 1000);
      const percent = ((cpuSeconds(hub.pid!) - c0) / ((performance.now() - w0) / 1000)) * 100;
      const made = refreshes - r0;
      watcher?.stop();
      return { percent, refreshes: made };
    };
    const idle = await hubCpu();
    const watch = await hubCpu(hubWatchFeed(() => client));
    const paged = await hubCpu(pagedQueryFeed(() => client));
    client.stop();
    await stopProcess(hub);
    log(
      `  ${count.toLocaleString("en-US")} instances: list then watch ${watch.percent.toFixed(1)} % of one core (${watch.refreshes} refreshes); ` +
        `paged query ${paged.percent.toFixed(1)} % (${paged.refreshes} refreshes); no reader ${idle.percent.toFixed(1)} % (${loadLine()})`,
    );
  }
}

async function main(): Promise<void> {
  const port = await freePort();
  const env = baseEnv({
    DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"),
    DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config"),
    // BENCH_LOG_FILE keeps the log after the run (with DURABLE_MONITOR_TUI_LOG_LEVEL=debug, the dashboard's heap every 10 s).
    DURABLE_MONITOR_TUI_LOG_FILE: process.env.BENCH_LOG_FILE ?? join(dir, "bench.log"),
  });
  const remoteEnv = { ...env, ENDPOINT: `http://127.0.0.1:${port}`, TASKHUB: "default" };
  // The embedded hub's own database: a dashboard without ENDPOINT opens it once the standalone hub has stopped.
  const dbPath = join(dir, "data", "hub.sqlite");
  mkdirSync(join(dir, "data"), { recursive: true, mode: 0o700 });
  stamperScript = join(dir, "stamper.cjs");
  writeFileSync(stamperScript, STAMPER);

  // The hub and the worker: other processes, as in production.
  let hub = await spawnHub(port, dbPath, env);
  const spawnWorker = () => {
    const child = spawn(process.execPath, [BIN, "worker"], { env: remoteEnv, stdio: ["ignore", "ignore", "ignore"] });
    children.push(child);
    return child;
  };
  let worker = spawnWorker();

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

  log(`durable-monitor-tui bench:tui — dashboard --no-worker (and at ${EMBEDDED_COUNTS.join(", ") || "no count"}: as by default, owning the hub) in a ${COLUMNS}×${ROWS} tmux pane, ${SECONDS} s per run`);
  log(`node ${process.versions.node}, ${CLK_TCK} ticks/s; hub and worker in separate processes on 127.0.0.1:${port}; ${loadLine()}`);

  let started = 0;
  let seeded = 0;
  let template: { name: string; input: string; customStatus?: string } | undefined;
  for (const count of COUNTS) {
    // Top up to `count` running monitors: live ones up to LIVE_MAX, copies written into the database beyond.
    const t0 = performance.now();
    const live = Math.min(count, LIVE_MAX);
    const batch: Promise<string>[] = [];
    for (; started < live; started++) {
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
      if (running >= live) break;
      if (Date.now() > deadline) throw new Error(`only ${running}/${live} monitors running after 120 s`);
      await sleep(500);
    }
    if (!template) {
      const client = new TaskHubGrpcClient({ hostAddress: `127.0.0.1:${port}`, logger: new NoOpLogger() });
      const one = await client.getOrchestrationState((await engine.list({ statuses: ["Running"] }))[0]!.instanceId, true);
      await client.stop();
      template = { name: one!.name, input: one!.serializedInput!, customStatus: one!.serializedCustomStatus };
    }
    let how = `${live} started and running`;
    if (count > live + seeded) {
      await stopProcess(hub);
      const seconds = seedRunningCopies(dbPath, template, live + seeded, count - live - seeded);
      seeded = count - live;
      hub = await spawnHub(port, dbPath, env);
      how += `, ${seeded} more written into the database as running copies in ${seconds.toFixed(1)} s`;
    }
    const startSeconds = (performance.now() - t0) / 1000;

    log("");
    log(`${count.toLocaleString("en-US")} running monitors (${how}; ${startSeconds.toFixed(1)} s in all); ${loadLine()}`);
    for (const variant of VARIANTS) {
      await measureDashboard(count, variant, remoteEnv, env);
    }
    if (EMBEDDED_COUNTS.includes(count)) {
      // The default: the dashboard takes the database over, serves the hub and runs the monitors in its own process.
      await stopProcess(worker);
      await stopProcess(hub);
      log(`  (the standalone hub and worker stopped; ${loadLine()})`);
      for (const variant of VARIANTS) await measureDashboard(count, variant, env, env, true);
      hub = await spawnHub(port, dbPath, env);
      worker = spawnWorker();
    }
  }
  // Last: a dashboard started in the pane after less did not see its keys (some terminal state less leaves behind).
  const less = await lessKeyToFrame();
  log("");
  log(`less in the same pane (j/k scrolling a file: the share of tmux and the pane; ${loadLine()}):`);
  for (const line of keyLines(less, false)) log(`  ${line}`);
  await engine.close();
  if (process.env.BENCH_HUB_WATCH !== "0" && template) await measureHubWatch(env, template);
  log("");
  log(`end: ${loadLine()}`);
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
