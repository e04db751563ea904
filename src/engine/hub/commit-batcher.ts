/**
 * Group commit: writes queued in the same tick run in one SQLite transaction (each in its own savepoint, so one
 * failing write does not undo the others), and each caller's promise settles only after that commit returned.
 */
import type { Store } from "./store.js";

interface Pending<T> {
  write: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class CommitBatcher {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  /** Transactions committed and writes they carried (for tests and the benchmark). */
  readonly stats = { commits: 0, writes: 0 };

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 500,
  ) {}

  /** Queues `write` (synchronous store calls); resolves with its result once committed, rejects with its error. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve, reject } as Pending<unknown>);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (also called on stop). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const results: Array<{ ok: boolean; value: unknown }> = [];
      try {
        this.store.transaction(() => {
          for (const item of batch) {
            try {
              results.push({ ok: true, value: this.store.transaction(item.write) });
            } catch (error) {
              results.push({ ok: false, value: error });
            }
          }
        });
      } catch (error) {
        for (const item of batch) item.reject(error);
        continue;
      }
      this.stats.commits++;
      this.stats.writes += batch.length;
      batch.forEach((item, i) => {
        const r = results[i]!;
        if (r.ok) item.resolve(r.value);
        else item.reject(r.value);
      });
    }
  }
}
