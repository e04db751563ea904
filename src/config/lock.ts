/**
 * A lock file around a read-modify-write of the config file, so concurrent `profiles add` calls (processes, or
 * calls in one process) never lose each other's updates. `<file>.lock` is created exclusively; a lock older than
 * STALE_MS (its holder died) is taken over.
 */
import { mkdirSync, openSync, closeSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "../errors.js";
import { backoffDelay } from "../engine/connection/backoff.js";

const STALE_MS = 10_000;
const WAIT_MS = 10_000;

/** Runs `fn` holding `<file>.lock`. Throws ConfigError when the lock cannot be had within WAIT_MS. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  mkdirSync(dirname(lock), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      closeSync(openSync(lock, "wx", 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new ConfigError(`Cannot lock ${file}: ${(error as Error).message}`);
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_MS) rmSync(lock, { force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new ConfigError(`${file} is being changed by another process (lock ${lock})`, "try again, or remove the lock file if no other durable-monitor-tui is running");
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, 5, 100, Math.random, 0.5)));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
