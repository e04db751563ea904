/**
 * bench/tui-frame: what one key press costs the dashboard's own CPU, with no other process in the way. The real <App/>
 * (store, keypress pipeline, Ink) renders 1,000 or 10,000 running monitors into an in-memory 160×50 terminal; `j`/`k`
 * are written into its stdin and each is timed until Ink wrote the frame. Prints figures; asserts nothing.
 * Run: `npm run -s build && node bench/tui-frame.ts` (BENCH_COUNTS, default "1000,10000"; BENCH_KEY_PRESSES, default 200).
 */
import { PassThrough } from "node:stream";
import type { MonitorSnapshot } from "../src/engine/types.ts";

// React's production build, as the shipped bundle runs (set before React loads).
process.env.NODE_ENV = "production";
const React = (await import("react")).default;
const { render } = await import("ink");
const { App } = await import("../dist/ui/App.js");
const { createDashboardStore } = await import("../dist/ui/state/store.js");

const COUNTS = (process.env.BENCH_COUNTS ?? "1000,10000").split(",").map(Number);
const PRESSES = Number(process.env.BENCH_KEY_PRESSES ?? 200);

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

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function measure(count: number): Promise<void> {
  const now = Date.now();
  const store = createDashboardStore({ now, loaded: true, connection: { state: "connected" } });
  const upserted = Array.from({ length: count }, (_, i) => snapshot(i, now));
  store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted, removed: [], initial: true } });
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 160, rows: 50 }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {}, ref: () => {}, unref: () => {} }) as unknown as NodeJS.ReadStream;
  let writes = 0;
  stdout.on("data", () => writes++);
  const settings = { profileName: "bench", connectionLabel: "bench", logFile: "/dev/null", readonly: false, color: true, defaults: {}, presets: {}, bell: () => {}, clock: () => now };
  const app = render(React.createElement(App, { store, settings }), { stdout, stdin, stderr: stdout, exitOnCtrlC: false, patchConsole: false, interactive: true, maxFps: 20, incrementalRendering: true });
  await new Promise((r) => setTimeout(r, 500));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < PRESSES; i++) {
    const before = writes;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    stdin.write(i % 2 === 0 ? "j" : "k");
    while (writes === before) await new Promise((r) => setImmediate(r));
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    await new Promise((r) => setTimeout(r, 60));
  }
  app.unmount();
  console.log(`${count} monitors: key → frame written median ${percentile(wall, 0.5).toFixed(1)} ms, p99 ${percentile(wall, 0.99).toFixed(1)} ms; CPU per key median ${percentile(cpu, 0.5).toFixed(1)} ms, p99 ${percentile(cpu, 0.99).toFixed(1)} ms`);
}

for (const count of COUNTS) await measure(count);
process.exit(0);
