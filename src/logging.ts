import { appendFileSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { format } from "node:util";
import { makePrivateDir, makePrivateFiles } from "./private-files.js";
import { redactText } from "./secrets.js";
import { FatalError } from "./errors.js";

type LogLevel = "error" | "warn" | "info" | "debug";
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** The SDK's Logger shape (error/warn/info/debug), which every part of the app also uses. */
export interface AppLogger {
  error(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

/** A log file over this size is rotated: `log` → `log.1` → `log.2` → `log.3` (the oldest is dropped). */
const MAX_LOG_BYTES = 10 * 1024 * 1024;
export const KEPT_LOG_FILES = 3;
/** How many bytes a logger writes between two looks at the file's size (several processes share one log). */
const SIZE_CHECK_EVERY = 64 * 1024;

/** Rotates `file` when it is over `maxBytes`. Never throws (another process may have rotated it just now). */
function rotateIfLarge(file: string, maxBytes = MAX_LOG_BYTES, kept = KEPT_LOG_FILES): boolean {
  try {
    if (statSync(file).size <= maxBytes) return false;
    for (let i = kept - 1; i >= 1; i--) {
      try {
        renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(file, `${file}.1`);
    return true;
  } catch {
    return false;
  }
}

/**
 * A logger that appends to a file and never touches stdout/stderr (Ink owns the terminal). The file is rotated at
 * MAX_LOG_BYTES, KEPT_LOG_FILES old files kept.
 * Writes are synchronous so a crash still leaves its last lines; the level comes from
 * DURABLE_MONITOR_TUI_LOG_LEVEL (default info). Errors writing the log are swallowed: logging must never crash the app.
 */
export function createFileLogger(file: string, scope = "app", level?: LogLevel, maxBytes = MAX_LOG_BYTES): AppLogger {
  const max = ORDER[level ?? (process.env.DURABLE_MONITOR_TUI_LOG_LEVEL as LogLevel) ?? "info"] ?? ORDER.info;
  let dirReady = false;
  let sinceCheck = Number.POSITIVE_INFINITY;
  const write = (lvl: LogLevel, message: string, args: unknown[]) => {
    if (ORDER[lvl] > max) return;
    try {
      if (!dirReady) makePrivateDir(dirname(file));
      const line = `${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} [${scope}] ${redactText(format(message, ...args))}\n`;
      if (sinceCheck >= Math.min(SIZE_CHECK_EVERY, maxBytes)) {
        sinceCheck = 0;
        rotateIfLarge(file, maxBytes);
      }
      sinceCheck += line.length;
      appendFileSync(file, line, { mode: 0o600 });
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

/** Logs a failure with its remedy as a separate field: `what: message; try: remedy` (a stack only for unexpected errors). */
export function logFailure(logger: AppLogger, what: string, error: unknown): void {
  if (error instanceof FatalError) {
    if (error.tryMessage) logger.warn("%s: %s; try: %s", what, error.message, error.tryMessage);
    else logger.warn("%s: %s", what, error.message);
    return;
  }
  logger.error("%s: %s", what, error instanceof Error ? (error.stack ?? error.message) : String(error));
}
