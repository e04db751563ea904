/**
 * The dashboard command's composition root: loads the profile, opens the engine (with a worker unless --no-worker),
 * mounts the UI and hands it the engine; on quit closes the engine, then says what happens to the monitors.
 */
import { openThreadedEngine } from "../engine/threaded-engine.js";
import { loadProfile, describeConnection } from "../config/index.js";
import { watchProfile } from "../config/live-profile.js";
import type { ResolvedProfile } from "../engine/profile.js";
import type { LocalEngine } from "../engine/create-engine.js";
import { peekFirstPage } from "../engine/first-page.js";
import { ExitCode, errorMessage } from "../errors.js";
import { createFileLogger, type AppLogger } from "../logging.js";
import { defaultLogFile } from "../paths.js";
import type { DashboardSettings } from "../ui/context.js";
import { mountDashboard, type DashboardTerminal } from "../ui/mount-dashboard.js";
import { createDashboardStore, type DashboardStoreApi } from "../ui/state/store.js";
import { colorEnabled } from "../ui/theme.js";
import type { GlobalOptions } from "./context.js";
import type { CliIO } from "./output.js";
import { PerformanceObserver, constants, type PerformanceEntry } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";

export interface DashboardOptions {
  /** false: a pure watcher (another process runs the monitors). Default true. */
  worker?: boolean;
  /** Refuse every action key. */
  readonly?: boolean;
}

/**
 * What the user is told after the dashboard closes (the terminal is ours again by then): what happens to the monitors
 * now that this process, its worker (when it ran one) and its hub (when it owned it) are gone.
 */
export function farewell(profile: ResolvedProfile, engine: Pick<LocalEngine, "ownsHub" | "connection">, withWorker: boolean): string {
  const closed = "Dashboard closed.";
  if (profile.connection.type !== "embedded") {
    const ours = withWorker ? " (this dashboard's worker stopped)" : "";
    return `${closed} Monitors in task hub '${profile.taskHub}' keep running wherever their workers run${ours}.`;
  }
  if (engine.ownsHub) {
    const ran = withWorker ? "Its embedded hub and worker stopped with it." : "Its embedded hub (run without a worker) stopped with it.";
    return (
      `${closed} ${ran}\n` +
      "Monitors keep their state and resume when the hub opens again: the next dashboard, or durable-monitor-tui worker.\n" +
      "A worker connected from another process, if any, takes the hub over and keeps them running."
    );
  }
  if (engine.connection.sharedHub) {
    return `${closed} The hub keeps running in the process that serves it; its monitors run while a worker is connected to it (durable-monitor-tui worker).`;
  }
  const ours = withWorker ? "; this dashboard's worker stopped" : "";
  return `${closed} The hub stays with the process that serves it (another dashboard or durable-monitor-tui worker), whose worker keeps the monitors running${ours}.`;
}

/**
 * At debug level, the memory figures every 10 s (what bench:tui reports from outside), with the garbage collector's
 * time since the last line: scavenges (young generation) and the rest (mark-compacts of the whole heap, incremental marking).
 */
function logMemory(io: CliIO, logger: AppLogger): () => void {
  if (io.env.DURABLE_MONITOR_TUI_LOG_LEVEL !== "debug") return () => {};
  const gc = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const minor = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
      if (minor) {
        gc.minor++;
        gc.minorMs += entry.duration;
      } else {
        gc.major++;
        gc.majorMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1e6);
    logger.debug(
      "memory rss %d MB, heap %d/%d MB, external %d MB (array buffers %d MB); gc: %d scavenges %d ms, %d other %d ms",
      ...[m.rss, m.heapUsed, m.heapTotal, m.external, m.arrayBuffers].map(mb),
      ...[gc.minor, gc.minorMs, gc.major, gc.majorMs].map(Math.round),
    );
    Object.assign(gc, { minor: 0, minorMs: 0, major: 0, majorMs: 0 });
  }, 10_000).unref();
  return () => {
    clearInterval(timer);
    observer.disconnect();
  };
}

/** How much the dashboard's old generation may grow between full collections, in % of what was live after the last. */
const HEAP_GROWING_PERCENT = 30;

/**
 * Bounds the dashboard's heap growth: on a machine with plenty of memory V8 lets the old generation grow up to 4× what
 * is live before a full collection, and the process keeps the pages it grew into (bench:tui at 10,000 monitors: the
 * heap climbed to ~220 MB, ~70 MB of it live, RSS 250–370 MB). 50 % kept a dashboard open for minutes at ~250 MB,
 * 30 % at ~240 MB for ~2 points more CPU (README, Performance). V8 reads the flag at each collection, so setting it
 * now works; the hub and worker commands keep V8's default. A `--heap-growing-percent` given to node wins (benches
 * compare with `=0`, V8's own heuristics).
 */
function boundHeapGrowth(): () => void {
  if (process.execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a))) return () => {};
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // V8's default again once the dashboard is closed: the bin writes the dashboard's code cache at exit, and V8 refuses
  // a cache made under other flags than those of the run that reads it (bin/bundle-loader.js).
  return () => setFlagsFromString("--heap-growing-percent=0");
}

/** `0`: the dashboard's worker and hub run in its own thread, not one of their own (see openEngine). */
const ENGINE_THREAD_VARIABLE = "DURABLE_MONITOR_TUI_ENGINE_THREAD";

/** How long the first rows may wait for a hub of ours before the full engine is loaded instead. */
const FIRST_PAGE_TIMEOUT_MS = 1000;

/**
 * The first rows, drawn before the SDK is even loaded when a hub of ours answers on this machine or the embedded hub's
 * database is served by no one (engine/first-page.ts); the engine's first list replaces them.
 */
async function showFirstPage(profile: ResolvedProfile, env: NodeJS.ProcessEnv, store: DashboardStoreApi): Promise<void> {
  const upserted = await peekFirstPage(profile, env, FIRST_PAGE_TIMEOUT_MS);
  if (upserted?.length && !store.getState().loaded) store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted, removed: [], initial: true } });
}

/**
 * The dashboard's engine, loaded only now: the SDK and grpc-js take a few hundred ms to load, and the first rows do
 * not need them. With a worker, the worker (and an embedded hub it owns) runs in a thread of its own
 * (engine/threaded-engine.ts) unless DURABLE_MONITOR_TUI_ENGINE_THREAD=0; either way it starts once the first rows
 * are drawn.
 */
async function openEngine(options: { profile: ResolvedProfile; withWorker: boolean; env: NodeJS.ProcessEnv; logFile: string; logger: AppLogger }): Promise<LocalEngine> {
  const { profile, withWorker, env, logFile, logger } = options;
  if (withWorker && env[ENGINE_THREAD_VARIABLE] !== "0") {
    return openThreadedEngine({ profile, env, logFile, logger });
  }
  const { createEngine } = await import("../engine/create-engine.js");
  return createEngine({ profile, withWorker, workerAfterFirstRows: true, env, logFile });
}

/**
 * Resolves to the exit code. Throws ConfigError (bad config/profile) before touching the terminal;
 * an unreachable backend is not an error here: the header shows it reconnecting.
 */
export async function runDashboard(options: { io: CliIO; globals: GlobalOptions; dashboard?: DashboardOptions }): Promise<number> {
  const restoreHeapGrowth = boundHeapGrowth();
  try {
    return await runBoundedDashboard(options);
  } finally {
    restoreHeapGrowth();
  }
}

async function runBoundedDashboard(options: { io: CliIO; globals: GlobalOptions; dashboard?: DashboardOptions }): Promise<number> {
  const { io, globals } = options;
  const withWorker = options.dashboard?.worker !== false;
  const readonly = options.dashboard?.readonly === true;
  const profile = loadProfile({ profile: globals.profile, env: io.env });
  const logFile = defaultLogFile(io.env);
  const logger = createFileLogger(logFile, "ui");
  logger.info("dashboard opening (profile %s, worker %s, readonly %s)", profile.name, withWorker, readonly);

  // Edits to the config file reach the running dashboard (presets, defaults; the rest is flagged as needing a restart).
  const live = watchProfile(profile, { env: io.env });
  const settings: DashboardSettings = {
    configFile: live.path,
    live,
    profileName: profile.name,
    connectionLabel: describeConnection(profile),
    logFile,
    readonly,
    color: colorEnabled(io.env),
    defaults: profile.defaults,
    presets: profile.presets,
    bell: () => {
      io.stdout.write("\u0007");
    },
  };
  const store = createDashboardStore({ worker: { state: withWorker ? "starting" : "none" } });
  const ui = mountDashboard({ terminal: io as unknown as DashboardTerminal, settings, store, logger });
  await showFirstPage(profile, io.env, store);
  let engine: LocalEngine;
  try {
    engine = await openEngine({ profile, withWorker, env: io.env, logFile, logger });
  } catch (error) {
    ui.unmount();
    live.close();
    throw error;
  }
  ui.attach(engine);
  const stopMemoryLog = logMemory(io, logger);
  const { crashed } = await ui.closed();
  stopMemoryLog();
  live.close();
  try {
    await engine.close();
  } catch (error) {
    logger.warn("closing the engine: %s", errorMessage(error));
  }
  if (crashed) {
    io.stderr.write(`The dashboard stopped on an unexpected error: ${crashed.message}\nDetails are in the log file: ${logFile}\n`);
  }
  io.stdout.write(farewell(profile, engine, withWorker) + "\n");
  logger.info("dashboard closed");
  return crashed ? ExitCode.Failure : ExitCode.Ok;
}
