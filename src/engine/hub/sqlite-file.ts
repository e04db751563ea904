/**
 * What can be wrong with a hub database file, found before or while it is used, and what to tell the user: a path
 * where no database can live, an empty file, a corrupt one, one locked by another process, a full disk (or the size
 * limit reached). Used by the SQLite store; nothing here keeps state.
 */
import { statSync, statfsSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { StoreError } from "./store.js";

export function limitSize(db: DatabaseSync, maxBytes: number): void {
  const { page_size: pageSize } = db.prepare("PRAGMA page_size").get() as { page_size: number };
  db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(maxBytes / pageSize))}`);
}

const SQLITE_FULL = 13;

export function isFull(error: unknown): boolean {
  return ((error as { errcode?: number } | null)?.errcode ?? 0) % 256 === SQLITE_FULL;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Where the room ran out: the database's size limit (max_page_count) or its disk, whichever has less left. */
export function whyFull(db: DatabaseSync, path: string): string {
  const pragma = (name: string) => Number(Object.values(db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown>)[0]);
  const pageSize = pragma("page_size");
  const maxPages = pragma("max_page_count");
  const roomUnderLimit = (maxPages - pragma("page_count")) * pageSize;
  let diskFree = Number.POSITIVE_INFINITY;
  try {
    if (path !== ":memory:") {
      const fs = statfsSync(dirname(path));
      diskFree = fs.bavail * fs.bsize;
    }
  } catch {
    // unknown: say the limit if there is one
  }
  return roomUnderLimit < diskFree ? `it reached its size limit of ${megabytes(maxPages * pageSize)}` : `its disk has ${megabytes(diskFree)} free`;
}

/** Pseudo file systems (no database can live there; SQLite would spin on them): refused before anything is opened. */
export function refuseUnusablePath(path: string): void {
  if (path === ":memory:") return;
  const full = resolvePath(path);
  if (/^\/(proc|sys|dev)(\/|$)/.test(full)) {
    throw new StoreError(`Cannot open the hub database ${full}: /${full.split("/")[1]} is not a place for a database; point the profile's dbPath at a file in a normal directory`);
  }
}

/**
 * A database file that exists but is empty (0 bytes) is not a hub: SQLite would silently make it an empty one and the
 * user's monitors would look gone. Only a file that does not exist yet is new.
 */
export function refuseEmptyFile(path: string): void {
  if (path === ":memory:") return;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // new
  }
  const wal = (() => {
    try {
      return statSync(`${path}-wal`).size;
    } catch {
      return 0;
    }
  })();
  if (size === 0 && wal === 0) throw new Error("file is empty (0 bytes): not a database");
}

/** Databases up to this size get SQLite's quick_check on every open (milliseconds); bigger ones the header and schema. */
const QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024;

export function quickCheck(db: DatabaseSync, path: string): void {
  let size = 0;
  try {
    size = path === ":memory:" ? 0 : statSync(path).size;
  } catch {
    // a new file
  }
  if (size > QUICK_CHECK_MAX_BYTES) {
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return;
  }
  const rows = db.prepare("PRAGMA quick_check(3)").all() as Array<Record<string, unknown>>;
  const problems = rows.map((r) => String(Object.values(r)[0])).filter((v) => v !== "ok");
  if (problems.length > 0) throw new Error(`database disk image is malformed (${problems.join("; ")})`);
}

/** How long an opener waits for the lock (a previous owner may be closing). */
export const LOCK_WAIT_MS = 1000;

export function isBusy(error: unknown): boolean {
  const e = error as { errcode?: number; message?: string };
  return (e?.errcode ?? 0) % 256 === 5 /* SQLITE_BUSY */ || /database is locked/i.test(String(e?.message));
}

/** What the user can do about a database that does not open. */
export function openRemedy(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  if (/not a database|malformed|corrupt/i.test(message)) {
    return ". It is not a readable hub database: move it aside to start with an empty hub (the monitors in it are lost), or point the profile's dbPath at another file";
  }
  if (isFull(error)) return ". Its disk is full: free space there and start again";
  if (/permission|readonly|read-only|EACCES|unable to open/i.test(message)) {
    return ". Check that the file and its directory exist and are readable and writable by you, or point the profile's dbPath elsewhere";
  }
  return "";
}
