import { appendFileSync } from "node:fs";
import { dirname } from "node:path";
import { format } from "node:util";
import { makePrivateDir, makePrivateFiles } from "./private-files.js";
import { redactText } from "./secrets.js";

export type LogLevel = "error" | "warn" | "info" | "debug";
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** The SDK's Logger shape (error/warn/info/debug), which every part of the app also uses. */
export interface AppLogger {
  error(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

/**
 * A logger that appends to a file and never touches stdout/stderr (Ink owns the terminal).
 * Writes are synchronous so a crash still leaves its last lines; the level comes from
 * DURABLE_MONITOR_TUI_LOG_LEVEL (default info). Errors writing the log are swallowed: logging must never crash the app.
 */
export function createFileLogger(file: string, scope = "app", level?: LogLevel): AppLogger {
  const max = ORDER[level ?? (process.env.DURABLE_MONITOR_TUI_LOG_LEVEL as LogLevel) ?? "info"] ?? ORDER.info;
  let dirReady = false;
  const write = (lvl: LogLevel, message: string, args: unknown[]) => {
    if (ORDER[lvl] > max) return;
    try {
      if (!dirReady) makePrivateDir(dirname(file));
      appendFileSync(file, `${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} [${scope}] ${redactText(format(message, ...args))}\n`, { mode: 0o600 });
      if (!dirReady) {
        makePrivateFiles(file); // a log an earlier release created may be wider
        dirReady = true;
      }
    } catch {
      // nowhere left to report it
    }
  };
  return {
    error: (m, ...a) => write("error", m, a),
    warn: (m, ...a) => write("warn", m, a),
    info: (m, ...a) => write("info", m, a),
    debug: (m, ...a) => write("debug", m, a),
  };
}

/** A logger that drops everything (benchmarks, or where a caller passes none). */
export const silentLogger: AppLogger = { error() {}, warn() {}, info() {}, debug() {} };
