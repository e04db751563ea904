/**
 * bench/tui-frame: what one key press costs the dashboard's own CPU, with no other process in the way. The real <App/>
 * (store, keypress pipeline, Ink) renders 1,000 or 10,000 running monitors into an in-memory 160×50 terminal; `j`/`k`
 * are written into its stdin and each is timed until Ink wrote the frame that shows the selection moved, while a
 * fifth of the monitors change every second as the watch would deliver them. The dashboard is bundled as the bin's is
 * (scripts/ink-render-caches-plugin.mjs included), beside the same bundle without that plugin (Ink as published),
 * interleaved in one process. Node runs with the bin's young-generation size (see package.json) and the dashboard's
 * heap growth bound (src/cli/dashboard-session.ts). Prints figures; asserts nothing.
 * Run: `npm run bench:frame` (BENCH_COUNTS, default "1000,10000"; BENCH_KEY_PRESSES, default 200; BENCH_ROUNDS,
 * default 2; BENCH_REFRESH=0 for no refreshes). It also prints the CPU from a refresh's dispatch to its frame, the
 * garbage collector's pauses while keys were pressed, and then, with no key around, the CPU of BENCH_FRAMES (default
 * 30) refresh frames and as many clock-tick frames (every visible row redrawn: its countdowns moved). FORCE_COLOR=1
 * styles rows as in a terminal; BENCH_PLAIN=0 leaves out Ink as published. A/B: BENCH_BASELINE_ROOT (another checkout, e.g. main's, with
 * node_modules) adds that checkout's dashboard and build step as a third variant, interleaved with the others.
 */
import { rmSync, writeFileSync } from "node:fs";
import { PerformanceObserver, constants } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
import type { MonitorSnapshot } from "../src/engine/types.ts";
import type { App as AppComponent } from "../src/ui/App.tsx";
import type { createDashboardStore as CreateStore } from "../src/ui/state/store.ts";
// @ts-expect-error: a build script without type declarations
import { NODE_BUNDLE_OPTIONS, noDevtoolsPlugin } from "../scripts/bundle-options.mjs";
// @ts-expect-error: a build script without type declarations
import { inkRenderCachesPlugin } from "../scripts/ink-render-caches-plugin.mjs";

// React's production build, as the shipped bundle runs (set before React loads).
process.env.NODE_ENV = "production";
// The dashboard's heap growth bound, as runDashboard sets it (src/cli/dashboard-session.ts).
setFlagsFromString("--heap-growing-percent=30");
const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

interface Dashboard {
  React: typeof import("react");
  render: typeof import("ink").render;
  App: typeof AppComponent;
  createDashboardStore: typeof CreateStore;
}

/** The dashboard's modules (of the checkout at `root`) and Ink in one bundle, with or without the shipped build's render `plugins` (an ES module: the shipped bundle's format does not change a frame). */
async function bundled(name: string, plugins: Plugin[], root = ROOT): Promise<Dashboard> {
  const file = join(ROOT, "dist", `.bench-frame-${name}-${process.pid}.mjs`);
  const result = await build({
    stdin: {
      contents: 'export { default as React } from "react"; export { render } from "ink"; export { App } from "./src/ui/App.tsx"; export { createDashboardStore } from "./src/ui/state/store.ts";',
      resolveDir: root,
      loader: "ts",
    },
    ...(NODE_BUNDLE_OPTIONS as BuildOptions),
    plugins: [noDevtoolsPlugin as Plugin, ...plugins],
    write: false,
    logLevel: "warning",
  });
  writeFileSync(file, result.outputFiles[0]!.text);
  try {
    return (await import(pathToFileURL(file).href)) as Dashboard;
  } finally {
    rmSync(file, { force: true });
  }
}

const BASELINE_ROOT = process.env.BENCH_BASELINE_ROOT ? resolve(process.env.BENCH_BASELINE_ROOT) : undefined;
/** The baseline checkout's dashboard, bundled with its own build step. */
async function baseline(root: string): Promise<Dashboard> {
  const plugin = (await import(pathToFileURL(join(root, "scripts", "ink-render-caches-plugin.mjs")).href)) as { inkRenderCachesPlugin(): Plugin };
  return bundled("baseline", [plugin.inkRenderCachesPlugin()], root);
}
const VARIANTS = [
  // BENCH_PLAIN=0: without the Ink-as-published variant (a build compared with a baseline only).
  ...(process.env.BENCH_PLAIN === "0" ? [] : [{ label: "Ink as published", dashboard: await bundled("plain", []) }]),
  ...(BASELINE_ROOT ? [{ label: `baseline ${BASELINE_ROOT}`, dashboard: await baseline(BASELINE_ROOT) }] : []),
  { label: "with render caches", dashboard: await bundled("caches", [inkRenderCachesPlugin() as Plugin]) },
];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** BENCH_REFRESH=0: no refreshes while keys are pressed (default: a fifth of the monitors change every second). */
const REFRESH = process.env.BENCH_REFRESH !== "0";

const COUNTS = (process.env.BENCH_COUNTS ?? "1000,10000").split(",").map(Number);
const PRESSES = Number(process.env.BENCH_KEY_PRESSES ?? 200);
/** Refresh frames and clock-tick frames timed alone after the keys (BENCH_FRAMES, each). */
const FRAMES_ALONE = Number(process.env.BENCH_FRAMES ?? 30);

function snapshot(i: number, now: number): MonitorSnapshot {
  const created = new Date(now - i * 1000);
  const jobId = `bench-${String(i).padStart(5, "0")}`;
  return {
    instanceId: `i-${i}`,
    name: "DurableMonitorTui.Monitor",
    runtimeStatus: "Running",
    createdAt: created,
    updatedAt: new Date(now - 1000),
    spec: { kind: "simulated", jobId, pollingIntervalSeconds: 5, timeoutSeconds: 7200, maxConsecutiveFailures: 3, target: { durationSeconds: 3600, queuedSeconds: 0 } },
    customStatus: {
      jobId,
      kind: "simulated",
      status: "Running",
      progress: (i * 7) % 100,
      checkCount: 3 + (i % 50),
      lastCheckTime: new Date(now - 2000).toISOString(),
      nextCheckAt: new Date(now + 3000).toISOString(),
      deadline: new Date(created.getTime() + 7_200_000).toISOString(),
      intervalSeconds: 5,
    },
  } as MonitorSnapshot;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function measure(count: number, label: string, { React, render, App, createDashboardStore }: Dashboard): Promise<void> {
  const now = Date.now();
  const store = createDashboardStore({ now, loaded: true, connection: { state: "connected" } });
  const upserted = Array.from({ length: count }, (_, i) => snapshot(i, now));
  store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted, removed: [], initial: true } });
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 160, rows: 50 }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {}, ref: () => {}, unref: () => {} }) as unknown as NodeJS.ReadStream;
  let writes = 0;
  /** CPU from a refresh's dispatch to the frame Ink wrote for it (when no key came in between). */
  const refreshCpu: number[] = [];
  let refreshStart: NodeJS.CpuUsage | undefined;
  stdout.on("data", () => {
    writes++;
    if (refreshStart) {
      const c = process.cpuUsage(refreshStart);
      refreshCpu.push((c.user + c.system) / 1000);
      refreshStart = undefined;
    }
  });
  const settings = { profileName: "bench", connectionLabel: "bench", logFile: "/dev/null", readonly: false, color: true, defaults: {}, presets: {}, bell: () => {}, clock: () => now };
  const app = render(React.createElement(App, { store, settings, drawKeysAtOnce: true }), { stdout, stdin, stderr: stdout, exitOnCtrlC: false, patchConsole: false, interactive: true, maxFps: 20, incrementalRendering: true });
  await new Promise((r) => setTimeout(r, 500));
  // Refreshes as a watch delivers them: every second a fifth of the monitors checked (5 s interval) and the clock moves.
  let round = 0;
  /** The next refresh: a fifth of the monitors checked once more, and the clock a second on. */
  const refresh = (withChanges: boolean) => {
    round++;
    const t = now + round * 1000;
    if (withChanges) {
      const changed = Array.from({ length: Math.ceil(count / 5) }, (_, j) => {
        const m = snapshot(((round * count) / 5 + j) % count, now);
        return { ...m, customStatus: { ...m.customStatus!, checkCount: m.customStatus!.checkCount! + round, lastCheckTime: new Date(t).toISOString() } };
      });
      store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted: changed, removed: [], initial: false } });
    }
    store.getState().dispatch({ type: "tick", now: t });
  };
  const refresher = setInterval(() => {
    refreshStart = process.cpuUsage();
    refresh(true);
  }, REFRESH ? 1000 : 2 ** 30);
  // A key's frame: the first frame Ink writes after the key moved the selection (not a refresh's frame before it).
  let movedAtWrite = -1;
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.selectedId !== prev.selectedId) movedAtWrite = writes;
  });
  const wall: number[] = [];
  const cpu: number[] = [];
  const pauses = { minor: [] as number[], major: [] as number[] };
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const minor = (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
      (minor ? pauses.minor : pauses.major).push(e.duration);
    }
  });
  gc.observe({ entryTypes: ["gc"] });
  for (let i = 0; i < PRESSES; i++) {
    movedAtWrite = -1;
    refreshStart = undefined;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    stdin.write(i % 2 === 0 ? "j" : "k");
    while (movedAtWrite < 0 || writes === movedAtWrite) await new Promise((r) => setImmediate(r));
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    await new Promise((r) => setTimeout(r, 60 + Math.random() * 40));
  }
  clearInterval(refresher);
  // Frames with no key around: a refresh's (changes and the clock) and the clock's alone, alternating, each timed in
  // CPU from its dispatch until Ink wrote it (70 ms apart, past Ink's frame-rate wait).
  const frames = { refresh: [] as number[], tick: [] as number[] };
  for (let i = 0; i < 2 * FRAMES_ALONE; i++) {
    await new Promise((r) => setTimeout(r, 70));
    const w0 = writes;
    const c0 = process.cpuUsage();
    refresh(i % 2 === 0);
    while (writes === w0) await new Promise((r) => setImmediate(r));
    const c = process.cpuUsage(c0);
    (i % 2 === 0 ? frames.refresh : frames.tick).push((c.user + c.system) / 1000);
  }
  gc.disconnect();
  unsubscribe();
  app.unmount();
  console.log(`${count} monitors, ${label}: key → frame written median ${percentile(wall, 0.5).toFixed(1)} ms, p99 ${percentile(wall, 0.99).toFixed(1)} ms; CPU per key median ${percentile(cpu, 0.5).toFixed(1)} ms, p99 ${percentile(cpu, 0.99).toFixed(1)} ms${refreshCpu.length ? `; CPU per refresh frame median ${percentile(refreshCpu, 0.5).toFixed(1)} ms (${refreshCpu.length})` : ""}; CPU of a frame alone: refresh median ${percentile(frames.refresh, 0.5).toFixed(1)} ms (p90 ${percentile(frames.refresh, 0.9).toFixed(1)}), clock tick median ${percentile(frames.tick, 0.5).toFixed(1)} ms (p90 ${percentile(frames.tick, 0.9).toFixed(1)}); GC while keys were pressed: ${pauses.minor.length} scavenges ${sum(pauses.minor).toFixed(0)} ms, ${pauses.major.length} other ${sum(pauses.major).toFixed(0)} ms (longest ${Math.max(0, ...pauses.major).toFixed(1)} ms)`);
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
for (const count of COUNTS) {
  for (let round = 0; round < ROUNDS; round++) for (const v of VARIANTS) await measure(count, v.label, v.dashboard);
}
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
process.exit(0);
