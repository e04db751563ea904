/**
 * The app's files are its user's alone: directories it creates are 0700, the data directory is tightened to 0700
 * even when an earlier release made it wider, and the database (with its WAL and SHM) and the log are 0600. POSIX
 * only (Windows has no such modes); failures are ignored, since a file we cannot chmod is not ours to fix.
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dataDir } from "./paths.js";

const posix = process.platform !== "win32";

/** Creates `dir` (and parents) as 0700 when missing. With `tighten`, an existing `dir` is set to 0700 too. */
export function makePrivateDir(dir: string, tighten = false): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (tighten && posix) {
    try {
      chmodSync(dir, 0o700);
    } catch {
      // not ours
    }
  }
}

/** The data directory (database, endpoint file, log), created or tightened to 0700. */
export function makePrivateDataDir(env: NodeJS.ProcessEnv = process.env): void {
  makePrivateDir(dataDir(env), true);
}

/** Sets each existing file to 0600. */
export function makePrivateFiles(...files: string[]): void {
  if (!posix) return;
  for (const file of files) {
    try {
      if (existsSync(file)) chmodSync(file, 0o600);
    } catch {
      // not ours
    }
  }
}
