/**
 * The hub's domain operations: what clients and workers can ask of it, independent of gRPC. It owns the store,
 * the dispatcher and the commit batcher, turns completed orchestrator turns into commits (through the pure
 * `applyTurn`), and wakes server-side waiters when an instance changes.
 */
import { randomUUID } from "node:crypto";
import type { AppLogger } from "../../logging.js";
import { CommitBatcher } from "./commit-batcher.js";
import { Dispatcher, type WorkerStream } from "./dispatcher.js";
import * as ev from "./events.js";
import { pb, Status, stringValue, unwrap, type HistoryEvent, type PbModule } from "./proto.js";
import { DEFAULT_HUB_LIMITS, failTurn, overLimit, oversizedTurn, requireWithin, type HubLimits } from "./limits.js";
import { applyTurn, type TurnOutcome } from "./runtime-state.js";
import { buildTurnCommit, subOrchestrationRejected, type TurnCommitPlan, type TurnContext } from "./turn-commit.js";
import { encodeOrchestratorWorkItem } from "./wire.js";
import type { WorkFilter } from "./work-filter.js";
import type { ChangePage, ChangeQuery } from "./change-log.js";
import {
  InstanceNotFoundError,
  StoreError,
  StorageFullError,
  isTerminalStatus,
  type ActivityRecord,
  type InstanceIdQuery,
  type InstancePage,
  type InstanceQuery,
  type InstanceRecord,
  type NewMessage,
  type PurgeFilter,
  type Store,
  type TurnCommitResult,
} from "./store.js";

/** A completion named a token the hub did not issue, already consumed, or took back (lease expired, worker gone). */
export class StaleCompletionError extends Error {
  constructor(token: string) {
    super(`Unknown or expired completion token '${token}': the work item was reassigned or already completed.`);
    this.name = "StaleCompletionError";
  }
}

/** The operation is not allowed in the instance's current state (e.g. restarting a running instance). */
export class InvalidStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidStateError";
  }
}

/** The hub is stopping: waits end with this error. */
export class HubStoppingError extends Error {
  constructor() {
    super("The hub is stopping.");
    this.name = "HubStoppingError";
  }
}

export interface BackendOptions {
  store: Store;
  logger: AppLogger;
  /** Size limits (default DEFAULT_HUB_LIMITS). */
  limits?: Partial<HubLimits>;
  leaseMs?: number;
  maxOutstandingPerStream?: number;
}

export interface NewInstanceRequest {
  instanceId?: string;
  name: string;
  input?: string;
  version?: string;
  tags?: Record<string, string>;
  scheduledStartAt?: number;
}

/**
 * A work item as the hub sends it: an activity's `WorkItem` message, or an orchestrator work item already serialized
 * from the stored history bytes (wire.ts; grpc-service's `hubServiceDefinition` passes bytes through).
 */
export type OutgoingWorkItem = PbModule.WorkItem | Buffer;

interface Waiter {
  predicate: (record: InstanceRecord | undefined) => boolean;
  resolve: (record: InstanceRecord | undefined) => void;
  reject: (error: Error) => void;
}

export const newExecutionId = (): string => randomUUID().replace(/-/g, "");
/** After a commit refused for want of room, the work waits this long before it is offered again (not a hot loop). */
export const FULL_RETRY_MS = 1000;
const keyOf = (taskHub: string, instanceId: string) => `${taskHub}\u0000${instanceId}`;
const decode = (bytes: Uint8Array): HistoryEvent => pb.HistoryEvent.deserializeBinary(bytes);
const encode = (event: HistoryEvent): Uint8Array => event.serializeBinary();

export class HubBackend {
  readonly dispatcher: Dispatcher<TurnContext, OutgoingWorkItem>;
  readonly batcher: CommitBatcher;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly logger: AppLogger;
  readonly limits: HubLimits;

  constructor(private readonly store: Store, options: Omit<BackendOptions, "store">) {
    this.logger = options.logger;
    this.limits = { ...DEFAULT_HUB_LIMITS, ...options.limits };
    this.batcher = new CommitBatcher(store);
    this.dispatcher = new Dispatcher<TurnContext, OutgoingWorkItem>({
      store,
      logger: options.logger,
      leaseMs: options.leaseMs,
      maxOutstandingPerStream: options.maxOutstandingPerStream,
      loadOrchestration: (key, token) => this.loadTurn(key.taskHub, key.instanceId, token),
      buildActivityItem: (activity, token) => this.activityItem(activity, token),
      describeInstance: (key) => store.getInstance(key.taskHub, key.instanceId, false),
    });
  }

  start(): void {
    this.dispatcher.start();
  }

  /** Stops dispatching, commits what is queued, and ends waits with HubStoppingError. */
  stop(): void {
    this.dispatcher.stop();
    this.batcher.flush();
    for (const set of this.waiters.values()) for (const w of set) w.reject(new HubStoppingError());
    this.waiters.clear();
  }

  // ---------------- clients ----------------

  /**
   * Creates an instance (Pending until its ExecutionStarted event is visible: now, or the scheduled start time).
   * @throws InstanceExistsError when the id is taken by a non-terminal instance; PayloadTooLargeError.
   */
  async createInstance(taskHub: string, request: NewInstanceRequest): Promise<string> {
    requireWithin("The input", request.input, this.limits.inputBytes);
    const now = Date.now();
    const instanceId = request.instanceId || randomUUID().replace(/-/g, "");
    const executionId = newExecutionId();
    const scheduledStartAt = request.scheduledStartAt && request.scheduledStartAt > now ? request.scheduledStartAt : undefined;
    const record: InstanceRecord = {
      taskHub,
      instanceId,
      executionId,
      name: request.name,
      version: request.version,
      status: Status.ORCHESTRATION_STATUS_PENDING,
      input: request.input,
      createdAt: now,
      lastUpdatedAt: now,
      scheduledStartAt,
      tags: request.tags,
    };
    const started = ev.executionStarted(now, {
      name: request.name,
      instanceId,
      executionId,
      input: request.input,
      version: request.version,
      scheduledStartAt,
      tags: request.tags,
    });
    const visibleAt = scheduledStartAt ?? now;
    await this.batcher.run(() =>
      this.store.createInstance(record, [{ taskHub, instanceId, executionId, event: encode(started), visibleAt, delayed: visibleAt > now }]),
    );
    this.dispatcher.messageAdded(taskHub, instanceId, visibleAt, visibleAt > now);
    this.notify(taskHub, instanceId);
    return instanceId;
  }

  getInstance(taskHub: string, instanceId: string, withPayloads = true): InstanceRecord | undefined {
    return this.store.getInstance(taskHub, instanceId, withPayloads);
  }

  /**
   * Resolves with the instance as soon as `predicate` holds (at once if it already does), or with undefined if the
   * instance does not exist. `signal` aborts the wait (the promise then never settles; the caller stops listening).
   * Rejects with HubStoppingError when the hub stops.
   */
  waitForInstance(
    taskHub: string,
    instanceId: string,
    predicate: (record: InstanceRecord) => boolean,
    signal: AbortSignal,
  ): Promise<InstanceRecord | undefined> {
    const current = this.store.getInstance(taskHub, instanceId);
    if (!current || predicate(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const key = keyOf(taskHub, instanceId);
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const waiter: Waiter = {
        predicate: (r) => !r || predicate(r),
        resolve: (r) => {
          signal.removeEventListener("abort", onAbort);
          resolve(r);
        },
        reject: (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const s = this.waiters.get(key);
        s?.delete(waiter);
        if (s && s.size === 0) this.waiters.delete(key);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      set.add(waiter);
    });
  }

  /** @throws InstanceNotFoundError, PayloadTooLargeError */
  async raiseEvent(taskHub: string, instanceId: string, name: string, input: string | undefined): Promise<void> {
    requireWithin(`The data of event '${name}'`, input, this.limits.eventBytes);
    await this.sendToInstance(taskHub, instanceId, ev.eventRaised(Date.now(), name, input), { recordWhileSuspended: true });
  }

  /**
   * A suspended orchestration only buffers the events it is sent, and a turn for each one (the SDK replays the whole
   * history every turn) made N events cost O(N²). When nothing else waits for the instance (no turn out, nothing in its
   * inbox), the event goes straight into its history, as that turn would have put it, and no turn runs; the resume's
   * turn hands them all to the orchestrator. Returns false when the event must go through the inbox instead.
   */
  private recordEventWhileSuspended(meta: InstanceRecord, event: HistoryEvent, now: number): boolean {
    const { taskHub, instanceId } = meta;
    if (meta.status !== Status.ORCHESTRATION_STATUS_SUSPENDED) return false;
    if (this.dispatcher.isInFlight(taskHub, instanceId) || this.store.hasVisibleInbox(taskHub, instanceId, now)) return false;
    // The commit writes the record back (and into the instance cache): the whole record, payloads included.
    const record = this.store.getInstance(taskHub, instanceId, true)!;
    this.store.commitTurn({
      instance: { ...record, lastUpdatedAt: now },
      resetHistory: false,
      historyStartSeq: this.store.historyLength(taskHub, instanceId),
      appendHistory: [encode(event)],
      consumedMessageIds: [],
      messages: [],
      activities: [],
      newInstances: [],
    });
    return true;
  }

  /**
   * Terminates a non-terminal instance (no-op for a terminal one). An instance that never ran a turn (pending, e.g.
   * waiting for its scheduled start) is terminated at once by the hub; a running one when it next runs.
   * @throws InstanceNotFoundError
   */
  async terminate(taskHub: string, instanceId: string, output: string | undefined, recursive: boolean): Promise<void> {
    requireWithin("The termination output", output, this.limits.outputBytes);
    const record = this.requireInstance(taskHub, instanceId);
    if (isTerminalStatus(record.status)) return;
    if (record.status === Status.ORCHESTRATION_STATUS_PENDING && !this.dispatcher.isInFlight(taskHub, instanceId)) {
      const terminated = await this.batcher.run(() => this.terminateNeverStarted(taskHub, instanceId, output));
      if (terminated) {
        this.notify(taskHub, instanceId);
        return;
      }
    }
    await this.sendToInstance(taskHub, instanceId, ev.executionTerminated(Date.now(), output, recursive));
  }

  /** Ends an instance that has no history yet without a worker. Returns false if it has started meanwhile. */
  private terminateNeverStarted(taskHub: string, instanceId: string, output: string | undefined): boolean {
    const record = this.store.getInstance(taskHub, instanceId);
    if (!record || record.status !== Status.ORCHESTRATION_STATUS_PENDING || this.store.historyLength(taskHub, instanceId) > 0) return false;
    const now = Date.now();
    const status = Status.ORCHESTRATION_STATUS_TERMINATED;
    const messages: NewMessage[] = [];
    if (record.parent) {
      const failure = ev.failureDetails("OrchestrationTerminated", `Sub-orchestration '${instanceId}' was terminated before it started.`);
      messages.push({
        taskHub,
        instanceId: record.parent.instanceId,
        executionId: record.parent.executionId,
        event: encode(ev.subOrchestrationFailed(now, record.parent.taskId, failure)),
        visibleAt: now,
      });
    }
    this.store.commitTurn({
      instance: { ...record, status, output, lastUpdatedAt: now, completedAt: now },
      resetHistory: false,
      historyStartSeq: 0,
      appendHistory: [ev.executionTerminated(now, output, false), ev.executionCompleted(now, status, output, undefined)].map(encode),
      consumedMessageIds: this.store.readInbox(taskHub, instanceId, Number.MAX_SAFE_INTEGER).map((m) => m.id),
      messages,
      activities: [],
      newInstances: [],
    });
    for (const m of messages) this.dispatcher.messageAdded(m.taskHub, m.instanceId, m.visibleAt);
    return true;
  }

  /** Suspends a running instance: later events wait until it is resumed. @throws InstanceNotFoundError */
  async suspend(taskHub: string, instanceId: string, reason: string | undefined): Promise<void> {
    requireWithin("The reason", reason, this.limits.eventBytes);
    const record = this.requireInstance(taskHub, instanceId);
    if (isTerminalStatus(record.status)) return;
    await this.sendToInstance(taskHub, instanceId, ev.executionSuspended(Date.now(), reason));
  }

  /** @throws InstanceNotFoundError */
  async resume(taskHub: string, instanceId: string, reason: string | undefined): Promise<void> {
    requireWithin("The reason", reason, this.limits.eventBytes);
    const record = this.requireInstance(taskHub, instanceId);
    if (isTerminalStatus(record.status)) return;
    await this.sendToInstance(taskHub, instanceId, ev.executionResumed(Date.now(), reason));
  }

  queryInstances(query: InstanceQuery): InstancePage {
    return this.store.queryInstances(query);
  }

  listInstanceIds(query: InstanceIdQuery): { instanceIds: string[]; lastInstanceKey?: string } {
    return this.store.listInstanceIds(query);
  }

  instancesChangedSince(query: Omit<ChangeQuery, "maxBytes">): ChangePage {
    return this.store.instancesChangedSince(query);
  }

  /** Purges one terminal instance (with `recursive`, also its terminal sub-orchestrations); returns how many were deleted. */
  async purgeInstance(taskHub: string, instanceId: string, recursive = false): Promise<number> {
    const deleted = await this.batcher.run(() => this.store.purgeInstance(taskHub, instanceId, recursive));
    for (const id of deleted) this.dispatcher.forget(taskHub, id);
    return deleted.length;
  }

  async purgeInstances(filter: PurgeFilter): Promise<number> {
    const deleted = await this.batcher.run(() => this.store.purgeInstances(filter));
    for (const id of deleted) this.dispatcher.forget(filter.taskHub, id);
    return deleted.length;
  }

  /**
   * Starts the instance again from its original input, under the same id (replacing it) or a new one.
   * @throws InstanceNotFoundError, InvalidStateError (the instance is not terminal and the id is reused)
   */
  async restartInstance(taskHub: string, instanceId: string, newInstanceId: boolean): Promise<string> {
    const record = this.requireInstance(taskHub, instanceId);
    if (!newInstanceId && !isTerminalStatus(record.status)) {
      throw new InvalidStateError(`Instance '${instanceId}' is still running; only a completed, failed or terminated instance can be restarted under the same id.`);
    }
    let input = record.input;
    const history = this.store.getHistory(taskHub, instanceId);
    for (const bytes of history) {
      const event = decode(bytes);
      if (event.hasExecutionstarted()) {
        input = unwrap(event.getExecutionstarted()!.getInput());
        break;
      }
    }
    return this.createInstance(taskHub, {
      instanceId: newInstanceId ? undefined : instanceId,
      name: record.name,
      input,
      version: record.version,
      tags: record.tags,
    });
  }

  /** The history of the instance's current execution. @throws InstanceNotFoundError */
  getHistory(taskHub: string, instanceId: string): HistoryEvent[] {
    this.requireInstance(taskHub, instanceId);
    return this.store.getHistory(taskHub, instanceId).map(decode);
  }

  private requireInstance(taskHub: string, instanceId: string): InstanceRecord {
    const record = this.store.getInstance(taskHub, instanceId, false);
    if (!record) throw new InstanceNotFoundError(taskHub, instanceId);
    return record;
  }

  /** Adds an event to the instance's inbox and queues a turn; with `recordWhileSuspended`, see recordEventWhileSuspended. */
  private async sendToInstance(taskHub: string, instanceId: string, event: HistoryEvent, options: { recordWhileSuspended?: boolean } = {}): Promise<void> {
    const now = Date.now();
    const recorded = await this.batcher.run(() => {
      const meta = this.store.getInstance(taskHub, instanceId, false);
      if (!meta) throw new InstanceNotFoundError(taskHub, instanceId);
      if (options.recordWhileSuspended && this.recordEventWhileSuspended(meta, event, now)) return true;
      this.store.addMessages([{ taskHub, instanceId, event: encode(event), visibleAt: now }]);
      return false;
    });
    if (recorded) this.notify(taskHub, instanceId);
    else this.dispatcher.messageAdded(taskHub, instanceId, now);
  }

  // ---------------- workers ----------------

  /** A worker's GetWorkItems stream opened; `filter` limits what it is given (undefined: everything). */
  connectWorker(taskHub: string, send: (item: OutgoingWorkItem) => boolean, filter?: WorkFilter): WorkerStream<OutgoingWorkItem> {
    return this.dispatcher.connect(taskHub, send, filter);
  }

  disconnectWorker(stream: WorkerStream<OutgoingWorkItem>): void {
    this.dispatcher.disconnect(stream);
  }

  /** Returns a leased work item to the queue. @throws StaleCompletionError */
  abandon(token: string): void {
    if (!this.dispatcher.abandon(token)) throw new StaleCompletionError(token);
  }

  private loadTurn(taskHub: string, instanceId: string, token: string): { item: OutgoingWorkItem; context: TurnContext } | undefined {
    const now = Date.now();
    const record = this.store.getInstance(taskHub, instanceId);
    const messages = this.store.readInbox(taskHub, instanceId, now);
    if (messages.length === 0) return undefined;
    if (!record || isTerminalStatus(record.status)) {
      // Nothing can run: late timers, results or events for a finished (or purged) instance are dropped.
      this.store.deleteMessages(messages.map((m) => m.id));
      return undefined;
    }
    const current = messages.filter((m) => !m.executionId || m.executionId === record.executionId);
    const stale = messages.filter((m) => m.executionId && m.executionId !== record.executionId).map((m) => m.id);
    if (current.length === 0) {
      this.store.deleteMessages(stale);
      return undefined;
    }
    const newEvents = current.map((m) => decode(m.event));
    const past = this.store.getHistory(taskHub, instanceId);
    if (past.length === 0 && !newEvents.some((e) => e.hasExecutionstarted())) return undefined; // not started yet
    const started = ev.orchestratorStarted(now);
    newEvents.unshift(started);
    const newEventBytes = [encode(started), ...current.map((m) => m.event)];
    const item = encodeOrchestratorWorkItem(instanceId, record.executionId, past, newEventBytes, token);
    return { item, context: { record, past, newEvents, newEventBytes, consumedIds: [...current.map((m) => m.id), ...stale] } };
  }

  private activityItem(activity: ActivityRecord, token: string): PbModule.WorkItem {
    const instance = new pb.OrchestrationInstance();
    instance.setInstanceid(activity.instanceId);
    instance.setExecutionid(stringValue(activity.executionId));
    const request = new pb.ActivityRequest();
    request.setName(activity.name);
    if (activity.version) request.setVersion(stringValue(activity.version));
    if (activity.input !== undefined) request.setInput(stringValue(activity.input));
    request.setOrchestrationinstance(instance);
    request.setTaskid(activity.taskId);
    if (activity.tags) for (const [k, v] of Object.entries(activity.tags)) request.getTagsMap().set(k, v);
    const item = new pb.WorkItem();
    item.setActivityrequest(request);
    item.setCompletiontoken(token);
    return item;
  }

  /**
   * Commits an orchestrator turn; resolves once it is durable.
   * @throws StaleCompletionError for a token that is not (or no longer) leased; StoreError if the commit failed
   * (the instance is then requeued and the turn will run again).
   */
  async completeOrchestratorTask(response: PbModule.OrchestratorResponse): Promise<void> {
    const token = response.getCompletiontoken();
    const lease = this.dispatcher.takeLease(token);
    if (!lease || lease.kind !== "orchestration") throw new StaleCompletionError(token);
    const { taskHub, instanceId, context } = lease;
    const now = Date.now();
    let plan: TurnCommitPlan;
    let outcome: TurnOutcome;
    try {
      outcome = this.runTurn(context, response, now);
      plan = buildTurnCommit({ taskHub, context, outcome, now, newExecutionId });
    } catch (error) {
      this.dispatcher.release(taskHub, instanceId, true);
      throw error;
    }
    let result: TurnCommitResult;
    try {
      result = await this.batcher.run(() => this.commitTurn(plan, outcome, now));
    } catch (error) {
      if (error instanceof StorageFullError) {
        this.dispatcher.release(taskHub, instanceId, false);
        setTimeout(() => this.dispatcher.messageAdded(taskHub, instanceId, Date.now()), FULL_RETRY_MS).unref();
      } else {
        this.dispatcher.release(taskHub, instanceId, true);
      }
      this.logger.error("hub: commit of a turn of %s failed: %s", instanceId, (error as Error).message);
      throw error instanceof StoreError ? error : new StoreError((error as Error).message, { cause: error });
    }
    // Unlock first, so that a timer already due is queued as due (not parked behind the lock as ordinary work). A
    // rejected sub-orchestration left a failure in this instance's inbox: it has more work.
    this.dispatcher.release(taskHub, instanceId, result.rejectedInstances.length > 0);
    for (const activity of result.activities) this.dispatcher.enqueueActivity(activity);
    for (const timer of plan.timers) this.dispatcher.messageAdded(taskHub, instanceId, timer.visibleAt, true);
    for (const m of plan.messages) this.dispatcher.messageAdded(m.taskHub, m.instanceId, m.visibleAt);
    for (const child of plan.commit.newInstances) this.dispatcher.messageAdded(taskHub, child.record.instanceId, now);
    this.notify(taskHub, instanceId);
  }

  /** The outcome of the worker's actions; a turn over a size limit fails the orchestration instead (limits.ts). */
  private runTurn(context: TurnContext, response: PbModule.OrchestratorResponse, now: number): TurnOutcome {
    const { record } = context;
    const historyBytes = [...context.past, ...context.newEventBytes].reduce((sum, e) => sum + e.byteLength, 0);
    const tooLarge = oversizedTurn(response, historyBytes, this.limits);
    if (tooLarge) {
      this.logger.warn("hub: failing %s: %s", record.instanceId, tooLarge);
      failTurn(response, tooLarge);
    }
    return applyTurn({
      instance: record,
      pastEvents: () => context.past.map(decode),
      newEvents: context.newEvents,
      actions: response.getActionsList(),
      customStatus: tooLarge ? record.customStatus : unwrap(response.getCustomstatus()),
      now,
      newExecutionId,
    });
  }

  /**
   * Writes a turn's commit (inside a batcher transaction). A sub-orchestration whose id a running instance holds is
   * not created: its parent gets a failure for it instead.
   */
  private commitTurn(plan: TurnCommitPlan, outcome: TurnOutcome, now: number): TurnCommitResult {
    const result = this.store.commitTurn(plan.commit);
    const { taskHub, instanceId, executionId } = plan.commit.instance;
    for (const rejected of result.rejectedInstances) {
      const sub = outcome.subOrchestrations.find((s) => s.instanceId === rejected.instanceId)!;
      this.store.addMessages([{ taskHub, instanceId, executionId, event: encode(subOrchestrationRejected(now, sub)), visibleAt: now }]);
    }
    return result;
  }

  /**
   * Records an activity's result (or failure) for its orchestration; resolves once durable.
   * @throws StaleCompletionError for a token that is not (or no longer) leased.
   */
  async completeActivityTask(response: PbModule.ActivityResponse): Promise<void> {
    const token = response.getCompletiontoken();
    const lease = this.dispatcher.takeLease(token);
    if (!lease || lease.kind !== "activity") throw new StaleCompletionError(token);
    const { activity } = lease;
    const now = Date.now();
    const result = unwrap(response.getResult());
    const tooLarge = overLimit(`The result of activity '${activity.name}'`, result, this.limits.eventBytes);
    const failure = tooLarge ? ev.failureDetails("PayloadTooLarge", tooLarge) : response.getFailuredetails();
    const event = failure ? ev.taskFailed(now, activity.taskId, failure) : ev.taskCompleted(now, activity.taskId, result);
    const message: NewMessage = {
      taskHub: activity.taskHub,
      instanceId: activity.instanceId,
      executionId: activity.executionId,
      event: encode(event),
      visibleAt: now,
    };
    let recorded: boolean;
    try {
      recorded = await this.batcher.run(() => this.store.completeActivity(activity.id, message));
    } catch (error) {
      if (error instanceof StorageFullError) setTimeout(() => this.dispatcher.enqueueActivity(activity, true), FULL_RETRY_MS).unref();
      else this.dispatcher.enqueueActivity(activity, true);
      throw error;
    }
    if (recorded) this.dispatcher.messageAdded(activity.taskHub, activity.instanceId, now);
  }

  // ---------------- waiters ----------------

  private notify(taskHub: string, instanceId: string): void {
    const key = keyOf(taskHub, instanceId);
    const set = this.waiters.get(key);
    if (!set || set.size === 0) return;
    const record = this.store.getInstance(taskHub, instanceId);
    for (const waiter of [...set]) {
      if (waiter.predicate(record)) {
        set.delete(waiter);
        waiter.resolve(record);
      }
    }
    if (set.size === 0) this.waiters.delete(key);
  }
}
