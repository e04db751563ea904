/**
 * bench/check-cost: what our monitors cost the machine that runs them. A `durable-monitor-tui worker` process (it owns
 * the embedded hub and runs the worker, as a user starts it) runs BENCH_MONITORS simulated monitors checking every
 * second; after a warm-up, its CPU time (user + system, from /proc) over BENCH_SECONDS is divided by the checks made
 * meanwhile (the monitors' check counts, read with `list --json`). With BENCH_BASELINE_BIN (another build's bin) the
 * two builds alternate, BENCH_ROUNDS each (default 2), for an A/B; BENCH_NODE_FLAGS="A|B" runs the worker under each
 * set of Node flags in turn (default: the bin's shebang flags, which the bin itself drops for `worker` since
 * bin/server-flags.js; an empty set is Node's defaults). Run with `npm run bench:checks` (it builds first). Prints
 * figures; asserts nothing.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { privateEnv } from "./private-env.ts";
import { startWorkerProcess } from "./worker-process.ts";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const BIN = join(ROOT, "bin", "durable-monitor-tui.js");
const BASELINE_BIN = process.env.BENCH_BASELINE_BIN ? resolve(process.env.BENCH_BASELINE_BIN) : undefined;
const MONITORS = Number(process.env.BENCH_MONITORS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARM_UP_MS = 10_000;
// The bin's shebang starts Node with this flag; spawning `node bin/...` directly must pass it to match.
const SHEBANG_FLAGS = ["--max-semi-space-size=2"];
const FLAG_SETS = (process.env.BENCH_NODE_FLAGS ?? SHEBANG_FLAGS.join(" ")).split("|").map((set) => set.split(" ").filter(Boolean));
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

const loadText = () => loadavg().map((l) => l.toFixed(2)).join(", ");
const log = (line: string) => process.stdout.write(line + "\n");

/** CPU milliseconds (user + system) of a process so far. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1000;
}

/** Every check the monitors have made (their check counts carry across continue-as-new). */
function checksSoFar(bin: string, env: NodeJS.ProcessEnv): number {
  const listed = JSON.parse(execFileSync(process.execPath, [...SHEBANG_FLAGS, bin, "list", "--json"], { env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })) as Array<{
    monitor: { checkCount: number | null } | null;
  }>;
  return listed.reduce((sum, m) => sum + (m.monitor?.checkCount ?? 0), 0);
}

async function measure(bin: string, flags: string[]): Promise<{ checks: number; cpu: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), "dmt-bench-checks-"));
  const env = privateEnv(dir);
  const worker = await startWorkerProcess([...flags, bin, "worker"], env);
  try {
    const spec = JSON.stringify({ kind: "simulated", target: { durationSeconds: 36_000 }, pollingIntervalSeconds: 1, timeoutSeconds: 72_000 });
    writeFileSync(join(dir, "specs.jsonl"), `${spec}\n`.repeat(MONITORS));
    execFileSync(process.execPath, [...SHEBANG_FLAGS, bin, "start", "--specs", join(dir, "specs.jsonl")], { env, stdio: "ignore" });
    await sleep(WARM_UP_MS);
    const [checks0, cpu0, t0] = [checksSoFar(bin, env), cpuMs(worker.pid!), performance.now()];
    await sleep(SECONDS * 1000);
    const [cpu1, t1] = [cpuMs(worker.pid!), performance.now()];
    return { checks: checksSoFar(bin, env) - checks0, cpu: cpu1 - cpu0, seconds: (t1 - t0) / 1000 };
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

log(`bench:checks — Node ${process.versions.node}, ${MONITORS} monitors every 1 s, ${SECONDS} s after a ${WARM_UP_MS / 1000} s warm-up, ${ROUNDS} rounds; load average ${loadText()} at the start`);
log("");
log("| build | Node flags | round | checks | worker + hub CPU | CPU per check | share of one core |");
log("|---|---|---|---|---|---|---|");
const builds = BASELINE_BIN ? [["this build", BIN], ["baseline build", BASELINE_BIN]] : [["this build", BIN]];
for (let round = 1; round <= ROUNDS; round++) {
  for (const [label, bin] of builds) {
    for (const flags of FLAG_SETS) {
      const { checks, cpu, seconds } = await measure(bin!, flags);
      const cells = [label, flags.join(" ") || "(defaults)", round, checks, `${(cpu / 1000).toFixed(1)} s`, `${(cpu / checks).toFixed(2)} ms`, `${(cpu / seconds / 10).toFixed(1)} %`];
      log(`| ${cells.join(" | ")} |`);
    }
  }
}
log("");
log(`load average ${loadText()} at the end`);
