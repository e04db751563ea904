/**
 * The hub database's schema versions (PRAGMA user_version): a database of the releases before versioning is brought
 * up to date on open with everything in it kept; one of a later release is refused (exit 4) and not written. And the
 * instance row holds no input or output, so a turn of an instance with a big input does not rewrite it.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, test } from "vitest";
import { Status } from "../../src/engine/hub/proto.js";
import { NewerSchemaError, SCHEMA_VERSION } from "../../src/engine/hub/sqlite-migrations.js";
import { openSqliteStore } from "../../src/engine/hub/sqlite-store.js";
import { runMain } from "../helpers/run-main.js";

const dir = () => mkdtempSync(join(tmpdir(), "dmt-migrations-"));
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

/** The tables as the releases before versioning wrote them (user_version 0); the oldest had no inbox.delayed. */
function oldDatabase(path: string, { withDelayed }: { withDelayed: boolean }): void {
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE instances (
      taskhub TEXT NOT NULL, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL, name TEXT NOT NULL, version TEXT,
      status INTEGER NOT NULL, input TEXT, output TEXT, custom_status TEXT, failure BLOB, created_at INTEGER NOT NULL,
      last_updated_at INTEGER NOT NULL, completed_at INTEGER, scheduled_start_at INTEGER, parent_instance_id TEXT,
      parent_execution_id TEXT, parent_name TEXT, parent_task_id INTEGER, tags TEXT, PRIMARY KEY (taskhub, instance_id)
    );
    CREATE INDEX instances_by_status ON instances (taskhub, status, created_at, instance_id);
    CREATE INDEX instances_by_created ON instances (taskhub, created_at, instance_id);
    CREATE TABLE history (taskhub TEXT NOT NULL, instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event BLOB NOT NULL,
      PRIMARY KEY (taskhub, instance_id, seq)) WITHOUT ROWID;
    CREATE TABLE inbox (id INTEGER PRIMARY KEY AUTOINCREMENT, taskhub TEXT NOT NULL, instance_id TEXT NOT NULL,
      execution_id TEXT, event BLOB NOT NULL, visible_at INTEGER NOT NULL ${withDelayed ? ", delayed INTEGER NOT NULL DEFAULT 0" : ""});
    CREATE INDEX inbox_by_visible ON inbox (visible_at);
    CREATE TABLE activities (id INTEGER PRIMARY KEY AUTOINCREMENT, taskhub TEXT NOT NULL, instance_id TEXT NOT NULL,
      execution_id TEXT NOT NULL, task_id INTEGER NOT NULL, name TEXT NOT NULL, version TEXT, input TEXT, tags TEXT);
  `);
  const insert = db.prepare(
    "INSERT INTO instances (taskhub, instance_id, execution_id, name, status, input, output, custom_status, created_at, last_updated_at, completed_at, tags) VALUES (?, ?, 'e', 'orch', ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  insert.run("default", "running", Status.ORCHESTRATION_STATUS_RUNNING, '"the input"', null, '"checking"', NOW, NOW, null, '{"k":"v"}');
  insert.run("default", "done", Status.ORCHESTRATION_STATUS_COMPLETED, '"in"', '"the output"', null, NOW + 1, NOW + 1, NOW + 2, null);
  insert.run("other", "bare", Status.ORCHESTRATION_STATUS_PENDING, null, null, null, NOW + 2, NOW + 2, null, null);
  db.prepare("INSERT INTO history VALUES ('default', 'running', 0, ?), ('default', 'running', 1, ?)").run(new Uint8Array([1]), new Uint8Array([2]));
  db.prepare("INSERT INTO inbox (taskhub, instance_id, execution_id, event, visible_at) VALUES ('default', 'running', 'e', ?, ?), ('default', 'running', 'e', ?, ?)").run(
    new Uint8Array([3]),
    NOW - 1000,
    new Uint8Array([4]),
    Date.now() + 3_600_000,
  );
  if (withDelayed) db.prepare("UPDATE inbox SET delayed = 1 WHERE visible_at > ?").run(NOW);
  db.prepare("INSERT INTO activities (taskhub, instance_id, execution_id, task_id, name, input) VALUES ('default', 'running', 'e', 7, 'check', '\"x\"')").run();
  db.close();
}

const columns = (path: string, table: string) => {
  const db = new DatabaseSync(path);
  try {
    return (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
  } finally {
    db.close();
  }
};
const userVersion = (path: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
  } finally {
    db.close();
  }
};

describe("hub database schema versions", () => {
  test.each([true, false])("a database of the releases before versioning (inbox.delayed: %s) is upgraded on open, everything kept", (withDelayed) => {
    const path = join(dir(), "hub.sqlite");
    oldDatabase(path, { withDelayed });
    const store = openSqliteStore(path);
    try {
      expect(store.getInstance("default", "running")).toMatchObject({ input: '"the input"', customStatus: '"checking"', tags: { k: "v" } });
      expect(store.getInstance("default", "done")).toMatchObject({ input: '"in"', output: '"the output"', completedAt: NOW + 2 });
      expect(store.getInstance("other", "bare")).toMatchObject({ status: Status.ORCHESTRATION_STATUS_PENDING, input: undefined });
      expect(store.getHistory("default", "running")).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
      expect(store.historyLength("default", "running")).toBe(2);
      expect(store.readInbox("default", "running", NOW).map((m) => m.event)).toEqual([new Uint8Array([3])]);
      // The future row of an inbox without `delayed` was a timer: it is one after the upgrade.
      expect(store.nextVisibleAfter(NOW)).toBeGreaterThan(Date.now());
      expect(store.listActivities()).toMatchObject([{ instanceId: "running", taskId: 7, input: '"x"' }]);
      const page = store.queryInstances({ taskHub: "default", pageSize: 10, withPayloads: false });
      expect(page.instances.map((r) => [r.instanceId, r.customStatus, r.input])).toEqual([
        ["running", '"checking"', undefined],
        ["done", undefined, undefined],
      ]);
      expect(store.queryInstances({ taskHub: "default", pageSize: 10, withPayloads: true }).instances.map((r) => r.output)).toEqual([undefined, '"the output"']);
    } finally {
      store.close();
    }
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
    expect(columns(path, "instances")).not.toContain("input");
    expect(columns(path, "inbox")).toContain("delayed");
    // Opening again applies nothing more and changes nothing.
    openSqliteStore(path).close();
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
  });

  test("the upgrade is one transaction: on a full disk it fails with the reason and leaves the database as it was", () => {
    const path = join(dir(), "hub.sqlite");
    oldDatabase(path, { withDelayed: true });
    const db = new DatabaseSync(path);
    db.prepare("UPDATE instances SET input = ? WHERE instance_id = 'running'").run(JSON.stringify("i".repeat(200_000)));
    const { page_count: pages, page_size: pageSize } = db.prepare("SELECT * FROM pragma_page_count(), pragma_page_size()").get() as { page_count: number; page_size: number };
    db.close();
    // Room for what is there, not for the copy of the inputs the upgrade makes.
    expect(() => openSqliteStore(path, { maxBytes: (pages + 8) * pageSize })).toThrow(/Cannot open the hub database .*: database or disk is full\. Its disk is full/);
    expect(userVersion(path)).toBe(0);
    expect(columns(path, "instances")).toContain("input");
    expect(columns(path, "inbox")).toContain("delayed");
    const store = openSqliteStore(path);
    expect(store.getInstance("default", "running")?.input).toHaveLength(200_002);
    store.close();
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
  });

  test("a new database starts at the current version", () => {
    const path = join(dir(), "hub.sqlite");
    openSqliteStore(path).close();
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
  });

  test("a database of a later release is refused with what to do, and not written", () => {
    const path = join(dir(), "hub.sqlite");
    const db = new DatabaseSync(path);
    db.exec(`CREATE TABLE instances (whatever TEXT); PRAGMA user_version = ${SCHEMA_VERSION + 1};`);
    db.close();
    const before = readFileSync(path);
    expect(() => openSqliteStore(path)).toThrow(NewerSchemaError);
    expect(() => openSqliteStore(path)).toThrow(`schema version ${SCHEMA_VERSION + 1}, newer than this durable-monitor-tui knows (${SCHEMA_VERSION})`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  test("a command on a database of a later release exits 4 with the remedy", async () => {
    const dataDir = dir();
    const path = join(dataDir, "hub.sqlite");
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5};`);
    db.close();
    const r = await runMain(["list"], { env: { DURABLE_MONITOR_TUI_DATA_DIR: dataDir } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${path} has schema version ${SCHEMA_VERSION + 5}`);
    expect(r.stderr).toContain("Upgrade durable-monitor-tui");
    expect(r.stdout).toBe("");
    expect(userVersion(path)).toBe(SCHEMA_VERSION + 5);
  });
});

/** Bytes this process has written so far (Linux): the WAL is reused after a checkpoint, so its size says nothing. */
const bytesWritten = () => Number(/wchar: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))![1]);

describe("the instance row holds no input or output", () => {
  test("a turn of an instance with a 16 MB input writes a few pages, not the input again", () => {
    const path = join(dir(), "hub.sqlite");
    const store = openSqliteStore(path);
    const record = { taskHub: "default", instanceId: "big", executionId: "e", name: "orch", status: Status.ORCHESTRATION_STATUS_RUNNING, createdAt: NOW, lastUpdatedAt: NOW };
    store.createInstance({ ...record, input: JSON.stringify("p".repeat(16 * 1024 * 1024)) }, []);
    const before = bytesWritten();
    for (let turn = 1; turn <= 3; turn++) {
      store.commitTurn({
        instance: { ...record, input: store.getInstance("default", "big")!.input, customStatus: JSON.stringify("s".repeat(turn * 10)), lastUpdatedAt: NOW + turn },
        resetHistory: false,
        historyStartSeq: turn - 1,
        appendHistory: [new Uint8Array([turn])],
        consumedMessageIds: [],
        messages: [],
        activities: [],
        newInstances: [],
      });
    }
    const written = bytesWritten() - before;
    expect(store.getInstance("default", "big")?.customStatus).toBe(JSON.stringify("s".repeat(30)));
    expect(store.getInstance("default", "big")?.input?.length).toBe(16 * 1024 * 1024 + 2);
    store.close();
    expect(written).toBeLessThan(1024 * 1024);
  });

  test("a purge or a re-creation removes the instance's input and output with it", () => {
    const path = join(dir(), "hub.sqlite");
    const store = openSqliteStore(path);
    const record = { taskHub: "default", executionId: "e", name: "orch", status: Status.ORCHESTRATION_STATUS_COMPLETED, createdAt: NOW, lastUpdatedAt: NOW };
    store.createInstance({ ...record, instanceId: "gone", input: '"in"', output: '"out"' }, []);
    store.createInstance({ ...record, instanceId: "again", input: '"first"', output: '"first out"' }, []);
    store.createInstance({ ...record, instanceId: "again", status: Status.ORCHESTRATION_STATUS_PENDING }, []);
    expect(store.purgeInstance("default", "gone")).toEqual(["gone"]);
    const again = store.getInstance("default", "again");
    expect([again?.status, again?.input, again?.output]).toEqual([Status.ORCHESTRATION_STATUS_PENDING, undefined, undefined]);
    store.close();
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare("SELECT instance_id FROM payloads").all()).toEqual([]);
    db.close();
  });
});
