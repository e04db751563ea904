/**
 * Group commit: writes queued in the same tick run in one SQLite transaction, and each caller's promise settles
 * only after that commit returned. A write must be synchronous store calls only, and safe to run twice (it is
 * re-run alone when another write of its batch failed).
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

  /**
   * Commits everything queued now (also called on stop). A batch is one transaction; if any write in it throws,
   * the batch is rolled back and each write is retried in a transaction of its own, so only the failing one fails.
   */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      let results: unknown[] | undefined;
      try {
        results = this.store.transaction(() => batch.map((item) => item.write()));
      } catch {
        results = undefined;
      }
      if (results) {
        this.stats.commits++;
        this.stats.writes += batch.length;
        batch.forEach((item, i) => item.resolve(results![i]));
        continue;
      }
      for (const item of batch) {
        let value: unknown;
        try {
          value = this.store.transaction(item.write);
        } catch (error) {
          item.reject(error);
          continue;
        }
        this.stats.commits++;
        this.stats.writes++;
        item.resolve(value);
      }
    }
  }
}
