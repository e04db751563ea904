/**
 * The environment a bench gives the processes it starts: the caller's, with a private config dir, data dir and log
 * file under `dir` (a bench never reads or writes the user's), and no colour in the output it parses.
 */
import { join } from "node:path";

type PrivateEnv = NodeJS.ProcessEnv & Record<"DURABLE_MONITOR_TUI_CONFIG_DIR" | "DURABLE_MONITOR_TUI_DATA_DIR" | "DURABLE_MONITOR_TUI_LOG_FILE", string>;

export function privateEnv(dir: string, extra: NodeJS.ProcessEnv = {}): PrivateEnv {
  return {
    ...process.env,
    DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config"),
    DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"),
    DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "log.txt"),
    NO_COLOR: "1",
    ...extra,
  };
}
