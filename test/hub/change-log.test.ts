import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openSqliteStore, type SqliteStoreHandle } from "../../src/engine/hub/sqlite-store.js";
import { MAX_TOMBSTONES } from "../../src/engine/hub/change-log.js";
import type { InstanceRecord } from "../../src/engine/hub/store.js";

const RUNNING = 0;
const COMPLETED = 1;

function record(instanceId: string, at: number, taskHub = "default"): InstanceRecord {
  return { taskHub, instanceId, executionId: "e1", name: "Orch", status: RUNNING, createdAt: at, lastUpdatedAt: at, customStatus: `"${instanceId}"` };
}

describe("the hub's change log (list then watch)", () => {
  const dirs: string[] = [];
  const stores: SqliteStoreHandle[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function open(name = "hub.sqlite"): { store: SqliteStoreHandle; path: string } {
    const dir = mkdtempSync(join(tmpdir(), "dmt-changelog-"));
    dirs.push(dir);
    const path = join(dir, name);
    const store = openSqliteStore(path);
    stores.push(store);
    return { store, path };
  }

  it("lists every instance from cursor 0, then returns only what changed since the cursor, deletions included", () => {
    const { store } = open();
    for (let i = 0; i < 5; i++) store.createInstance(record(`i${i}`, 1000 + i), []);
    store.createInstance(record("other", 1000, "otherhub"), []);

    const list = store.instancesChangedSince({ taskHub: "default", cursor: { log: "", seq: 0 }, pageSize: 100 });
    expect(list.upserted.map((r) => r.instanceId)).toEqual(["i0", "i1", "i2", "i3", "i4"]);
    expect(list.upserted[0]!.customStatus).toBe('"i0"');
    expect(list).toMatchObject({ removed: [], more: false, reset: false });

    const quiet = store.instancesChangedSince({ taskHub: "default", cursor: list.cursor, pageSize: 100 });
    expect(quiet).toMatchObject({ upserted: [], removed: [], more: false, reset: false, cursor: list.cursor });

    store.setStatus("default", "i3", COMPLETED, 2000);
    store.setStatus("otherhub", "other", COMPLETED, 2000);
    store.purgeInstance("default", "i3");
    store.setStatus("default", "i1", COMPLETED, 2001);
    store.createInstance(record("i9", 3000), []);
    const changes = store.instancesChangedSince({ taskHub: "default", cursor: quiet.cursor, pageSize: 100 });
    expect(changes.upserted.map((r) => [r.instanceId, r.status])).toEqual([
      ["i1", COMPLETED],
      ["i9", RUNNING],
    ]);
    expect(changes.removed).toEqual(["i3"]);
    expect(changes.cursor.seq).toBeGreaterThan(quiet.cursor.seq);

    // A new list does not name the deleted instance at all.
    const again = store.instancesChangedSince({ taskHub: "default", cursor: { log: "", seq: 0 }, pageSize: 100 });
    expect(again.upserted.map((r) => r.instanceId).sort()).toEqual(["i0", "i1", "i2", "i4", "i9"]);
    expect(again.removed).toEqual([]);
  });

  it("pages: `more` until caught up, and each change comes once", () => {
    const { store } = open();
    for (let i = 0; i < 25; i++) store.createInstance(record(`i${String(i).padStart(2, "0")}`, 1000 + i), []);
    const seen: string[] = [];
    let cursor = { log: "", seq: 0 };
    let pages = 0;
    for (;;) {
      const page = store.instancesChangedSince({ taskHub: "default", cursor, pageSize: 10 });
      pages++;
      seen.push(...page.upserted.map((r) => r.instanceId));
      cursor = page.cursor;
      // A change made between two pages comes in a later page (its new number is higher), never lost.
      if (pages === 1) store.setStatus("default", "i00", COMPLETED, 5000);
      if (!page.more) break;
    }
    expect(pages).toBe(3);
    expect(seen.filter((id) => id === "i00")).toHaveLength(2);
    expect(new Set(seen).size).toBe(25);
  });

  it("answers a cursor of another database, or one older than the kept tombstones, with a full list (reset)", () => {
    const a = open().store;
    const b = open().store;
    a.createInstance(record("a1", 1000), []);
    b.createInstance(record("b1", 1000), []);
    const fromA = a.instancesChangedSince({ taskHub: "default", cursor: { log: "", seq: 0 }, pageSize: 100 });
    const onB = b.instancesChangedSince({ taskHub: "default", cursor: fromA.cursor, pageSize: 100 });
    expect(onB.reset).toBe(true);
    expect(onB.upserted.map((r) => r.instanceId)).toEqual(["b1"]);
    expect(onB.cursor.log).not.toBe(fromA.cursor.log);
    const ahead = a.instancesChangedSince({ taskHub: "default", cursor: { ...fromA.cursor, seq: fromA.cursor.seq + 100 }, pageSize: 100 });
    expect(ahead.reset).toBe(true);
  });

  it("keeps its identity across reopening, enters the instances of an older database once, and drops old tombstones", () => {
    const { store, path } = open();
    for (let i = 0; i < 3; i++) store.createInstance(record(`i${i}`, 1000 + i), []);
    const before = store.instancesChangedSince({ taskHub: "default", cursor: { log: "", seq: 0 }, pageSize: 100 });
    store.close();
    stores.pop();

    // An older build's database: no change log yet.
    const db = new DatabaseSync(path);
    db.exec(
      "DROP TABLE instance_change_log; DROP TABLE instance_changes; DROP TRIGGER instance_changes_after_insert; " +
        "DROP TRIGGER instance_changes_after_update; DROP TRIGGER instance_changes_after_delete; PRAGMA user_version = 2;",
    );
    db.close();
    const reopened = openSqliteStore(path);
    stores.push(reopened);
    const list = reopened.instancesChangedSince({ taskHub: "default", cursor: before.cursor, pageSize: 100 });
    expect(list.reset).toBe(true);
    expect(list.upserted.map((r) => r.instanceId)).toEqual(["i0", "i1", "i2"]);
    const quiet = reopened.instancesChangedSince({ taskHub: "default", cursor: list.cursor, pageSize: 100 });
    expect(quiet).toMatchObject({ upserted: [], removed: [], reset: false });

    // Tombstones beyond the limit go at the next open; a cursor from before them lists again.
    reopened.transaction(() => {
      for (let i = 0; i < MAX_TOMBSTONES + 5; i++) {
        reopened.createInstance({ ...record(`gone${i}`, 2000), status: COMPLETED }, []);
        reopened.purgeInstance("default", `gone${i}`);
      }
    });
    reopened.close();
    stores.pop();
    const third = openSqliteStore(path);
    stores.push(third);
    expect(third.instancesChangedSince({ taskHub: "default", cursor: quiet.cursor, pageSize: 100 }).reset).toBe(true);
    third.close();
    stores.pop();
    const db2 = new DatabaseSync(path);
    const tombstones = db2.prepare("SELECT count(*) AS n FROM instance_changes WHERE deleted = 1").get() as { n: number };
    db2.close();
    expect(Number(tombstones.n)).toBe(MAX_TOMBSTONES);
  });
});
