import type { OrchestrationState } from "@microsoft/durabletask-js";
import { errorMessage } from "../errors.js";
import type { AppLogger } from "../logging.js";
import { SpecCache, carryRecent, snapshotChanged, toSnapshot } from "./snapshot.js";
import type { InstanceFilter, MonitorSnapshot, WatchEvent, WatchListener } from "./types.js";
import { backoffDelay } from "./connection/backoff.js";

export interface WatcherOptions {
  /** Fetches every instance matching the filter without payloads: one QueryInstances call per refresh (per page of 1000). */
  fetch: (filter?: InstanceFilter) => Promise<OrchestrationState[]>;
  specs: SpecCache;
  listener: WatchListener;
  filter?: InstanceFilter;
  /** Refresh period while connected. */
  periodMs: number;
  /** Longest wait between attempts while the backend does not answer. */
  maxBackoffMs?: number;
  /** A refresh that takes longer counts as failed (a silent network can hold a call for minutes). Default 10 s. */
  fetchTimeoutMs?: number;
  /** Called after each successful refresh (the engine marks the connection connected). */
  onQueryOk: () => void;
  /** Called after each failed refresh with when the next attempt is. */
  onQueryFailed: (error: unknown, nextRetryAt: Date) => void;
  logger: AppLogger;
}

/** What identifies a change cheaply, before any parsing: update time, status, custom status text, payloads known. */
const changeKey = (s: OrchestrationState, specs: SpecCache) =>
  `${s.lastUpdatedAt.getTime()}|${s.runtimeStatus}|${s.createdAt.getTime()}|${s.serializedCustomStatus ?? ""}|${s.serializedOutput?.length ?? -1}|${specs.has(s.instanceId, s.createdAt)}`;

/**
 * One subscription of `Engine.watch`: refreshes on a timer and emits only what changed.
 *
 * Promises: the first `snapshots` event has `initial: true` and every matching instance; later ones carry only
 * upserted (new or changed by update time, status, custom status or output) and removed ids, and none is
 * emitted when nothing changed. Worker and connection events that arrive before the initial snapshot are held
 * back and delivered right after it (only the latest of each), except `disconnected`, which is delivered at once.
 * While refreshes fail, the period doubles up to `maxBackoffMs`. A listener that throws is logged, not fatal.
 */
export class Watcher {
  private previous = new Map<string, { key: string; snapshot: MonitorSnapshot }>();
  private initialSent = false;
  private held = new Map<WatchEvent["type"], WatchEvent>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;

  constructor(private readonly options: WatcherOptions) {}

  start(): void {
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Engine-wide events (connection, worker) for this subscriber, in order with its snapshots. */
  deliver(event: WatchEvent): void {
    if (this.stopped) return;
    const urgent = event.type === "connection" && event.status.state === "disconnected";
    if (!this.initialSent && !urgent) {
      this.held.set(event.type, event);
      return;
    }
    this.emit(event);
  }

  private emit(event: WatchEvent): void {
    try {
      this.options.listener(event);
    } catch (error) {
      this.options.logger.error("watch listener threw: %s", errorMessage(error));
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let delay = this.options.periodMs;
    try {
      const states = await withTimeout(this.options.fetch(this.options.filter), this.options.fetchTimeoutMs ?? 10_000);
      if (this.stopped) return;
      this.failures = 0;
      this.apply(states);
      this.options.onQueryOk();
    } catch (error) {
      if (this.stopped) return;
      this.failures++;
      delay = backoffDelay(this.failures, this.options.periodMs, this.options.maxBackoffMs ?? 30_000, Math.random, 0);
      this.options.logger.debug("watch refresh failed (%d in a row): %s", this.failures, errorMessage(error));
      this.options.onQueryFailed(error, new Date(Date.now() + delay));
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private apply(states: OrchestrationState[]): void {
    const next = new Map<string, { key: string; snapshot: MonitorSnapshot }>();
    const upserted: MonitorSnapshot[] = [];
    for (const state of states) {
      const key = changeKey(state, this.options.specs);
      const prev = this.previous.get(state.instanceId);
      if (prev && prev.key === key) {
        next.set(state.instanceId, prev);
        continue;
      }
      const snapshot = carryRecent(prev?.snapshot, toSnapshot(state, this.options.specs));
      if (prev && !snapshotChanged(prev.snapshot, snapshot)) {
        next.set(state.instanceId, { key, snapshot: prev.snapshot });
        continue;
      }
      next.set(state.instanceId, { key, snapshot });
      upserted.push(snapshot);
    }
    const removed = [...this.previous.keys()].filter((id) => !next.has(id));
    this.previous = next;
    if (!this.initialSent) {
      this.initialSent = true;
      this.emit({ type: "snapshots", upserted: [...next.values()].map((e) => e.snapshot), removed: [], initial: true });
      const held = [...this.held.values()];
      this.held.clear();
      for (const event of held) this.emit(event);
      return;
    }
    if (upserted.length > 0 || removed.length > 0) this.emit({ type: "snapshots", upserted, removed, initial: false });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 4 /* DEADLINE_EXCEEDED */ })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
