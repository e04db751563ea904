import { homedir } from "node:os";
import { join } from "node:path";

const APP = "durable-monitor-tui";

/**
 * Where the app keeps data (the embedded hub's database, the log file).
 * DURABLE_MONITOR_TUI_DATA_DIR overrides it (tests use a temp dir).
 * The same directory as `env-paths`' `data` (with no suffix), written out because env-paths reads `process.env` once
 * when loaded, and our callers pass the environment they were given (the CLI's injected `io.env`).
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DURABLE_MONITOR_TUI_DATA_DIR) return env.DURABLE_MONITOR_TUI_DATA_DIR;
  if (process.platform === "win32") return join(env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"), APP, "Data");
  if (process.platform === "darwin") return join(homedir(), "Library", "Application Support", APP);
  return join(env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), APP);
}

/** The default embedded hub database. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), "hub.sqlite");
}

/** Where workers write down the process groups of running command checks (see engine/checks/command-groups.ts). */
export function runningCommandsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), "running-commands");
}

/** The log file every component writes to instead of the console. DURABLE_MONITOR_TUI_LOG_FILE overrides it. */
export function defaultLogFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.DURABLE_MONITOR_TUI_LOG_FILE ?? join(dataDir(env), "durable-monitor-tui.log");
}
