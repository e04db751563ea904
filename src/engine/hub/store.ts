/**
 * The hub's persistence contract. A Store keeps, per task hub: instances (one row each, with the latest custom
 * status), their history (serialized HistoryEvent messages, in order), an inbox of events waiting for the next turn
 * (each with the time it becomes visible: durable timers are inbox rows with a future visible time), and the
 * activity work not yet completed. Events are opaque bytes here: the store knows nothing about protobuf.
 *
 * Every method is synchronous and atomic. `transaction(fn)` groups several calls into one commit (the dispatcher
 * uses it to commit many completed turns at once); nothing is acknowledged to a worker before its commit returns.
 * Methods throw the named errors below for the documented cases, and `StoreError` for anything else.
 */
import type { ChangePage, ChangeQuery } from "./change-log.js";

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The database is open in another process (it holds SQLite's exclusive lock): one hub per database file. */
export class DatabaseLockedError extends StoreError {
  constructor(readonly path: string) {
    super(`The hub database ${path} is in use by another process (a running 'hub', dashboard or worker holds its lock)`);
  }
}

/**
 * A write found no room: the database's disk is full, or the database reached the hub's size limit. Nothing of the
 * failed transaction was kept; the same write succeeds once there is room again.
 */
export class StorageFullError extends StoreError {
  constructor(
    readonly path: string,
    /** Where the room ran out, e.g. "its disk has 0 B free". */
    readonly detail: string,
  ) {
    super(`The hub database ${path} is full (${detail})`);
  }
}

/** createInstance: an instance with that id exists and is not in a terminal state. */
export class InstanceExistsError extends StoreError {
  constructor(readonly taskHub: string, readonly instanceId: string) {
    super(`An orchestration with instance id '${instanceId}' already exists and is still running (task hub '${taskHub}').`);
  }
}

/** The named instance does not exist. */
export class InstanceNotFoundError extends StoreError {
  constructor(readonly taskHub: string, readonly instanceId: string) {
    super(`No orchestration instance '${instanceId}' in task hub '${taskHub}'.`);
  }
}

/** queryInstances: the continuation token is not one the store issued (malformed, or from another version). */
export class InvalidContinuationTokenError extends StoreError {
  constructor(readonly token: string) {
    super(`Invalid continuation token '${token}'.`);
  }
}

/** The store was used after close(). */
export class StoreClosedError extends StoreError {
  constructor() {
    super("The hub store is closed.");
  }
}

export interface ParentRecord {
  instanceId: string;
  executionId?: string;
  name?: string;
  taskId: number;
}

export interface InstanceRecord {
  taskHub: string;
  instanceId: string;
  executionId: string;
  name: string;
  version?: string;
  /** OrchestrationStatus value of the protocol. */
  status: number;
  input?: string;
  output?: string;
  customStatus?: string;
  /** Serialized TaskFailureDetails. */
  failure?: Uint8Array;
  createdAt: number;
  lastUpdatedAt: number;
  completedAt?: number;
  scheduledStartAt?: number;
  parent?: ParentRecord;
  tags?: Record<string, string>;
}

export interface NewMessage {
  taskHub: string;
  instanceId: string;
  /** When set, the message belongs to that execution only and is dropped if the instance has moved on. */
  executionId?: string;
  event: Uint8Array;
  visibleAt: number;
  /**
   * True for a message whose visible time was in the future when it was added (a durable timer, a scheduled
   * start): only those are reported by instancesBecomingVisible and nextVisibleAfter.
   */
  delayed?: boolean;
}

export interface InboxMessage extends NewMessage {
  id: number;
}

export interface NewActivity {
  taskHub: string;
  instanceId: string;
  executionId: string;
  taskId: number;
  name: string;
  version?: string;
  input?: string;
  tags?: Record<string, string>;
}

export interface ActivityRecord extends NewActivity {
  id: number;
}

export interface InstanceKey {
  taskHub: string;
  instanceId: string;
}

/** Everything one completed orchestrator turn changes, committed atomically. */
export interface TurnCommit {
  /** The instance's new state: its execution id, status, payloads and times are written (other columns never change). */
  instance: InstanceRecord;
  /** Delete the history first (continue-as-new). */
  resetHistory: boolean;
  /** Sequence number of the first appended event (the current history length, or 0 after a reset). */
  historyStartSeq: number;
  appendHistory: Uint8Array[];
  consumedMessageIds: number[];
  messages: NewMessage[];
  activities: NewActivity[];
  /** Sub-orchestrations to create; ones whose id is taken by a running instance are returned, not created. */
  newInstances: Array<{ record: InstanceRecord; startMessages: NewMessage[] }>;
}

export interface TurnCommitResult {
  activities: ActivityRecord[];
  /** Sub-orchestrations that could not be created because the id is taken by a running instance. */
  rejectedInstances: InstanceKey[];
}

export interface InstanceQuery {
  taskHub: string;
  statuses?: number[];
  createdFrom?: number;
  createdTo?: number;
  instanceIdPrefix?: string;
  pageSize: number;
  continuationToken?: string;
  withPayloads: boolean;
}

export interface InstancePage {
  instances: InstanceRecord[];
  /** Present when more rows may follow. */
  continuationToken?: string;
}

export interface InstanceIdQuery {
  taskHub: string;
  statuses?: number[];
  completedFrom?: number;
  completedTo?: number;
  pageSize: number;
  lastInstanceKey?: string;
}

export interface PurgeFilter {
  taskHub: string;
  statuses?: number[];
  createdFrom?: number;
  createdTo?: number;
  recursive?: boolean;
}

export interface Store {
  /**
   * Creates (or replaces a terminal) instance with its first inbox messages.
   * @throws InstanceExistsError when a non-terminal instance holds the id.
   */
  createInstance(record: InstanceRecord, startMessages: NewMessage[]): void;
  /** The instance row; payload columns (input, output, custom status, failure) only when withPayloads (default true). */
  getInstance(taskHub: string, instanceId: string, withPayloads?: boolean): InstanceRecord | undefined;
  /** The serialized history of the current execution, in order. */
  getHistory(taskHub: string, instanceId: string): Uint8Array[];
  /** Whether an instance of that orchestration name has one of these statuses (one indexed read, no payloads). */
  hasInstanceNamed(taskHub: string, name: string, statuses: readonly number[]): boolean;
  /** How many events the current execution's history holds (without reading them). */
  historyLength(taskHub: string, instanceId: string): number;
  /** Whether the instance has an inbox message visible at `now` (without reading them). */
  hasVisibleInbox(taskHub: string, instanceId: string, now: number): boolean;
  /** Inbox messages of the instance visible at `now`, oldest first. */
  readInbox(taskHub: string, instanceId: string, now: number): InboxMessage[];
  /** Appends messages to inboxes (any instance). Returns their ids. */
  addMessages(messages: NewMessage[]): number[];
  deleteMessages(ids: number[]): void;
  /** Sets the runtime status (suspend/resume) and lastUpdatedAt. @throws InstanceNotFoundError */
  setStatus(taskHub: string, instanceId: string, status: number, now: number): void;
  commitTurn(commit: TurnCommit): TurnCommitResult;
  /**
   * Deletes the activity row and adds the message reporting its result, atomically.
   * Returns false (and changes nothing) when the activity is no longer there.
   */
  completeActivity(activityId: number, result: NewMessage | undefined): boolean;
  /** All activity work not yet completed (recovery after restart). */
  listActivities(): ActivityRecord[];
  /** Instances with a message visible at `now`. */
  readyInstances(now: number): InstanceKey[];
  /** Instances with a delayed message whose visible time is in (after, upTo]. */
  instancesBecomingVisible(after: number, upTo: number): InstanceKey[];
  /** The earliest visible time of a delayed message strictly after `after`, if any. */
  nextVisibleAfter(after: number): number | undefined;
  /** One page of instances: one SQL query, no history reads. @throws InvalidContinuationTokenError */
  queryInstances(query: InstanceQuery): InstancePage;
  listInstanceIds(query: InstanceIdQuery): { instanceIds: string[]; lastInstanceKey?: string };
  /** The instances created, changed or deleted since a watch cursor, in change order (see change-log.ts). */
  instancesChangedSince(query: Omit<ChangeQuery, "maxBytes">): ChangePage;
  /**
   * Deletes a terminal instance with its history, inbox and activities; with `recursive`, also its terminal
   * sub-orchestrations, at any depth. Returns the ids deleted (none if absent or not terminal).
   */
  purgeInstance(taskHub: string, instanceId: string, recursive?: boolean): string[];
  /** Deletes every terminal instance matching the filter (and, with `recursive`, their terminal sub-orchestrations). Returns the ids deleted. */
  purgeInstances(filter: PurgeFilter): string[];
  /**
   * Runs fn in one transaction. Nested calls join the outer transaction (no savepoints): when a nested call throws,
   * the outer transaction must be rolled back (let the error propagate). Rolls back if fn throws.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/**
 * Completed, Failed, Terminated as the protocol's OrchestrationStatus numbers. The hub keeps its own list (not the
 * engine's TERMINAL_STATUSES) because it stores and compares the wire enum; the engine's list is the same three states
 * in its RuntimeStatus words.
 */
export const TERMINAL_STATUSES = [1, 3, 5] as const;

export function isTerminalStatus(status: number): boolean {
  return (TERMINAL_STATUSES as readonly number[]).includes(status);
}
