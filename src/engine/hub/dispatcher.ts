/**
 * The work-item dispatcher: queues of ready orchestration instances and pending activities per task hub, the
 * connected workers' streams, leases with completion tokens, and the durable-timer pump.
 *
 * Promises: an instance is handed to at most one worker at a time (turns never overlap); a work item whose
 * worker disconnects, abandons it or does not complete it within the lease goes back to the queue; a completion
 * token is valid once, for the lease it was issued with. Timers are rows in the store with a visible time: the pump
 * arms one `setTimeout` for the earliest of them and, when it fires, marks the instances that became due as ready.
 */
import { randomUUID } from "node:crypto";
import type { AppLogger } from "../../logging.js";
import type { ActivityRecord, InstanceKey, Store } from "./store.js";
import { acceptsActivity, acceptsOrchestration, describeWorkFilter, type WorkFilter } from "./work-filter.js";

/** A connected worker's stream of work items (`Item`: what the hub sends, opaque to the dispatcher). */
export interface WorkerStream<Item> {
  readonly id: number;
  readonly taskHub: string;
  /** Sends one work item; returns false if the stream is gone. */
  send(item: Item): boolean;
}

interface StreamState<Item> {
  stream: WorkerStream<Item>;
  outstanding: Set<string>;
  /** What the worker asked for; undefined: everything. */
  filter?: WorkFilter;
}

export interface OrchestrationLease<Turn> {
  kind: "orchestration";
  token: string;
  taskHub: string;
  instanceId: string;
  streamId: number;
  expiresAt: number;
  /** What the loader attached (the instance snapshot the turn was built from), given back with the lease. */
  context: Turn;
}

export interface ActivityLease {
  kind: "activity";
  token: string;
  taskHub: string;
  instanceId: string;
  streamId: number;
  expiresAt: number;
  activity: ActivityRecord;
}

export type Lease<Turn> = OrchestrationLease<Turn> | ActivityLease;

/** Builds the work item for a ready instance, or returns undefined when there is nothing to run now. */
export type OrchestrationLoader<Turn, Item> = (key: InstanceKey, token: string) => { item: Item; context: Turn } | undefined;
export type ActivityItemBuilder<Item> = (activity: ActivityRecord, token: string) => Item;
/** The orchestration name and version of an instance (for workers' filters); undefined when it is gone. */
export type InstanceDescriber = (key: InstanceKey) => { name: string; version?: string } | undefined;

/**
 * `Turn` is what the orchestration loader attaches to a lease (handed back at completion); `Item` is a work item as
 * sent to a worker. The dispatcher looks into neither.
 */
export interface DispatcherOptions<Turn, Item> {
  store: Store;
  logger: AppLogger;
  loadOrchestration: OrchestrationLoader<Turn, Item>;
  buildActivityItem: ActivityItemBuilder<Item>;
  describeInstance: InstanceDescriber;
  /** How long a worker may hold a work item before it goes back to the queue. Default 5 minutes. */
  leaseMs?: number;
  /** Work items outstanding per worker stream. Default 32 (env DURABLE_MONITOR_TUI_HUB_MAX_OUTSTANDING). */
  maxOutstandingPerStream?: number;
  /** Milliseconds since the epoch (lease expiry, what counts as due). Default Date.now. */
  clock?: () => number;
}

const keyOf = (taskHub: string, instanceId: string) => `${taskHub}\u0000${instanceId}`;
const PUMP_SLICE = 32;
const DUE_SHARE = 4;
/** Queued items a filtered pump may look past (their workers are busy) before it waits for the next completion. */
const SKIP_BUDGET = 64;
const DEFAULT_MAX_OUTSTANDING = Number(process.env.DURABLE_MONITOR_TUI_HUB_MAX_OUTSTANDING) || 32;

export class Dispatcher<Turn, Item> {
  private readonly ready = new Map<string, Set<string>>();
  /** Instances whose durable timer came due: dispatched before the rest of the backlog, to keep timers punctual. */
  private readonly due = new Map<string, Set<string>>();
  private readonly inFlight = new Set<string>();
  private readonly readyAgain = new Set<string>();
  private readonly activities = new Map<string, ActivityRecord[]>();
  private readonly streams = new Map<string, StreamState<Item>[]>();
  private readonly streamsById = new Map<number, StreamState<Item>>();
  private readonly leases = new Map<string, Lease<Turn>>();
  private readonly roundRobin = new Map<string, number>();
  /** Work no connected worker's filter matches: it waits here until a worker that takes it connects. */
  private readonly parkedInstances = new Map<string, Set<string>>();
  private readonly parkedActivities = new Map<string, ActivityRecord[]>();
  private nextStreamId = 1;
  private dueStreak = 0;
  private pumpScheduled = false;
  private timerHandle: NodeJS.Timeout | undefined;
  private timerArmedAt: number | undefined;
  private watermark = 0;
  private sweepHandle: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly leaseMs: number;
  private readonly maxOutstanding: number;
  private readonly clock: () => number;

  constructor(private readonly options: DispatcherOptions<Turn, Item>) {
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxOutstanding = options.maxOutstandingPerStream ?? DEFAULT_MAX_OUTSTANDING;
    this.clock = options.clock ?? Date.now;
  }

  /** Loads pending work from the store (after a restart: due timers fire at once) and starts the timer pump. */
  start(): void {
    const now = this.clock();
    for (const key of this.options.store.readyInstances(now)) this.markReady(key.taskHub, key.instanceId);
    for (const activity of this.options.store.listActivities()) this.enqueueActivity(activity);
    this.watermark = now;
    const next = this.options.store.nextVisibleAfter(now);
    if (next !== undefined) this.armTimer(next);
    this.sweepHandle = setInterval(() => this.sweepLeases(), Math.min(1000, Math.max(50, Math.floor(this.leaseMs / 4))));
    this.sweepHandle.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    if (this.sweepHandle) clearInterval(this.sweepHandle);
    this.timerHandle = undefined;
  }

  // ---- queues ----

  /** The instance has (or may have) events to process. Safe to call repeatedly. `timerDue` puts it ahead of the backlog. */
  markReady(taskHub: string, instanceId: string, timerDue = false): void {
    const key = keyOf(taskHub, instanceId);
    if (this.inFlight.has(key)) {
      this.readyAgain.add(key);
      return;
    }
    const queues = timerDue ? this.due : this.ready;
    let set = queues.get(taskHub);
    if (!set) queues.set(taskHub, (set = new Set()));
    set.add(instanceId);
    this.schedulePump();
  }

  enqueueActivity(activity: ActivityRecord, front = false): void {
    let queue = this.activities.get(activity.taskHub);
    if (!queue) this.activities.set(activity.taskHub, (queue = []));
    if (front) queue.unshift(activity);
    else queue.push(activity);
    this.schedulePump();
  }

  /** A message became (or will become) visible at `visibleAt` for the instance (`timer`: it is a durable timer). */
  messageAdded(taskHub: string, instanceId: string, visibleAt: number, timer = false): void {
    if (visibleAt <= this.clock()) this.markReady(taskHub, instanceId, timer);
    else this.armTimer(visibleAt);
  }

  /** Drops queued work of a purged instance. */
  forget(taskHub: string, instanceId: string): void {
    this.ready.get(taskHub)?.delete(instanceId);
    this.due.get(taskHub)?.delete(instanceId);
    this.parkedInstances.get(taskHub)?.delete(instanceId);
    for (const queues of [this.activities, this.parkedActivities]) {
      const queue = queues.get(taskHub);
      if (queue) queues.set(taskHub, queue.filter((a) => a.instanceId !== instanceId));
    }
  }

  // ---- workers ----

  /** A worker connected; `filter` (from its GetWorkItems request) limits what it is given. */
  connect(taskHub: string, send: (item: Item) => boolean, filter?: WorkFilter): WorkerStream<Item> {
    const stream: WorkerStream<Item> = { id: this.nextStreamId++, taskHub, send };
    const state: StreamState<Item> = { stream, outstanding: new Set(), filter };
    let list = this.streams.get(taskHub);
    if (!list) this.streams.set(taskHub, (list = []));
    list.push(state);
    this.streamsById.set(stream.id, state);
    this.options.logger.info("hub: worker stream %d connected (task hub %s; takes %s)", stream.id, taskHub, describeWorkFilter(filter));
    this.unpark(taskHub);
    this.schedulePump();
    return stream;
  }

  /** The worker went away: everything it held goes back to the queue. */
  disconnect(stream: WorkerStream<Item>): void {
    const state = this.streamsById.get(stream.id);
    if (!state) return;
    this.streamsById.delete(stream.id);
    const list = this.streams.get(stream.taskHub) ?? [];
    this.streams.set(
      stream.taskHub,
      list.filter((s) => s !== state),
    );
    for (const token of [...state.outstanding]) {
      const lease = this.leases.get(token);
      if (lease) this.requeue(lease, "worker disconnected");
    }
    this.options.logger.info("hub: worker stream %d disconnected (task hub %s)", stream.id, stream.taskHub);
  }

  /** A worker holds a turn of this instance right now. */
  isInFlight(taskHub: string, instanceId: string): boolean {
    return this.inFlight.has(keyOf(taskHub, instanceId));
  }

  // ---- leases ----

  /**
   * Takes the lease for a completion: it is removed (a token works once). Returns undefined for an unknown,
   * expired or already used token. An orchestration stays locked until `release` is called after the commit.
   */
  takeLease(token: string): Lease<Turn> | undefined {
    const lease = this.leases.get(token);
    if (!lease) return undefined;
    this.leases.delete(token);
    this.streamsById.get(lease.streamId)?.outstanding.delete(token);
    this.schedulePump();
    return lease;
  }

  /** Unlocks an instance after its turn was committed (or failed to commit); requeues it if more work arrived. */
  release(taskHub: string, instanceId: string, moreWork: boolean): void {
    const key = keyOf(taskHub, instanceId);
    this.inFlight.delete(key);
    const again = this.readyAgain.delete(key);
    if (again || moreWork) this.markReady(taskHub, instanceId);
  }

  /** Gives a leased work item back (abandon). Returns false for an unknown token. */
  abandon(token: string): boolean {
    const lease = this.leases.get(token);
    if (!lease) return false;
    this.requeue(lease, "abandoned by the worker");
    return true;
  }

  private requeue(lease: Lease<Turn>, why: string): void {
    this.leases.delete(lease.token);
    this.streamsById.get(lease.streamId)?.outstanding.delete(lease.token);
    this.options.logger.debug("hub: work item for %s returned to the queue (%s)", lease.instanceId, why);
    if (lease.kind === "orchestration") this.release(lease.taskHub, lease.instanceId, true);
    else this.enqueueActivity(lease.activity, true);
  }

  private sweepLeases(): void {
    const now = this.clock();
    for (const lease of [...this.leases.values()]) {
      if (lease.expiresAt <= now) this.requeue(lease, "lease expired");
    }
  }

  // ---- timers ----

  private armTimer(at: number): void {
    if (this.stopped) return;
    if (this.timerArmedAt !== undefined && this.timerArmedAt <= at) return;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerArmedAt = at;
    this.timerHandle = setTimeout(() => this.fireTimers(), Math.max(0, at - this.clock()));
  }

  private fireTimers(): void {
    this.timerHandle = undefined;
    this.timerArmedAt = undefined;
    if (this.stopped) return;
    const now = this.clock();
    try {
      for (const key of this.options.store.instancesBecomingVisible(this.watermark, now)) this.markReady(key.taskHub, key.instanceId, true);
      this.watermark = now;
      const next = this.options.store.nextVisibleAfter(now);
      if (next !== undefined) this.armTimer(next);
    } catch (error) {
      this.options.logger.error("hub: timer pump failed: %s", (error as Error).message);
      this.armTimer(now + 1000);
    }
  }

  // ---- the pump ----

  private schedulePump(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    for (const taskHub of [...this.streams.keys()]) this.pumpHub(taskHub);
  }

  private nextStream(taskHub: string, list: StreamState<Item>[]): StreamState<Item> | undefined {
    const start = this.roundRobin.get(taskHub) ?? 0;
    for (let i = 0; i < list.length; i++) {
      const index = (start + i) % list.length;
      const state = list[index]!;
      if (state.outstanding.size < this.maxOutstanding) {
        this.roundRobin.set(taskHub, index + 1);
        return state;
      }
    }
    return undefined;
  }

  /**
   * Hands out work while there is work and capacity, at most PUMP_SLICE items per tick so that completions and
   * commits interleave with dispatching (a long synchronous burst would leave the workers idle meanwhile).
   * Order: instances whose timer came due first (a timer has a deadline; the rest of the backlog does not), but
   * every DUE_SHARE-th slot goes to the rest so nothing starves; the rest alternates between activities and ready
   * orchestrations. (Due timers used to compete only for the orchestration half of the slots: at saturation that
   * share was barely above their arrival rate, so they queued and p99 lateness grew to 150-280 ms.)
   */
  private pumpHub(taskHub: string): void {
    const streams = this.streams.get(taskHub) ?? [];
    if (streams.some((s) => s.filter)) {
      this.pumpFiltered(taskHub, streams);
      return;
    }
    const ready = this.ready.get(taskHub);
    const due = this.due.get(taskHub);
    const activities = this.activities.get(taskHub);
    let preferActivity = false;
    for (let handed = 0; ; handed++) {
      if (handed >= PUMP_SLICE) {
        this.schedulePump();
        return;
      }
      const hasDue = !!due && due.size > 0;
      const hasReady = !!ready && ready.size > 0;
      const hasActivities = !!activities && activities.length > 0;
      if (!hasDue && !hasReady && !hasActivities) return;
      const state = this.nextStream(taskHub, this.streams.get(taskHub) ?? []);
      if (!state) return;
      if (hasDue && (!(hasReady || hasActivities) || ++this.dueStreak % DUE_SHARE !== 0)) {
        const instanceId = due!.values().next().value as string;
        due!.delete(instanceId);
        ready?.delete(instanceId);
        this.dispatchOrchestration(state, taskHub, instanceId);
        continue;
      }
      const takeActivity = hasActivities && (preferActivity || !hasReady);
      preferActivity = !preferActivity;
      if (takeActivity) this.dispatchActivity(state, activities!.shift()!);
      else {
        const instanceId = ready!.values().next().value as string;
        ready!.delete(instanceId);
        due?.delete(instanceId);
        this.dispatchOrchestration(state, taskHub, instanceId);
      }
    }
  }

  /** Puts parked work back in the queues (a worker connected: it may take some of it). */
  private unpark(taskHub: string): void {
    const instances = this.parkedInstances.get(taskHub);
    const activities = this.parkedActivities.get(taskHub);
    this.parkedInstances.delete(taskHub);
    this.parkedActivities.delete(taskHub);
    for (const instanceId of instances ?? []) this.markReady(taskHub, instanceId);
    for (const activity of activities ?? []) this.enqueueActivity(activity);
  }

  /**
   * The pump when some worker sent a filter: the same order as `pumpHub`, but each item goes to the next worker
   * with capacity whose filter takes it. An item no connected worker takes is parked until one connects; one whose
   * workers are all busy stays queued (at most SKIP_BUDGET of those are looked past per tick, so a long backlog for
   * a busy worker does not make every tick scan it).
   */
  private pumpFiltered(taskHub: string, streams: StreamState<Item>[]): void {
    const ready = this.ready.get(taskHub);
    const due = this.due.get(taskHub);
    const activities = this.activities.get(taskHub) ?? [];
    const busy: Array<{ instanceId: string; timerDue: boolean }> = [];
    const busyActivities: ActivityRecord[] = [];
    let preferActivity = false;
    let handed = 0;
    let skipped = 0;
    const place = (accepts: (filter: WorkFilter | undefined) => boolean): StreamState<Item> | "busy" | "nobody" => {
      let taker: "busy" | "nobody" = "nobody";
      const start = this.roundRobin.get(taskHub) ?? 0;
      for (let i = 0; i < streams.length; i++) {
        const index = (start + i) % streams.length;
        const state = streams[index]!;
        if (!accepts(state.filter)) continue;
        if (state.outstanding.size >= this.maxOutstanding) {
          taker = "busy";
          continue;
        }
        this.roundRobin.set(taskHub, index + 1);
        return state;
      }
      return taker;
    };
    while (handed < PUMP_SLICE && skipped < SKIP_BUDGET && streams.some((s) => s.outstanding.size < this.maxOutstanding)) {
      const hasDue = !!due && due.size > 0;
      const hasReady = !!ready && ready.size > 0;
      if (!hasDue && !hasReady && activities.length === 0) break;
      let instanceId: string | undefined;
      const timerDue = hasDue && (!(hasReady || activities.length > 0) || ++this.dueStreak % DUE_SHARE !== 0);
      if (timerDue) instanceId = due!.values().next().value as string;
      else if (activities.length === 0 || (!preferActivity && hasReady)) instanceId = ready!.values().next().value as string;
      if (!timerDue) preferActivity = !preferActivity;
      if (instanceId !== undefined) {
        due?.delete(instanceId);
        ready?.delete(instanceId);
        const described = this.options.describeInstance({ taskHub, instanceId });
        const where = described ? place((f) => acceptsOrchestration(f, described.name, described.version)) : place(() => true);
        if (where === "nobody") this.parkInstance(taskHub, instanceId);
        else if (where === "busy") {
          skipped++;
          busy.push({ instanceId, timerDue });
        } else {
          handed++;
          this.dispatchOrchestration(where, taskHub, instanceId);
        }
      } else {
        const activity = activities.shift()!;
        const where = place((f) => acceptsActivity(f, activity.name, activity.version));
        if (where === "nobody") this.parkActivity(activity);
        else if (where === "busy") {
          skipped++;
          busyActivities.push(activity);
        } else {
          handed++;
          this.dispatchActivity(where, activity);
        }
      }
    }
    // Back in the queues without a new tick: they wait for a completion (takeLease pumps) or a new worker.
    for (const { instanceId, timerDue } of busy) {
      const queues = timerDue ? this.due : this.ready;
      let set = queues.get(taskHub);
      if (!set) queues.set(taskHub, (set = new Set()));
      set.add(instanceId);
    }
    if (busyActivities.length > 0) this.activities.set(taskHub, [...busyActivities, ...(this.activities.get(taskHub) ?? [])]);
    if (handed >= PUMP_SLICE) this.schedulePump();
  }

  private parkInstance(taskHub: string, instanceId: string): void {
    let set = this.parkedInstances.get(taskHub);
    if (!set) this.parkedInstances.set(taskHub, (set = new Set()));
    set.add(instanceId);
  }

  private parkActivity(activity: ActivityRecord): void {
    let list = this.parkedActivities.get(activity.taskHub);
    if (!list) this.parkedActivities.set(activity.taskHub, (list = []));
    list.push(activity);
  }

  private dispatchOrchestration(state: StreamState<Item>, taskHub: string, instanceId: string): void {
    const key = keyOf(taskHub, instanceId);
    if (this.inFlight.has(key)) {
      this.readyAgain.add(key);
      return;
    }
    const token = randomUUID();
    let built: ReturnType<OrchestrationLoader<Turn, Item>>;
    try {
      built = this.options.loadOrchestration({ taskHub, instanceId }, token);
    } catch (error) {
      this.options.logger.error("hub: cannot load work for %s: %s", instanceId, (error as Error).message);
      return;
    }
    if (!built) return;
    const lease: OrchestrationLease<Turn> = {
      kind: "orchestration",
      token,
      taskHub,
      instanceId,
      streamId: state.stream.id,
      expiresAt: this.clock() + this.leaseMs,
      context: built.context,
    };
    this.inFlight.add(key);
    this.leases.set(token, lease);
    state.outstanding.add(token);
    if (!state.stream.send(built.item)) this.disconnect(state.stream);
  }

  private dispatchActivity(state: StreamState<Item>, activity: ActivityRecord): void {
    const token = randomUUID();
    const lease: ActivityLease = {
      kind: "activity",
      token,
      taskHub: activity.taskHub,
      instanceId: activity.instanceId,
      streamId: state.stream.id,
      expiresAt: this.clock() + this.leaseMs,
      activity,
    };
    this.leases.set(token, lease);
    state.outstanding.add(token);
    if (!state.stream.send(this.options.buildActivityItem(activity, token))) this.disconnect(state.stream);
  }
}
