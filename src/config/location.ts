import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Options every config loader takes; tests pass a temp `cwd` and their own `env`. */
export interface ConfigLocationOptions {
  /** The config directory (wins over everything else). */
  cwd?: string;
  /** The environment to read overrides from (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export const PROJECT_NAME = "durable-monitor-tui";
export const CONFIG_FILE_NAME = "config.json";

/**
 * The directory holding config.json (always absolute): `cwd`, else $DURABLE_MONITOR_TUI_CONFIG_DIR, else the platform's config dir —
 * the same place `conf` (env-paths, no suffix) picks: Linux $XDG_CONFIG_HOME or ~/.config/durable-monitor-tui,
 * macOS ~/Library/Preferences/durable-monitor-tui, Windows %APPDATA%\durable-monitor-tui\Config.
 */
export function configDir(options: ConfigLocationOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.cwd) return resolve(options.cwd);
  if (env.DURABLE_MONITOR_TUI_CONFIG_DIR) return resolve(env.DURABLE_MONITOR_TUI_CONFIG_DIR);
  const home = homedir();
  if (process.platform === "win32") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), PROJECT_NAME, "Config");
  if (process.platform === "darwin") return join(home, "Library", "Preferences", PROJECT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), PROJECT_NAME);
}

/** The config file's absolute path (whether or not it exists). */
export function configFilePath(options: ConfigLocationOptions = {}): string {
  return join(configDir(options), CONFIG_FILE_NAME);
}
