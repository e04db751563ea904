/**
 * The engine facade: the one API the dashboard and the headless commands call.
 * Implementation: see createEngine in ./create-engine.ts (built on a connection: embedded hub, emulator or Azure DTS).
 */
import type {
  ConnectionInfo,
  ConnectionStatus,
  InstanceFilter,
  ListOptions,
  MonitorHistory,
  MonitorSnapshot,
  MonitorSpecInput,
  PurgeFilter,
  WatchListener,
  WorkerState,
} from "./types.js";

export interface StartOptions {
  /** Use this instance id (refused if one with that id is running); default: a generated one. */
  instanceId?: string;
  /** Start later instead of now. */
  startAt?: Date;
}

export interface WatchOptions {
  filter?: InstanceFilter;
  /** Refresh period; default ~250 ms on the embedded hub and 1 s remote (backing off while disconnected). */
  intervalMs?: number;
}

export interface Engine {
  readonly connection: ConnectionInfo;
  /** The file SDK, hub and engine logs go to. */
  readonly logFile: string;
  connectionStatus(): ConnectionStatus;
  workerState(): WorkerState;

  /**
   * Merges the profile's `defaults` under the spec, validates it, schedules a `monitor` orchestration,
   * and returns its instance id. Throws UsageError naming the bad field(s) before anything is scheduled;
   * BackendUnreachableError when the backend cannot be reached.
   */
  start(spec: MonitorSpecInput, options?: StartOptions): Promise<string>;
  /**
   * Starts many monitors over this one connection: validates every spec first (UsageError "spec N: …", 1-based,
   * before anything is scheduled), then schedules them with at most START_MANY_IN_FLIGHT requests at once.
   * Resolves to the instance ids in the specs' order. A backend failure midway throws; the monitors scheduled
   * before it keep running.
   */
  startMany(specs: MonitorSpecInput[]): Promise<string[]>;
  /**
   * Terminates a running/suspended instance with an optional reason (recorded as its output). NotFoundError if unknown.
   * `current`, here and below: the instance as the caller has just read it, so that it is not read a second time.
   */
  terminate(instanceId: string, reason?: string, current?: MonitorSnapshot): Promise<void>;
  suspend(instanceId: string, reason?: string, current?: MonitorSnapshot): Promise<void>;
  resume(instanceId: string, reason?: string, current?: MonitorSnapshot): Promise<void>;
  /** Raises an external event (JSON-serializable data). */
  raise(instanceId: string, eventName: string, data?: unknown, current?: MonitorSnapshot): Promise<void>;
  /** Wakes a sleeping monitor to check at once (the `poll-now` event). */
  pollNow(instanceId: string): Promise<void>;
  /** Changes a monitor's polling interval (the `set-interval` event); seconds > 0. */
  setInterval(instanceId: string, seconds: number): Promise<void>;
  /** Purges one terminal instance, or every terminal instance matching the filter; returns how many were deleted. */
  purge(target: string | PurgeFilter): Promise<number>;
  /** Restarts an instance with its original input; returns the (same or new) instance id. */
  restart(instanceId: string, options?: { newInstanceId?: boolean }): Promise<string>;
  /** The instance's history, and the check timeline derived from it. */
  history(instanceId: string): Promise<MonitorHistory>;
  /** One instance, or undefined. */
  get(instanceId: string): Promise<MonitorSnapshot | undefined>;
  /** Every instance matching the filter (paged through internally). */
  list(filter?: InstanceFilter, options?: ListOptions): Promise<MonitorSnapshot[]>;
  /** Waits (server-side) up to `timeoutMs` for a worker to pick the instance up; false when it is still Pending then. */
  waitUntilStarted(instanceId: string, timeoutMs: number): Promise<boolean>;
  /** Waits (server-side) until the instance ends; throws FatalError on timeout. */
  waitForCompletion(instanceId: string, timeoutMs?: number): Promise<MonitorSnapshot>;
  /**
   * Streams changes: first an `initial` snapshots event with the first page of instances (about a screen), the rest
   * of the list right after, then only what changed; also connection and worker state changes. On our hub a refresh
   * reads only the changes since the last one (its change log); elsewhere it is the paged query. Returns the
   * unsubscribe function.
   */
  watch(listener: WatchListener, options?: WatchOptions): () => void;
  /** Stops the worker (if any), the client, and the embedded hub when this process owns it. */
  close(): Promise<void>;
}
