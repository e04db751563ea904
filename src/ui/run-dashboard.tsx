/**
 * Runs the dashboard in the terminal: loads the profile, opens the engine (with a worker unless --no-worker),
 * renders <App/> fed by `engine.watch`, and on quit unmounts Ink, closes the engine, then says what happens to
 * the monitors. Nothing but Ink writes to the terminal meanwhile: console.* is routed to the log file.
 */
import React from "react";
import { render } from "ink";
import { loadProfile, describeConnection } from "../config/index.js";
import type { ResolvedProfile } from "../engine/profile.js";
import { watchProfile } from "../config/live-profile.js";
import { createEngine, type LocalEngine } from "../engine/create-engine.js";
import { ExitCode, errorMessage } from "../errors.js";
import { createFileLogger, type AppLogger } from "../logging.js";
import { defaultLogFile } from "../paths.js";
import type { CliIO } from "../cli/output.js";
import type { GlobalOptions } from "../cli/context.js";
import { App } from "./App.js";
import type { DashboardSettings } from "./context.js";
import { createDashboardStore } from "./state/store.js";
import { colorEnabled } from "./theme.js";

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
    return `${closed} The standalone hub keeps running; its monitors run while a worker is connected to it (durable-monitor-tui worker).`;
  }
  const ours = withWorker ? "; this dashboard's worker stopped" : "";
  return `${closed} The hub stays with the process that serves it (another dashboard or durable-monitor-tui worker), whose worker keeps the monitors running${ours}.`;
}

/** Routes console.* to the log file until the returned function is called. */
function captureConsole(logger: AppLogger): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  console.log = (...a: unknown[]) => logger.info("console: %s", a.map(String).join(" "));
  console.info = console.log;
  console.debug = (...a: unknown[]) => logger.debug("console: %s", a.map(String).join(" "));
  console.warn = (...a: unknown[]) => logger.warn("console: %s", a.map(String).join(" "));
  console.error = (...a: unknown[]) => logger.error("console: %s", a.map(String).join(" "));
  return () => Object.assign(console, saved);
}

/**
 * Resolves to the exit code. Throws ConfigError (bad config/profile) before touching the terminal;
 * an unreachable backend is not an error here: the header shows it reconnecting.
 */
export async function runDashboard(options: { io: CliIO; globals: GlobalOptions; dashboard?: DashboardOptions }): Promise<number> {
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
  const restoreConsole = captureConsole(logger);
  let exitCode: number = ExitCode.Ok;
  let crashed: Error | undefined;
  let engine: LocalEngine | undefined;

  const onError = (error: Error) => {
    crashed = error;
    exitCode = ExitCode.Failure;
    // Unmounting restores the cursor and raw mode (and leaves the alternate screen); the message is printed below.
    setImmediate(() => app.unmount());
  };
  const tree = () => <App store={store} engine={engine} settings={settings} logger={logger} onError={onError} />;
  // The first frame comes before the engine: the header says "connecting…" while the backend opens.
  const app = render(tree(), {
    stdout: io.stdout as NodeJS.WriteStream,
    stdin: io.stdin as NodeJS.ReadStream,
    stderr: io.stderr as NodeJS.WriteStream,
    exitOnCtrlC: true,
    patchConsole: false,
    alternateScreen: true,
    // The dashboard command only runs on a TTY; without this, Ink goes non-interactive (last frame only) whenever
    // a CI variable is set, e.g. a terminal opened inside a CI job or a shell that exports CI=1.
    interactive: true,
    maxFps: 20,
    // Only the lines that changed are written (a key press moves the selection: two lines, not the whole screen).
    incrementalRendering: true,
  });
  try {
    engine = await createEngine({ profile, withWorker, env: io.env, logFile });
  } catch (error) {
    app.unmount();
    live.close();
    restoreConsole();
    throw error;
  }
  app.rerender(tree());
  // At debug level, the memory figures every 10 s (what bench:tui reports from outside).
  const memoryLog = io.env.DURABLE_MONITOR_TUI_LOG_LEVEL === "debug"
    ? setInterval(() => {
        const m = process.memoryUsage();
        const mb = (n: number) => Math.round(n / 1e6);
        logger.debug("memory rss %d MB, heap %d/%d MB, external %d MB", mb(m.rss), mb(m.heapUsed), mb(m.heapTotal), mb(m.external));
      }, 10_000).unref()
    : undefined;

  const onFatal = (error: unknown) => {
    logger.error("unhandled error: %s", error instanceof Error ? (error.stack ?? error.message) : String(error));
    crashed ??= error instanceof Error ? error : new Error(String(error));
    exitCode = ExitCode.Failure;
    app.unmount();
  };
  process.on("uncaughtException", onFatal);
  process.on("unhandledRejection", onFatal);
  try {
    await app.waitUntilExit();
  } catch (error) {
    crashed ??= error instanceof Error ? error : new Error(errorMessage(error));
    exitCode = ExitCode.Failure;
  } finally {
    process.off("uncaughtException", onFatal);
    process.off("unhandledRejection", onFatal);
    if (memoryLog) clearInterval(memoryLog);
    live.close();
    restoreConsole();
    try {
      await engine!.close();
    } catch (error) {
      logger.warn("closing the engine: %s", errorMessage(error));
    }
  }
  if (crashed) {
    io.stderr.write(`The dashboard stopped on an unexpected error: ${crashed.message}\nDetails are in the log file: ${logFile}\n`);
  }
  io.stdout.write(farewell(profile, engine!, withWorker) + "\n");
  logger.info("dashboard closed");
  return exitCode;
}
