/**
 * What the engine's watchers are told besides snapshots: the connection's state and the in-process worker's state.
 * Keeps the latest of each, tells every watcher of a change once, and brings a new watcher up to date.
 */
import type { ConnectionStatus, WatchEvent, WorkerState } from "./types.js";
import type { Watcher } from "./watcher.js";

export class EngineStatus {
  private readonly watchers = new Set<Watcher>();
  private connection: ConnectionStatus = { state: "connecting" };
  private worker: { state: WorkerState; error?: string };

  constructor(withWorker: boolean) {
    this.worker = { state: withWorker ? "starting" : "none" };
  }

  connectionStatus(): ConnectionStatus {
    return this.connection;
  }

  workerState(): WorkerState {
    return this.worker.state;
  }

  /** Records the connection's state; watchers hear of it only when it changed. */
  setConnection(status: ConnectionStatus): void {
    const current = this.connection;
    const same =
      status.state === current.state && status.lastError === current.lastError && status.nextRetryAt?.getTime() === current.nextRetryAt?.getTime();
    this.connection = status;
    if (!same) this.broadcast({ type: "connection", status });
  }

  setWorker(state: WorkerState, error?: string): void {
    this.worker = { state, error };
    this.broadcast({ type: "worker", state, error });
  }

  /** Adds a watcher and tells it the current state (held until its initial snapshot, except `disconnected`). */
  add(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    watcher.deliver({ type: "connection", status: this.connection });
    if (this.worker.state !== "none") watcher.deliver({ type: "worker", state: this.worker.state, error: this.worker.error });
    return () => {
      watcher.stop();
      this.watchers.delete(watcher);
    };
  }

  stopAll(): void {
    for (const w of this.watchers) w.stop();
    this.watchers.clear();
  }

  private broadcast(event: WatchEvent): void {
    for (const w of this.watchers) w.deliver(event);
  }
}
