/**
 * The Store on SQLite (`node:sqlite`, WAL, synchronous=NORMAL: a commit survives a crash of the process; the
 * last commits before a power loss may not). All task hubs share one file; every row carries its task hub.
 */
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { makePrivateDir, makePrivateFiles } from "../../private-files.js";
import { InstanceCache } from "./instance-cache.js";
import { isBusy, isFull, limitSize, LOCK_WAIT_MS, openRemedy, quickCheck, refuseEmptyFile, refuseUnusablePath, whyFull } from "./sqlite-file.js";
import { migrate, NewerSchemaError, refuseNewerSchema } from "./sqlite-migrations.js";
import {
  DatabaseLockedError,
  InstanceExistsError,
  InstanceNotFoundError,
  InvalidContinuationTokenError,
  StoreClosedError,
  StoreError,
  StorageFullError,
  TERMINAL_STATUSES,
  isTerminalStatus,
  type ActivityRecord,
  type InboxMessage,
  type InstanceIdQuery,
  type InstanceKey,
  type InstancePage,
  type InstanceQuery,
  type InstanceRecord,
  type NewMessage,
  type PurgeFilter,
  type Store,
  type TurnCommit,
  type TurnCommitResult,
} from "./store.js";
import { compactChangeLog, readChanges, type ChangePage, type ChangeQuery } from "./change-log.js";
import { META_COLUMNS, ROW_COLUMNS, num, rowToInstance, str, type Row } from "./instance-rows.js";

const TERMINAL_SQL = `(${TERMINAL_STATUSES.join(",")})`;
/** The instance row with its input and output; `FROM` this, the row's columns can be named bare. */
const WITH_PAYLOADS = `${ROW_COLUMNS}, input, output`;
const JOINED = "instances LEFT JOIN payloads USING (taskhub, instance_id)";
/** A query page stops at this many payload bytes (at least one instance per page), well under a 64 MiB gRPC message. */
export const MAX_QUERY_PAGE_BYTES = 16 * 1024 * 1024;

const payloadBytes = (r: InstanceRecord): number =>
  (r.input?.length ?? 0) + (r.output?.length ?? 0) + (r.customStatus?.length ?? 0) + (r.failure?.byteLength ?? 0);

function rowParams(r: InstanceRecord): Array<string | number | Uint8Array | null> {
  return [
    r.taskHub,
    r.instanceId,
    r.executionId,
    r.name,
    r.version ?? null,
    r.status,
    r.createdAt,
    r.lastUpdatedAt,
    r.completedAt ?? null,
    r.scheduledStartAt ?? null,
    r.parent?.instanceId ?? null,
    r.parent?.executionId ?? null,
    r.parent?.name ?? null,
    r.parent?.taskId ?? null,
    r.tags ? JSON.stringify(r.tags) : null,
    r.customStatus ?? null,
    r.failure ?? null,
  ];
}

function encodeToken(createdAt: number, instanceId: string): string {
  return Buffer.from(JSON.stringify([createdAt, instanceId])).toString("base64url");
}
function decodeToken(token: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "string") return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new InvalidContinuationTokenError(token);
}

export interface SqliteStoreOptions {
  /**
   * How many active instances (row + history) to keep in memory so a turn does not re-read them. Write-through;
   * terminal instances are dropped from it; any rolled-back transaction empties it. Default 2000.
   */
  cacheSize?: number;
  /** Upper bound of the cached histories' and payloads' bytes. Default 32 MiB. */
  cacheBytes?: number;
  /**
   * The most bytes the database file may grow to (SQLite's max_page_count): a write beyond it fails as on a full disk,
   * with StorageFullError. Default: no limit but the disk's.
   */
  maxBytes?: number;
}

/** A SQLite store, and what its instance cache holds (for tests and diagnostics). */
export interface SqliteStoreHandle extends Store {
  cacheUsage(): { entries: number; bytes: number };
}

/** Opens (creating if needed) the database at `path` and its schema. @throws StoreError if it cannot be opened. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStoreHandle {
  refuseUnusablePath(path);
  if (path !== ":memory:") makePrivateDir(dirname(path));
  let db: DatabaseSync | undefined;
  try {
    refuseEmptyFile(path);
    db = new DatabaseSync(path);
    // One hub per database: EXCLUSIVE locking (set before WAL is first used) takes SQLite's file lock at the first
    // write and keeps it until close; the OS drops it if the process dies. A second opener gets SQLITE_BUSY.
    db.exec(`PRAGMA locking_mode = EXCLUSIVE; PRAGMA busy_timeout = ${LOCK_WAIT_MS};`);
    try {
      refuseNewerSchema(db, path);
      db.exec("PRAGMA journal_mode = WAL; BEGIN IMMEDIATE; COMMIT;");
    } catch (error) {
      throw isBusy(error) ? new DatabaseLockedError(path) : error;
    }
    db.exec("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = OFF;");
    quickCheck(db, path);
    if (options.maxBytes !== undefined) limitSize(db, options.maxBytes);
    migrate(db);
    compactChangeLog(db);
    if (path !== ":memory:") makePrivateFiles(path, `${path}-wal`, `${path}-shm`);
  } catch (error) {
    db?.close();
    if (error instanceof DatabaseLockedError || error instanceof NewerSchemaError) throw error;
    throw new StoreError(`Cannot open the hub database ${path}: ${(error as Error).message}${openRemedy(error)}`, { cause: error });
  }
  return new SqliteStore(db, path, options.cacheSize ?? 2000, options.cacheBytes ?? 32 * 1024 * 1024);
}

const withoutPayloads = (r: InstanceRecord): InstanceRecord => ({ ...r, input: undefined, output: undefined, customStatus: undefined, failure: undefined });

class SqliteStore implements SqliteStoreHandle {
  private readonly statements = new Map<string, StatementSync>();
  private depth = 0;
  private closed = false;
  private readonly cache: InstanceCache;

  constructor(
    private readonly db: DatabaseSync,
    private readonly path: string,
    cacheSize: number,
    cacheBytes: number,
  ) {
    this.cache = new InstanceCache(cacheSize, cacheBytes);
  }

  cacheUsage(): { entries: number; bytes: number } {
    return this.cache.usage();
  }

  private stmt(sql: string): StatementSync {
    if (this.closed) throw new StoreClosedError();
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Nested calls join the outer transaction: if they throw, the caller must let the whole transaction roll back. */
  transaction<T>(fn: () => T): T {
    if (this.closed) throw new StoreClosedError();
    if (this.depth > 0) return fn();
    this.db.exec("BEGIN IMMEDIATE");
    this.depth++;
    try {
      const result = fn();
      this.depth--;
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.depth = 0;
      this.cache.clear();
      try {
        this.db.exec("ROLLBACK");
      } catch {
        // the transaction was already rolled back (e.g. by a failed COMMIT, or SQLite on a full disk)
      }
      throw isFull(error) ? new StorageFullError(this.path, whyFull(this.db, this.path)) : error;
    }
  }

  private insertInstance(record: InstanceRecord): void {
    this.stmt(`INSERT OR REPLACE INTO instances (${ROW_COLUMNS}) VALUES (${ROW_COLUMNS.split(",").map(() => "?").join(",")})`).run(
      ...rowParams(record),
    );
    this.writePayloads(record, "input, output");
  }

  /** Writes the named payload columns of the instance (its input only changes at a start or a continue-as-new). */
  private writePayloads(record: InstanceRecord, columns: "input, output" | "output"): void {
    const { taskHub, instanceId, input, output } = record;
    if (input === undefined && output === undefined && columns === "input, output") {
      this.stmt("DELETE FROM payloads WHERE taskhub = ? AND instance_id = ?").run(taskHub, instanceId);
      return;
    }
    const set = columns === "output" ? "output = excluded.output" : "input = excluded.input, output = excluded.output";
    this.stmt(`INSERT INTO payloads (taskhub, instance_id, input, output) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET ${set}`).run(
      taskHub,
      instanceId,
      input ?? null,
      output ?? null,
    );
  }

  private deleteInstanceData(taskHub: string, instanceId: string): void {
    this.cache.forget(taskHub, instanceId);
    this.stmt("DELETE FROM payloads WHERE taskhub = ? AND instance_id = ?").run(taskHub, instanceId);
    this.stmt("DELETE FROM history WHERE taskhub = ? AND instance_id = ?").run(taskHub, instanceId);
    this.stmt("DELETE FROM inbox WHERE taskhub = ? AND instance_id = ?").run(taskHub, instanceId);
    this.stmt("DELETE FROM activities WHERE taskhub = ? AND instance_id = ?").run(taskHub, instanceId);
  }

  private tryCreate(record: InstanceRecord, startMessages: NewMessage[]): boolean {
    const existing = this.stmt("SELECT status FROM instances WHERE taskhub = ? AND instance_id = ?").get(record.taskHub, record.instanceId) as
      | Row
      | undefined;
    if (existing && !isTerminalStatus(Number(existing.status))) return false;
    if (existing) this.deleteInstanceData(record.taskHub, record.instanceId);
    this.insertInstance(record);
    this.cache.put(record, []);
    this.addMessages(startMessages);
    return true;
  }

  createInstance(record: InstanceRecord, startMessages: NewMessage[]): void {
    this.transaction(() => {
      if (!this.tryCreate(record, startMessages)) throw new InstanceExistsError(record.taskHub, record.instanceId);
    });
  }

  getInstance(taskHub: string, instanceId: string, withPayloads = true): InstanceRecord | undefined {
    const cached = this.cache.get(taskHub, instanceId);
    if (cached) return withPayloads ? { ...cached.record } : withoutPayloads(cached.record);
    const row = this.stmt(`SELECT ${withPayloads ? `${WITH_PAYLOADS} FROM ${JOINED}` : `${META_COLUMNS} FROM instances`} WHERE taskhub = ? AND instance_id = ?`).get(
      taskHub,
      instanceId,
    ) as Row | undefined;
    if (!row) return undefined;
    const record = rowToInstance(row);
    if (withPayloads) this.cache.put(record);
    return record;
  }

  getHistory(taskHub: string, instanceId: string): Uint8Array[] {
    const cached = this.cache.get(taskHub, instanceId);
    if (cached?.history) return [...cached.history];
    const rows = this.stmt("SELECT event FROM history WHERE taskhub = ? AND instance_id = ? ORDER BY seq").all(taskHub, instanceId) as Row[];
    const history = rows.map((r) => r.event as Uint8Array);
    if (cached) this.cache.put(cached.record, [...history]);
    return history;
  }

  historyLength(taskHub: string, instanceId: string): number {
    const cached = this.cache.get(taskHub, instanceId)?.history;
    if (cached) return cached.length;
    const row = this.stmt("SELECT COUNT(*) AS n FROM history WHERE taskhub = ? AND instance_id = ?").get(taskHub, instanceId) as Row;
    return Number(row.n);
  }

  hasVisibleInbox(taskHub: string, instanceId: string, now: number): boolean {
    return this.stmt("SELECT 1 FROM inbox WHERE taskhub = ? AND instance_id = ? AND visible_at <= ? LIMIT 1").get(taskHub, instanceId, now) !== undefined;
  }

  readInbox(taskHub: string, instanceId: string, now: number): InboxMessage[] {
    const rows = this.stmt(
      "SELECT id, execution_id, event, visible_at FROM inbox WHERE taskhub = ? AND instance_id = ? AND visible_at <= ? ORDER BY id",
    ).all(taskHub, instanceId, now) as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      taskHub,
      instanceId,
      executionId: str(r.execution_id),
      event: r.event as Uint8Array,
      visibleAt: Number(r.visible_at),
    }));
  }

  addMessages(messages: NewMessage[]): number[] {
    const insert = this.stmt("INSERT INTO inbox (taskhub, instance_id, execution_id, event, visible_at, delayed) VALUES (?, ?, ?, ?, ?, ?)");
    return messages.map((m) => Number(insert.run(m.taskHub, m.instanceId, m.executionId ?? null, m.event, m.visibleAt, m.delayed ? 1 : 0).lastInsertRowid));
  }

  deleteMessages(ids: number[]): void {
    const del = this.stmt("DELETE FROM inbox WHERE id = ?");
    for (const id of ids) del.run(id);
  }

  setStatus(taskHub: string, instanceId: string, status: number, now: number): void {
    const result = this.stmt("UPDATE instances SET status = ?, last_updated_at = ? WHERE taskhub = ? AND instance_id = ?").run(
      status,
      now,
      taskHub,
      instanceId,
    );
    if (Number(result.changes) === 0) throw new InstanceNotFoundError(taskHub, instanceId);
    const cached = this.cache.get(taskHub, instanceId);
    if (cached) this.cache.put({ ...cached.record, status, lastUpdatedAt: now }, cached.history);
  }

  commitTurn(commit: TurnCommit): TurnCommitResult {
    return this.transaction(() => {
      const { instance } = commit;
      if (commit.resetHistory) this.stmt("DELETE FROM history WHERE taskhub = ? AND instance_id = ?").run(instance.taskHub, instance.instanceId);
      const appendEvent = this.stmt("INSERT OR REPLACE INTO history (taskhub, instance_id, seq, event) VALUES (?, ?, ?, ?)");
      commit.appendHistory.forEach((event, i) => appendEvent.run(instance.taskHub, instance.instanceId, commit.historyStartSeq + i, event));
      const updated = this.stmt(
        "UPDATE instances SET execution_id = ?, status = ?, custom_status = ?, failure = ?, last_updated_at = ?, completed_at = ? WHERE taskhub = ? AND instance_id = ?",
      ).run(
        instance.executionId,
        instance.status,
        instance.customStatus ?? null,
        instance.failure ?? null,
        instance.lastUpdatedAt,
        instance.completedAt ?? null,
        instance.taskHub,
        instance.instanceId,
      );
      if (Number(updated.changes) === 0) this.insertInstance(instance);
      else if (commit.resetHistory) this.writePayloads(instance, "input, output");
      else if (instance.output !== undefined) this.writePayloads(instance, "output");
      const previous = this.cache.get(instance.taskHub, instance.instanceId)?.history;
      const history = commit.resetHistory
        ? [...commit.appendHistory]
        : previous && previous.length === commit.historyStartSeq
          ? [...previous, ...commit.appendHistory]
          : undefined;
      this.cache.put(instance, history);
      this.deleteMessages(commit.consumedMessageIds);
      this.addMessages(commit.messages);
      const rejectedInstances: TurnCommitResult["rejectedInstances"] = [];
      for (const child of commit.newInstances) {
        if (!this.tryCreate(child.record, child.startMessages)) rejectedInstances.push({ taskHub: child.record.taskHub, instanceId: child.record.instanceId });
      }
      const insertActivity = this.stmt(
        "INSERT INTO activities (taskhub, instance_id, execution_id, task_id, name, version, input, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      );
      const activities = commit.activities.map((a) => ({
        ...a,
        id: Number(
          insertActivity.run(a.taskHub, a.instanceId, a.executionId, a.taskId, a.name, a.version ?? null, a.input ?? null, a.tags ? JSON.stringify(a.tags) : null)
            .lastInsertRowid,
        ),
      }));
      return { activities, rejectedInstances };
    });
  }

  completeActivity(activityId: number, result: NewMessage | undefined): boolean {
    return this.transaction(() => {
      const deleted = this.stmt("DELETE FROM activities WHERE id = ?").run(activityId);
      if (Number(deleted.changes) === 0) return false;
      if (result) this.addMessages([result]);
      return true;
    });
  }

  listActivities(): ActivityRecord[] {
    const rows = this.stmt("SELECT * FROM activities ORDER BY id").all() as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      taskHub: r.taskhub as string,
      instanceId: r.instance_id as string,
      executionId: r.execution_id as string,
      taskId: Number(r.task_id),
      name: r.name as string,
      version: str(r.version),
      input: str(r.input),
      tags: r.tags ? (JSON.parse(r.tags as string) as Record<string, string>) : undefined,
    }));
  }

  readyInstances(now: number): InstanceKey[] {
    const rows = this.stmt("SELECT DISTINCT taskhub, instance_id FROM inbox WHERE visible_at <= ?").all(now) as Row[];
    return rows.map((r) => ({ taskHub: r.taskhub as string, instanceId: r.instance_id as string }));
  }

  instancesBecomingVisible(after: number, upTo: number): InstanceKey[] {
    const rows = this.stmt("SELECT DISTINCT taskhub, instance_id FROM inbox WHERE delayed = 1 AND visible_at > ? AND visible_at <= ?").all(after, upTo) as Row[];
    return rows.map((r) => ({ taskHub: r.taskhub as string, instanceId: r.instance_id as string }));
  }

  nextVisibleAfter(after: number): number | undefined {
    const row = this.stmt("SELECT MIN(visible_at) AS t FROM inbox WHERE delayed = 1 AND visible_at > ?").get(after) as Row | undefined;
    return num(row?.t);
  }

  hasInstanceNamed(taskHub: string, name: string, statuses: readonly number[]): boolean {
    if (statuses.length === 0) return false;
    const sql = `SELECT 1 FROM instances WHERE taskhub = ? AND status IN (${statuses.map(() => "?").join(",")}) AND name = ? LIMIT 1`;
    return this.stmt(sql).get(taskHub, ...statuses, name) !== undefined;
  }

  queryInstances(query: InstanceQuery): InstancePage {
    const where: string[] = ["taskhub = ?"];
    const params: Array<string | number> = [query.taskHub];
    if (query.statuses && query.statuses.length > 0) {
      where.push(`status IN (${query.statuses.map(() => "?").join(",")})`);
      params.push(...query.statuses);
    }
    if (query.createdFrom !== undefined) {
      where.push("created_at >= ?");
      params.push(query.createdFrom);
    }
    if (query.createdTo !== undefined) {
      where.push("created_at <= ?");
      params.push(query.createdTo);
    }
    if (query.instanceIdPrefix) {
      where.push("instance_id >= ? AND instance_id < ?");
      params.push(query.instanceIdPrefix, query.instanceIdPrefix + "\u{10FFFF}");
    }
    if (query.continuationToken) {
      const [createdAt, instanceId] = decodeToken(query.continuationToken);
      where.push("(created_at > ? OR (created_at = ? AND instance_id > ?))");
      params.push(createdAt, createdAt, instanceId);
    }
    const pageSize = Math.max(1, Math.min(query.pageSize || 100, 10_000));
    const sql = `SELECT ${query.withPayloads ? `${WITH_PAYLOADS} FROM ${JOINED}` : `${ROW_COLUMNS} FROM instances`} WHERE ${where.join(" AND ")} ORDER BY created_at, instance_id LIMIT ?`;
    // Rows are read one at a time so that a page of large payloads stops at the byte budget without loading the rest.
    const instances: InstanceRecord[] = [];
    let bytes = 0;
    let more = false;
    for (const row of this.stmt(sql).iterate(...params, pageSize + 1) as Iterable<Row>) {
      const record = rowToInstance(row);
      if (instances.length >= pageSize || (instances.length > 0 && bytes + payloadBytes(record) > MAX_QUERY_PAGE_BYTES)) {
        more = true;
        break;
      }
      instances.push(record);
      bytes += payloadBytes(record);
    }
    const last = instances[instances.length - 1];
    return { instances, continuationToken: more && last ? encodeToken(last.createdAt, last.instanceId) : undefined };
  }

  instancesChangedSince(query: Omit<ChangeQuery, "maxBytes">): ChangePage {
    const columns = ROW_COLUMNS.split(", ").map((c) => `i.${c} AS ${c}`).join(", ");
    return readChanges((sql) => this.stmt(sql), columns, rowToInstance, { ...query, maxBytes: MAX_QUERY_PAGE_BYTES });
  }

  listInstanceIds(query: InstanceIdQuery): { instanceIds: string[]; lastInstanceKey?: string } {
    const where: string[] = ["taskhub = ?"];
    const params: Array<string | number> = [query.taskHub];
    if (query.statuses && query.statuses.length > 0) {
      where.push(`status IN (${query.statuses.map(() => "?").join(",")})`);
      params.push(...query.statuses);
    }
    if (query.completedFrom !== undefined) {
      where.push("completed_at >= ?");
      params.push(query.completedFrom);
    }
    if (query.completedTo !== undefined) {
      where.push("completed_at <= ?");
      params.push(query.completedTo);
    }
    if (query.lastInstanceKey) {
      where.push("instance_id > ?");
      params.push(query.lastInstanceKey);
    }
    const pageSize = Math.max(1, Math.min(query.pageSize || 100, 10_000));
    const rows = this.stmt(`SELECT instance_id FROM instances WHERE ${where.join(" AND ")} ORDER BY instance_id LIMIT ?`).all(
      ...params,
      pageSize + 1,
    ) as Row[];
    const ids = rows.slice(0, pageSize).map((r) => r.instance_id as string);
    return { instanceIds: ids, lastInstanceKey: rows.length > pageSize ? ids[ids.length - 1] : undefined };
  }

  purgeInstance(taskHub: string, instanceId: string, recursive = false): string[] {
    return this.transaction(() => {
      const deleted: string[] = [];
      this.purgeOne(taskHub, instanceId, recursive, deleted);
      return deleted;
    });
  }

  purgeInstances(filter: PurgeFilter): string[] {
    const statuses = (filter.statuses && filter.statuses.length > 0 ? filter.statuses : [...TERMINAL_STATUSES]).filter(isTerminalStatus);
    if (statuses.length === 0) return [];
    const where: string[] = ["taskhub = ?", `status IN (${statuses.map(() => "?").join(",")})`];
    const params: Array<string | number> = [filter.taskHub, ...statuses];
    if (filter.createdFrom !== undefined) {
      where.push("created_at >= ?");
      params.push(filter.createdFrom);
    }
    if (filter.createdTo !== undefined) {
      where.push("created_at < ?");
      params.push(filter.createdTo);
    }
    return this.transaction(() => {
      const rows = this.stmt(`SELECT instance_id FROM instances WHERE ${where.join(" AND ")}`).all(...params) as Row[];
      const deleted: string[] = [];
      for (const row of rows) this.purgeOne(filter.taskHub, row.instance_id as string, filter.recursive ?? false, deleted);
      return deleted;
    });
  }

  /** Inside a transaction: deletes one terminal instance (and its terminal descendants when recursive). */
  private purgeOne(taskHub: string, instanceId: string, recursive: boolean, deleted: string[]): void {
    this.cache.forget(taskHub, instanceId);
    const removed = this.stmt(`DELETE FROM instances WHERE taskhub = ? AND instance_id = ? AND status IN ${TERMINAL_SQL}`).run(taskHub, instanceId);
    if (Number(removed.changes) === 0) return;
    this.deleteInstanceData(taskHub, instanceId);
    deleted.push(instanceId);
    if (!recursive) return;
    const children = this.stmt("SELECT instance_id FROM instances WHERE taskhub = ? AND parent_instance_id = ?").all(taskHub, instanceId) as Row[];
    for (const child of children) this.purgeOne(taskHub, child.instance_id as string, true, deleted);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.cache.clear();
    try {
      this.db.close();
    } catch {
      // already closed
    }
  }
}
