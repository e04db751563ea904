/**
 * The first instances of an embedded hub's database that no process serves, read straight from the file: the
 * dashboard draws them before it loads the SDK and opens the hub (engine/first-page.ts). Nothing but node:sqlite is
 * loaded, nothing is created, and the file is held only for the read: the same locking mode as the hub (EXCLUSIVE,
 * so no shared-memory file is left behind), a busy file is given up at once, and the connection is closed on return.
 */
import { existsSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { ROW_COLUMNS, rowToInstance, type Row } from "./instance-rows.js";
import type { InstanceRecord } from "./store.js";

/**
 * The task hub's first `limit` instances in the order of the hub's QueryInstances (oldest first), without inputs and
 * outputs; undefined when there is no such file, or it is busy (a hub serves it) or not a hub's database.
 */
export function peekInstances(dbPath: string, taskHub: string, limit: number): InstanceRecord[] | undefined {
  if (!existsSync(dbPath)) return undefined;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(dbPath, { timeout: 0 });
    db.exec("PRAGMA locking_mode = EXCLUSIVE; PRAGMA query_only = 1;");
    const rows = db.prepare(`SELECT ${ROW_COLUMNS} FROM instances WHERE taskhub = ? ORDER BY created_at, instance_id LIMIT ?`).all(taskHub, limit) as Row[];
    return rows.map(rowToInstance);
  } catch {
    return undefined;
  } finally {
    try {
      db?.close();
    } catch {
      // closed as far as it goes: the hub opens the file on its own
    }
  }
}
