/**
 * bench/cli-startup: how long a command takes from spawn to exit, beside `node -e 0` timed in the same run.
 *
 * Targets (issue 12): `--version` and `--help` ≤ 1.5× `node -e 0`; `list`, `status` and `start` against a running
 * hub ≤ 2.5× (`raise ID poll-now`, without a target, beside them). "A running hub" is a `durable-monitor-tui worker`
 * process that owns the embedded hub, as when the dashboard or a worker is open. Runs are interleaved (one of each per round) so the machine's load spreads evenly,
 * and each figure is the median of BENCH_REPEATS rounds (default 9). Every command runs twice per round: with
 * Node's compile cache (as shipped) and with it disabled (NODE_DISABLE_COMPILE_CACHE=1), so the cache's effect is
 * measured in the same run. CPU time (user + system, from /proc: less sensitive to a busy machine than wall time) is
 * printed beside it. Environment: BENCH_REPEATS (default 9), BENCH_SPECS (default 1000), BENCH_BASELINE_BIN (another build's bin, run in the same rounds for an A/B). Then `start --specs` with 1,000 lines (target ≤ 5 s) beside the one-by-one estimate. Run with `npm run bench:cli` (it builds first). Prints figures; asserts nothing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startWorkerProcess } from "./worker-process.ts";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const BIN = join(ROOT, "bin", "durable-monitor-tui.js");
// 15 rounds: at 9, a command's ratio to `node -e 0` moved by ±5 % from one run to the next on a quiet machine.
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
/** Another build's bin (a checkout of the commit before a change, built): its commands run in the same rounds, for an A/B. */
const BASELINE_BIN = process.env.BENCH_BASELINE_BIN ? resolve(process.env.BENCH_BASELINE_BIN) : undefined;
const SPEC_COUNT = Number(process.env.BENCH_SPECS ?? 1000);
const BULK_REPEATS = 3;
// The bin's shebang starts Node with this flag; spawning `node bin/...` directly must pass it to match.
const SHEBANG_FLAGS = ["--max-semi-space-size=2"];
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

const dir = mkdtempSync(join(tmpdir(), "dmt-bench-cli-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"),
  DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config"),
  NODE_COMPILE_CACHE: join(dir, "compile-cache"),
  NO_COLOR: "1",
};
for (const name of ["DURABLE_TASK_SCHEDULER_CONNECTION_STRING", "TASKHUB_NAME", "ENDPOINT", "TASKHUB", "NODE_OPTIONS"]) delete env[name];

const loadText = () => loadavg().map((l) => l.toFixed(2)).join(", ");

function log(line: string): void {
  process.stdout.write(line + "\n");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** CPU milliseconds (user + system) of this process's waited-for children, from /proc/self/stat (cutime, cstime). */
function childrenCpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[13]) + Number(fields[14])) / CLK_TCK) * 1000;
}

/** Milliseconds from spawn to exit, and the child's CPU milliseconds; throws when the command fails. */
function timeRun(args: string[], extraEnv: NodeJS.ProcessEnv = {}): { ms: number; cpuMs: number; stdout: string } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - cpu0, stdout: r.stdout };
}

function cli(...args: string[]): string[] {
  return [...SHEBANG_FLAGS, BIN, ...args];
}

/** The same command run by the baseline build's bin. */
function onBaseline(c: Case): Case {
  return { ...c, label: `${c.label} [baseline build]`, args: c.args.map((arg) => (arg === BIN ? BASELINE_BIN! : arg)) };
}

interface Case {
  label: string;
  args: string[];
  /** Target as a multiple of `node -e 0`; undefined for a command the issue sets none for. */
  target?: number;
  /** `node -e 0` itself. */
  baseline?: true;
}

async function main(): Promise<void> {
  log(`bench:cli — Node ${process.versions.node}, ${REPEATS} rounds, medians (ms); spawn → exit; load average ${loadText()} at the start`);
  if (BASELINE_BIN) log(`baseline build: ${BASELINE_BIN} (its rows are marked; same rounds, same hub)`);
  const worker = await startWorkerProcess(cli("worker"), env);
  try {
    const started = timeRun(cli("start", "--duration", "3600", "--interval", "60", "--timeout", "7200"));
    const id = started.stdout.trim().split("\n")[0]!;
    const cases: Case[] = [
      { label: "node -e 0 (baseline)", args: ["-e", "0"], baseline: true },
      { label: "--version", args: cli("--version"), target: 1.5 },
      { label: "--help", args: cli("--help"), target: 1.5 },
      { label: "list (worker owns the hub)", args: cli("list"), target: 2.5 },
      { label: "status ID", args: cli("status", id), target: 2.5 },
      { label: "start (no --wait)", args: cli("start", "--duration", "1", "--interval", "1"), target: 2.5 },
      { label: "raise ID poll-now", args: cli("raise", id, "poll-now") },
    ];
    if (BASELINE_BIN) cases.push(...cases.filter((c) => !c.baseline).map(onBaseline));
    const cached = new Map<string, number[]>();
    const cpu = new Map<string, number[]>();
    const uncached = new Map<string, number[]>();
    for (const c of cases) timeRun(c.args); // warm the compile cache and the OS file cache
    for (let round = 0; round < REPEATS; round++) {
      for (const c of cases) {
        const run = timeRun(c.args);
        (cached.get(c.label) ?? cached.set(c.label, []).get(c.label)!).push(run.ms);
        (cpu.get(c.label) ?? cpu.set(c.label, []).get(c.label)!).push(run.cpuMs);
        if (c.baseline) continue;
        const off = timeRun(c.args, { NODE_DISABLE_COMPILE_CACHE: "1" }).ms;
        (uncached.get(c.label) ?? uncached.set(c.label, []).get(c.label)!).push(off);
      }
    }
    const base = median(cached.get(cases[0]!.label)!);
    const startMedian = median(cached.get("start (no --wait)")!);
    const specs = join(dir, "specs.jsonl");
    const spec = (i: number) =>
      JSON.stringify({ kind: "simulated", target: { durationSeconds: 3600 }, pollingIntervalSeconds: 60, timeoutSeconds: 7200, jobId: `bulk-${i}` });
    writeFileSync(specs, Array.from({ length: SPEC_COUNT }, (_, i) => spec(i)).join("\n") + "\n");
    const bulk: number[] = [];
    for (let round = 0; round < BULK_REPEATS; round++) bulk.push(timeRun(cli("start", "--specs", specs)).ms);
    log("");
    const baseCpu = median(cpu.get(cases[0]!.label)!);
    log(`| command | median | node -e 0, same run | × node -e 0 | target | without compile cache | CPU (× node -e 0's) |`);
    log("|---|---|---|---|---|---|---|");
    for (const c of cases) {
      const ms = median(cached.get(c.label)!);
      const cpuMs = median(cpu.get(c.label)!);
      const cpuCell = `${cpuMs.toFixed(0)} ms (×${(cpuMs / baseCpu).toFixed(2)})`;
      if (c.baseline) {
        log(`| ${c.label} | ${ms.toFixed(0)} ms | ${base.toFixed(0)} ms | 1.00 | — | — | ${cpuCell} |`);
        continue;
      }
      const ratio = ms / base;
      const off = median(uncached.get(c.label)!);
      const target = c.target === undefined ? "—" : `≤ ${c.target} (${ratio <= c.target ? "met" : "missed"})`;
      log(`| ${c.label} | ${ms.toFixed(0)} ms | ${base.toFixed(0)} ms | ${ratio.toFixed(2)} | ${target} | ${off.toFixed(0)} ms (×${(off / base).toFixed(2)}) | ${cpuCell} |`);
    }
    const bulkMs = median(bulk);
    log("");
    log(`start --specs with ${SPEC_COUNT} lines (one command, one connection; median of ${BULK_REPEATS}): ${(bulkMs / 1000).toFixed(2)} s ` +
      `(target ≤ 5 s: ${bulkMs <= 5000 ? "met" : "missed"}); one \`start\` per monitor would take ≈ ${((startMedian * SPEC_COUNT) / 1000).toFixed(0)} s ` +
      `(${SPEC_COUNT} × ${startMedian.toFixed(0)} ms, measured above)`);
    log(`load average ${loadText()} at the end`);
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
