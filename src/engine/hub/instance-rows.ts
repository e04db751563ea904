/**
 * An instance as the hub's database stores it: the columns of a row of `instances` and the record a row becomes.
 * Shared by the Store and by the dashboard's read of a database no hub serves (database-peek.ts).
 */
import type { InstanceRecord } from "./store.js";

export const META_COLUMNS =
  "taskhub, instance_id, execution_id, name, version, status, created_at, last_updated_at, completed_at, scheduled_start_at, parent_instance_id, parent_execution_id, parent_name, parent_task_id, tags";
/** The instance row: everything but the input and the output (unbounded in old databases), which live in `payloads`. */
export const ROW_COLUMNS = `${META_COLUMNS}, custom_status, failure`;

export type Row = Record<string, unknown>;

export function str(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}
export function num(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

export function rowToInstance(row: Row): InstanceRecord {
  const parentId = str(row.parent_instance_id);
  return {
    taskHub: row.taskhub as string,
    instanceId: row.instance_id as string,
    executionId: row.execution_id as string,
    name: row.name as string,
    version: str(row.version),
    status: Number(row.status),
    input: str(row.input),
    output: str(row.output),
    customStatus: str(row.custom_status),
    failure: row.failure ? (row.failure as Uint8Array) : undefined,
    createdAt: Number(row.created_at),
    lastUpdatedAt: Number(row.last_updated_at),
    completedAt: num(row.completed_at),
    scheduledStartAt: num(row.scheduled_start_at),
    parent: parentId
      ? { instanceId: parentId, executionId: str(row.parent_execution_id), name: str(row.parent_name), taskId: Number(row.parent_task_id) }
      : undefined,
    tags: row.tags ? (JSON.parse(row.tags as string) as Record<string, string>) : undefined,
  };
}
