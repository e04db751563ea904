import type { OrchestrationState } from "@microsoft/durabletask-js";
import { errorMessage } from "../errors.js";
import type { AppLogger } from "../logging.js";
import { SpecCache, carryRecent, snapshotChanged, toSnapshot } from "./snapshot.js";
import type { InstanceFeed } from "./instance-feed.js";
import type { MonitorSnapshot, WatchEvent, WatchListener } from "./types.js";
import { backoffDelay } from "./connection/backoff.js";
import { settledWithin } from "./settled-within.js";

interface WatcherOptions {
  /** Where the instances come from, one refresh at a time (instance-feed.ts): list then changes, or a list every time. */
  feed: InstanceFeed;
  /**
   * Fills what the rows need beyond the query (inputs, outputs: payloads.ts), in place, as far as it goes this time.
   * Default: nothing.
   */
  complete?: (states: OrchestrationState[]) => Promise<void>;
  /** True while a state still lacks a payload `complete` would fetch: it is offered to `complete` again later. */
  incomplete?: (state: OrchestrationState) => boolean;
  /**
   * States still lacking payloads offered to `complete` per refresh, after the changed ones (oldest waiting first;
   * one still lacking them after its turn waits behind the others). Default: all. A big hub's first list leaves
   * thousands waiting; `complete` fetches only a few per refresh, so offering (and re-checking) them all made every
   * refresh cost what exists rather than what changed.
   */
  completeBatch?: number;
  specs: SpecCache;
  listener: WatchListener;
  /** Refresh period while connected. */
  periodMs: number;
  /** Longest wait between attempts while the backend does not answer. */
  maxBackoffMs?: number;
  /** Called after each successful refresh (the engine marks the connection connected). */
  onQueryOk: () => void;
  /** Called after each failed refresh with when the next attempt is. */
  onQueryFailed: (error: unknown, nextRetryAt: Date) => void;
  /** Called once, when the listener has shown the initial rows (or stopped waiting for them: INITIAL_DRAW_WAIT_MS). */
  onInitialShown?: () => void;
  logger: AppLogger;
}

/**
 * What identifies a change cheaply, before any parsing: update time, status, creation, payloads known, and the custom
 * status's length (not its text, which every row would keep a copy of: a new custom status comes with a new update time).
 * Numbers only (V8 keeps them unboxed), not a string built from them: 10,000 rows kept ~3 MB of such strings.
 */
type ChangeKey = readonly [updated: number, status: number, created: number, statusLength: number, outputLength: number, specKnown: 0 | 1];

const changeKey = (s: OrchestrationState, specs: SpecCache): ChangeKey => [
  s.lastUpdatedAt.getTime(),
  s.runtimeStatus,
  s.createdAt.getTime(),
  s.serializedCustomStatus?.length ?? -1,
  s.serializedOutput?.length ?? -1,
  specs.has(s.instanceId, s.createdAt) ? 1 : 0,
];

const sameKey = (a: ChangeKey, b: ChangeKey) => a.every((v, i) => v === b[i]);

/** How long the watcher waits for the listener to draw the initial rows before it reads on. */
export const INITIAL_DRAW_WAIT_MS = 500;

interface Entry {
  key: ChangeKey;
  snapshot: MonitorSnapshot;
}

/**
 * One subscription of `Engine.watch`: refreshes on a timer and emits only what changed.
 *
 * Promises: the first `snapshots` event has `initial: true` and the first page of the first list (about a screen of
 * rows), before their payloads are fetched; the rest of that list follows, then each refresh emits at most one event, with only upserted
 * (new or changed by update time, status, custom status or output) and removed ids, and none when nothing changed.
 * Worker and connection events that arrive before the initial snapshot are held back and delivered right after it
 * (only the latest of each), except `disconnected`, which is delivered at once. The rest of the first list is read
 * only once the listener's promise for the initial event settled (at most INITIAL_DRAW_WAIT_MS). While refreshes fail,
 * the period doubles up to `maxBackoffMs`. A listener that throws is logged, not fatal.
 */
export class Watcher {
  private current = new Map<string, Entry>();
  /** States whose payloads are not all there yet (offered to `complete` again). */
  private pending = new Map<string, OrchestrationState>();
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

  private emit(event: WatchEvent): void | Promise<void> {
    try {
      return this.options.listener(event);
    } catch (error) {
      this.options.logger.error("watch listener threw: %s", errorMessage(error));
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let delay = this.options.periodMs;
    try {
      await this.refresh();
      if (this.stopped) return;
      this.failures = 0;
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

  /**
   * One refresh. Before the first event, each page is shown as it comes; after, the refresh's pages are gathered and
   * shown as one event. A list's pages name every instance: the ones they do not name are removed at its end.
   */
  private async refresh(): Promise<void> {
    const listed = new Set<string>();
    const states = new Map<string, OrchestrationState>();
    const removed = new Set<string>();
    const kind = await this.options.feed.refresh(async (page) => {
      if (this.stopped) return;
      for (const s of page.states) {
        listed.add(s.instanceId);
        states.set(s.instanceId, s);
        removed.delete(s.instanceId);
      }
      for (const id of page.removed) {
        states.delete(id);
        removed.add(id);
      }
      if (!this.initialSent && states.size > 0) {
        // On screen at once, with what the query says (a monitor's custom status names its job); payloads follow.
        await this.apply([...states.values()], [], false);
        states.clear();
      }
    });
    if (this.stopped) return;
    if (kind === "list") for (const id of this.current.keys()) if (!listed.has(id)) removed.add(id);
    await this.apply([...states.values()], [...removed]);
  }

  /** The states waiting for payloads whose turn it is (completeBatch of them, oldest first). */
  private waitingTurn(): Map<string, OrchestrationState> {
    const max = this.options.completeBatch ?? Number.POSITIVE_INFINITY;
    const turn = new Map<string, OrchestrationState>();
    for (const [id, s] of this.pending) {
      if (turn.size >= max) break;
      turn.set(id, s);
    }
    return turn;
  }

  /** Completes (unless `complete` is false), diffs against what was shown, and emits (the first time: `initial`, even when empty). */
  private async apply(changed: OrchestrationState[], removedIds: string[], complete = true): Promise<void> {
    // What changed comes first (a monitor just started gets its spec before the hundreds still waiting), then the
    // waiting ones whose turn it is.
    const batch = new Map<string, OrchestrationState>(changed.map((s) => [s.instanceId, s]));
    if (complete) for (const [id, s] of this.waitingTurn()) if (!batch.has(id)) batch.set(id, s);
    for (const id of removedIds) batch.delete(id);
    const states = [...batch.values()];
    if (complete && this.options.complete && states.length > 0) await this.options.complete(states);
    if (this.stopped) return;
    if (complete) for (const id of batch.keys()) this.pending.delete(id);
    // Not offered to `complete` yet: offered later, whatever they lack (at the back of the queue).
    for (const s of states) if (!complete || this.options.incomplete?.(s)) this.pending.set(s.instanceId, s);

    const upserted: MonitorSnapshot[] = [];
    const fresh = new Set(changed.map((s) => s.instanceId));
    for (const state of states) {
      // A state offered again only for its payloads, still without them, has nothing new to show.
      if (!fresh.has(state.instanceId) && this.pending.has(state.instanceId)) continue;
      const key = changeKey(state, this.options.specs);
      const prev = this.current.get(state.instanceId);
      if (prev && sameKey(prev.key, key)) continue;
      const snapshot = carryRecent(prev?.snapshot, toSnapshot(state, this.options.specs));
      if (prev && !snapshotChanged(prev.snapshot, snapshot)) {
        this.current.set(state.instanceId, { key, snapshot: prev.snapshot });
        continue;
      }
      this.current.set(state.instanceId, { key, snapshot });
      upserted.push(snapshot);
    }
    const removed = removedIds.filter((id) => this.current.delete(id));
    for (const id of removed) this.pending.delete(id);
    if (!this.initialSent) {
      this.initialSent = true;
      const shown = this.emit({ type: "snapshots", upserted, removed: [], initial: true });
      const held = [...this.held.values()];
      this.held.clear();
      for (const event of held) this.emit(event);
      if (shown) await settledWithin([shown], INITIAL_DRAW_WAIT_MS);
      if (!this.stopped) this.options.onInitialShown?.();
      return;
    }
    if (upserted.length > 0 || removed.length > 0) this.emit({ type: "snapshots", upserted, removed, initial: false });
  }
}
