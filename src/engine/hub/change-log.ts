/**
 * The hub's change log, for list-then-watch (Kubernetes informers, k9s): a watcher lists once, then asks only for the
 * instances changed since its cursor, so a refresh costs what changed, not how many instances exist.
 *
 * One row per instance in `instance_changes`, holding the sequence number of its last change. Triggers on `instances`
 * give an instance a new, higher number on every insert, update and delete, whichever store path wrote it (a delete
 * leaves a tombstone). AUTOINCREMENT never reuses a number, so "seq > cursor" is exactly what a watcher has not seen.
 * Tombstones beyond MAX_TOMBSTONES are dropped when the database opens; a cursor older than the drop is answered with
 * a full list (`reset`), as is a cursor of another log (another database file).
 */
import { randomBytes } from "node:crypto";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { InstanceRecord } from "./store.js";
import type { WatchCursor } from "./watch-token.js";

/** Tombstones (purged instances) kept for watchers that are behind; older ones make such a watcher list again. */
export const MAX_TOMBSTONES = 10_000;

/**
 * The schema migration that creates the log and its triggers, and enters every existing instance once (run inside
 * the migrations' transaction, see sqlite-migrations.ts).
 */
export function createChangeLog(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE instance_changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      taskhub TEXT NOT NULL,
      instance_id TEXT NOT NULL,
      deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX instance_changes_by_instance ON instance_changes (taskhub, instance_id);
    CREATE TABLE instance_change_log (id INTEGER PRIMARY KEY CHECK (id = 1), log TEXT NOT NULL, compacted_through INTEGER NOT NULL);
  `);
  createChangeLogTriggers(db);
  db.exec(`
    INSERT INTO instance_changes (taskhub, instance_id) SELECT taskhub, instance_id FROM instances ORDER BY created_at, instance_id;
  `);
  db.prepare("INSERT INTO instance_change_log (id, log, compacted_through) VALUES (1, ?, 0)").run(randomBytes(8).toString("hex"));
}

/**
 * The triggers that keep the log. A later migration that rebuilds the `instances` table (SQLite drops a table's
 * triggers with it) must call this again.
 */
export function createChangeLogTriggers(db: DatabaseSync): void {
  db.exec(`
    CREATE TRIGGER IF NOT EXISTS instance_changes_after_insert AFTER INSERT ON instances BEGIN
      INSERT OR REPLACE INTO instance_changes (taskhub, instance_id, deleted) VALUES (NEW.taskhub, NEW.instance_id, 0);
    END;
    CREATE TRIGGER IF NOT EXISTS instance_changes_after_update AFTER UPDATE ON instances BEGIN
      INSERT OR REPLACE INTO instance_changes (taskhub, instance_id, deleted) VALUES (NEW.taskhub, NEW.instance_id, 0);
    END;
    CREATE TRIGGER IF NOT EXISTS instance_changes_after_delete AFTER DELETE ON instances BEGIN
      INSERT OR REPLACE INTO instance_changes (taskhub, instance_id, deleted) VALUES (OLD.taskhub, OLD.instance_id, 1);
    END;
  `);
}

/** Drops the oldest tombstones beyond MAX_TOMBSTONES (at open; one indexed query when there is nothing to drop). */
export function compactChangeLog(db: DatabaseSync): void {
  const cut = db.prepare("SELECT seq FROM instance_changes WHERE deleted = 1 ORDER BY seq DESC LIMIT 1 OFFSET ?").get(MAX_TOMBSTONES);
  if (!cut) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    db.prepare("DELETE FROM instance_changes WHERE deleted = 1 AND seq <= ?").run(Number(cut.seq));
    db.prepare("UPDATE instance_change_log SET compacted_through = max(compacted_through, ?) WHERE id = 1").run(Number(cut.seq));
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

export interface ChangeQuery {
  taskHub: string;
  cursor: WatchCursor;
  /** Most changes in one answer (1 … 10,000). */
  pageSize: number;
  /** An answer stops after this many payload bytes (always at least one change). */
  maxBytes: number;
}

export interface ChangePage {
  /** Instances created or changed since the cursor, without input and output, in change order. */
  upserted: InstanceRecord[];
  /** Instances deleted since the cursor. */
  removed: string[];
  /** What to send next time. */
  cursor: WatchCursor;
  /** More changes follow at once. */
  more: boolean;
  /** The cursor was not usable: this answer starts a full list again. */
  reset: boolean;
}

type Row = Record<string, unknown>;

/**
 * One page of the changes after `query.cursor`. `columns` are the instance columns to read (qualified with `i.`) and
 * `toRecord` turns a row of them into a record. Reads only; one SQL query on the log's primary key.
 */
export function readChanges(
  stmt: (sql: string) => StatementSync,
  columns: string,
  toRecord: (row: Row) => InstanceRecord,
  query: ChangeQuery,
): ChangePage {
  const meta = stmt("SELECT log, compacted_through FROM instance_change_log WHERE id = 1").get() as Row;
  const log = String(meta.log);
  const last = Number((stmt("SELECT seq FROM sqlite_sequence WHERE name = 'instance_changes'").get() as Row | undefined)?.seq ?? 0);
  const { seq } = query.cursor;
  const reset = seq > 0 && (query.cursor.log !== log || seq > last || seq < Number(meta.compacted_through));
  const after = reset ? 0 : seq;
  const pageSize = Math.max(1, Math.min(query.pageSize || 1000, 10_000));
  const sql =
    `SELECT c.seq AS change_seq, c.instance_id AS changed_id, i.instance_id IS NULL AS gone, ${columns} ` +
    "FROM instance_changes c LEFT JOIN instances i ON i.taskhub = c.taskhub AND i.instance_id = c.instance_id " +
    "WHERE c.seq > ? AND c.taskhub = ? ORDER BY c.seq LIMIT ?";
  const upserted: InstanceRecord[] = [];
  const removed: string[] = [];
  let bytes = 0;
  let cursorSeq = after;
  let more = false;
  for (const row of stmt(sql).iterate(after, query.taskHub, pageSize + 1) as Iterable<Row>) {
    if (upserted.length + removed.length >= pageSize || (bytes > 0 && bytes >= query.maxBytes)) {
      more = true;
      break;
    }
    cursorSeq = Number(row.change_seq);
    if (Number(row.gone)) {
      // A first list has nothing to forget.
      if (after > 0) removed.push(String(row.changed_id));
      continue;
    }
    const record = toRecord(row);
    bytes += (record.customStatus?.length ?? 0) + (record.failure?.byteLength ?? 0) + 256;
    upserted.push(record);
  }
  // Caught up: every change up to the last number given out is seen (the others belong to other task hubs).
  if (!more) cursorSeq = Math.max(cursorSeq, last);
  return { upserted, removed, cursor: { log, seq: cursorSeq }, more, reset };
}
