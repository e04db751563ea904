/**
 * The active instances (row + history) the store keeps in memory so a turn does not re-read them: least recently used
 * out first, bounded by a number of entries and a number of bytes (histories and payloads, counted as stored).
 * Write-through: the store puts what it commits; terminal instances are not kept. It holds no database handle: the
 * store empties it when a transaction rolls back, since then it may hold records that were never committed.
 */
import { isTerminalStatus, type InstanceRecord } from "./store.js";

export interface CachedInstance {
  readonly record: InstanceRecord;
  /** The history of the current execution, when it was read or written whole. */
  readonly history?: Uint8Array[];
}

interface Entry extends CachedInstance {
  bytes: number;
}

/** Map and string overhead of an entry, beyond what it holds. */
const ENTRY_OVERHEAD = 512;

function entryBytes(record: InstanceRecord, history: Uint8Array[] | undefined): number {
  let bytes = ENTRY_OVERHEAD + (record.input?.length ?? 0) + (record.output?.length ?? 0) + (record.customStatus?.length ?? 0);
  bytes += record.failure?.byteLength ?? 0;
  if (history) for (const e of history) bytes += e.length + 16;
  return bytes;
}

const keyOf = (taskHub: string, instanceId: string) => `${taskHub}\u0000${instanceId}`;

export class InstanceCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  usage(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  get(taskHub: string, instanceId: string): CachedInstance | undefined {
    return this.entries.get(keyOf(taskHub, instanceId));
  }

  /**
   * Keeps (a copy of) the record, and the history when given, as the most recently used entry; evicts the least
   * recently used beyond the limits. A terminal record, or one alone over the byte limit, is dropped instead.
   */
  put(record: InstanceRecord, history?: Uint8Array[]): void {
    const key = keyOf(record.taskHub, record.instanceId);
    this.drop(key);
    if (this.maxEntries <= 0 || isTerminalStatus(record.status)) return;
    const entry: Entry = { record: { ...record }, history, bytes: entryBytes(record, history) };
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    while (this.entries.size > this.maxEntries || (this.bytes > this.maxBytes && this.entries.size > 0)) {
      this.drop(this.entries.keys().next().value as string);
    }
  }

  forget(taskHub: string, instanceId: string): void {
    this.drop(keyOf(taskHub, instanceId));
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
