/**
 * The hub database's schema, as an ordered list of migrations keyed by SQLite's `PRAGMA user_version`. Opening a
 * database applies, in one transaction, every migration above its version (a new file starts at 0 and gets them all);
 * a database of a newer version than this build knows is refused before anything is written.
 *
 * To change the schema, append a migration: never edit one that has shipped (databases in the field ran it).
 */
import type { DatabaseSync } from "node:sqlite";
import { StoreError } from "./store.js";
import { createChangeLog } from "./change-log.js";

export interface Migration {
  /** The user_version the database has after this migration. */
  version: number;
  /** What it changes (for the log and for whoever reads this list). */
  description: string;
  up(db: DatabaseSync): void;
}

/** A database written by a later build of the hub (its schema version is above SCHEMA_VERSION): not opened. */
export class NewerSchemaError extends StoreError {
  constructor(
    readonly path: string,
    readonly version: number,
  ) {
    super(
      `The hub database ${path} has schema version ${version}, newer than this durable-monitor-tui knows (${SCHEMA_VERSION}): ` +
        "it was written by a later release. Upgrade durable-monitor-tui, or point the profile's dbPath at another file (the database was not changed)",
    );
  }
}

/**
 * Version 1: the schema of the releases before versioning. Those databases have version 0 with these tables (some
 * without `inbox.delayed`), so every statement tolerates what is already there.
 */
const V1_TABLES = `
CREATE TABLE IF NOT EXISTS instances (
  taskhub TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT,
  status INTEGER NOT NULL,
  input TEXT,
  output TEXT,
  custom_status TEXT,
  failure BLOB,
  created_at INTEGER NOT NULL,
  last_updated_at INTEGER NOT NULL,
  completed_at INTEGER,
  scheduled_start_at INTEGER,
  parent_instance_id TEXT,
  parent_execution_id TEXT,
  parent_name TEXT,
  parent_task_id INTEGER,
  tags TEXT,
  PRIMARY KEY (taskhub, instance_id)
);
CREATE INDEX IF NOT EXISTS instances_by_status ON instances (taskhub, status, created_at, instance_id);
CREATE INDEX IF NOT EXISTS instances_by_created ON instances (taskhub, created_at, instance_id);
CREATE INDEX IF NOT EXISTS instances_by_parent ON instances (taskhub, parent_instance_id) WHERE parent_instance_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS history (
  taskhub TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event BLOB NOT NULL,
  PRIMARY KEY (taskhub, instance_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  taskhub TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  execution_id TEXT,
  event BLOB NOT NULL,
  visible_at INTEGER NOT NULL,
  delayed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS activities (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  taskhub TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  task_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  version TEXT,
  input TEXT,
  tags TEXT
);
CREATE INDEX IF NOT EXISTS activities_by_instance ON activities (taskhub, instance_id);
`;

function baseSchema(db: DatabaseSync): void {
  db.exec(V1_TABLES);
  const inbox = db.prepare("PRAGMA table_info(inbox)").all() as Array<{ name: unknown }>;
  if (!inbox.some((c) => c.name === "delayed")) {
    // Inboxes of the oldest databases: a row in the future then was a timer or a scheduled start.
    db.exec("ALTER TABLE inbox ADD COLUMN delayed INTEGER NOT NULL DEFAULT 0");
    db.prepare("UPDATE inbox SET delayed = 1 WHERE visible_at > ?").run(Date.now());
  }
  db.exec(`
    DROP INDEX IF EXISTS inbox_by_visible;
    CREATE INDEX IF NOT EXISTS inbox_by_instance ON inbox (taskhub, instance_id, id);
    CREATE INDEX IF NOT EXISTS inbox_delayed ON inbox (visible_at) WHERE delayed = 1;
  `);
}

/**
 * Version 2: inputs and outputs (unbounded in old databases) leave the instance row. With them in the row, reading the
 * custom status of a list walked every overflow page of a 30 MB input, and each turn's UPDATE rewrote them.
 */
function payloadsApart(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE payloads (
      taskhub TEXT NOT NULL,
      instance_id TEXT NOT NULL,
      input TEXT,
      output TEXT,
      PRIMARY KEY (taskhub, instance_id)
    );
    INSERT INTO payloads (taskhub, instance_id, input, output)
      SELECT taskhub, instance_id, input, output FROM instances WHERE input IS NOT NULL OR output IS NOT NULL;
    ALTER TABLE instances DROP COLUMN input;
    ALTER TABLE instances DROP COLUMN output;
  `);
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: "the tables of the releases before versioning (inbox.delayed added where missing)", up: baseSchema },
  { version: 2, description: "inputs and outputs move from the instance row to the payloads table", up: payloadsApart },
  { version: 3, description: "the instances' change log (list then watch) and its triggers", up: createChangeLog },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number } | undefined;
  return Number(row?.user_version ?? 0);
}

/** @throws NewerSchemaError when the database is of a later release (checked before anything is written). */
export function refuseNewerSchema(db: DatabaseSync, path: string): void {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) throw new NewerSchemaError(path, version);
}

/**
 * Applies every migration above the database's version, and sets the version, in one transaction: a failure (a full
 * disk, a crash) leaves the database as it was. Returns the versions applied.
 */
export function migrate(db: DatabaseSync): number[] {
  const from = schemaVersion(db);
  const pending = MIGRATIONS.filter((m) => m.version > from);
  if (pending.length === 0) return [];
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const m of pending) m.up(db);
    db.exec(`PRAGMA user_version = ${pending[pending.length - 1]!.version}`);
    db.exec("COMMIT");
  } catch (error) {
    try {
      db.exec("ROLLBACK");
    } catch {
      // SQLite already rolled it back (e.g. on a full disk)
    }
    throw error;
  }
  return pending.map((m) => m.version);
}
