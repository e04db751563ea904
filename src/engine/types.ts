/**
 * The engine's domain types: what the UI and the CLI see. No protobuf or SDK types leave the engine.
 */
import type { MonitorKind, MonitorSpec, MonitorSpecInput } from "./monitor/spec.js";
import type { MonitorView, OutputView } from "./monitor/convention.js";

export type { MonitorKind, MonitorSpec, MonitorSpecInput, MonitorView, OutputView };

/** What one check saw. Returned by every check activity. */
export type CheckStatus = "Queued" | "Running" | "Completed" | "Failed" | "ConditionMet" | "Unknown";

export interface CheckResult {
  status: CheckStatus;
  /** 0..100; absent when the kind cannot tell (the UI then shows an indeterminate marker). */
  progress?: number;
  message?: string;
  /** The external system asked to be polled again after this many seconds (HTTP Retry-After). */
  retryAfterSeconds?: number;
  /**
   * The worker's policy refused the check (a host not in allowedHosts, a command the profile does not define): it can
   * never succeed on retry, so the monitor fails at once with this message instead of after maxConsecutiveFailures.
   */
  refused?: true;
}

/** One point of the sparkline carried in the custom status. */
export interface RecentPoint {
  /** ISO time of the check. */
  t: string;
  progress?: number;
  status: CheckStatus;
}

/** The monitor orchestration's custom status, published after every check. Times are ISO strings. */
export interface MonitorStatus {
  jobId: string;
  kind: MonitorKind;
  status: CheckStatus;
  progress?: number;
  message?: string;
  checkCount: number;
  lastCheckTime: string;
  /** When the monitor will check next (null once it is finishing). */
  nextCheckAt: string | null;
  deadline: string;
  intervalSeconds: number;
  consecutiveFailures: number;
  /** The last ~20 checks, oldest first. */
  recent: RecentPoint[];
  /** True once an alert was sent. */
  alerted?: boolean;
  /** The alert's outcome, once one was tried: sent, or failed with the reason. */
  alert?: AlertRecord;
  /** The monitor's limit of failed checks in a row (it fails at this many). */
  maxConsecutiveFailures?: number;
  /**
   * Once it has finished: how (the output's finalStatus). Lists read it here, so a finished monitor's row needs no
   * fetch of its output.
   */
  finalStatus?: FinalStatus;
}

/** What became of a monitor's alert: for which final status, and whether the webhook took it. */
export interface AlertRecord {
  outcome: "sent" | "failed";
  /** The final status it was for. */
  for: FinalStatus;
  /** Why it failed (the webhook's answer after the retries). */
  error?: string;
}

export type FinalStatus = "Completed" | "Failed" | "ConditionMet" | "Timeout";

/** The monitor orchestration's output. A deadline is an outcome ("Timeout"), not an error. */
export interface MonitorOutput {
  jobId: string;
  finalStatus: FinalStatus;
  checksPerformed: number;
  monitoringDurationSeconds: number;
  lastStatus: CheckResult;
  /** The alert's outcome, when one was tried. */
  alert?: AlertRecord;
}

/** The orchestration runtime status, as names rather than the SDK's enum numbers. */
export type RuntimeStatus = "Pending" | "Running" | "Suspended" | "Completed" | "Failed" | "Terminated" | "ContinuedAsNew";
export const RUNTIME_STATUSES: readonly RuntimeStatus[] = [
  "Pending",
  "Running",
  "Suspended",
  "Completed",
  "Failed",
  "Terminated",
  "ContinuedAsNew",
];
/** The runtime statuses an orchestration never leaves (its "terminal" states: purge applies, no next check). */
export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ["Completed", "Failed", "Terminated"];

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export interface FailureInfo {
  message: string;
  errorType?: string;
  stackTrace?: string;
}

/** One orchestration instance as the UI draws it. */
export interface MonitorSnapshot {
  instanceId: string;
  /** Orchestrator name (ours: see isOwnMonitorOrchestration; other names are shown but have no spec). */
  name: string;
  /** The parsed input when it is a monitor spec. */
  spec?: MonitorSpec;
  runtimeStatus: RuntimeStatus;
  /** The custom status read as a monitor's (the convention: ours, or any app's that follows it). */
  customStatus?: MonitorView;
  /** The custom status in one readable line when it is not a monitor's. */
  rawCustomStatus?: string;
  /** The custom status as published (parsed JSON), for any orchestration. */
  customStatusValue?: unknown;
  /** The parsed input, when known (small enough, and fetched: lists may run without payloads). */
  input?: unknown;
  /** The output read as a monitor's (final status, checks performed …). */
  output?: OutputView;
  /** Raw output when it is not a monitor's (e.g. a terminate reason). */
  rawOutput?: string;
  /** The output as published (parsed JSON), once the instance finished. */
  outputValue?: unknown;
  failure?: FailureInfo;
  createdAt: Date;
  updatedAt: Date;
}

export type ConnectionKind = "embedded" | "emulator" | "azure";

export interface ConnectionInfo {
  kind: ConnectionKind;
  /** The embedded hub's database path, or the endpoint URL. */
  location: string;
  taskHub: string;
  /** The address the SDK dials (host:port). */
  address: string;
  /**
   * An embedded profile's database served by a standalone `hub`: shared with other apps (and whoever holds its token),
   * so the checks' policy is that of a non-embedded connection.
   */
  sharedHub?: boolean;
  /** An `Authentication=None` endpoint reached with a hub token (`Token=`): our standalone `hub`, not the emulator. */
  localHub?: boolean;
}

export interface ConnectionStatus {
  state: "connecting" | "connected" | "disconnected";
  lastError?: string;
  /** When the engine will try again (while disconnected). */
  nextRetryAt?: Date;
}

export type WorkerState = "none" | "starting" | "running" | "stopped" | "error";

/** One change pushed by `Engine.watch`: only what changed since the previous event. */
export type WatchEvent =
  | { type: "snapshots"; upserted: MonitorSnapshot[]; removed: string[]; initial: boolean }
  | { type: "connection"; status: ConnectionStatus }
  | { type: "worker"; state: WorkerState; error?: string };

/**
 * Told each watch event. For the `initial` snapshots event it may return a promise that settles once those rows are
 * on screen: the watcher reads the rest of the first list only then (see Watcher), since on a hub in this process
 * that read would otherwise hold the thread before the rows are drawn.
 */
export type WatchListener = (event: WatchEvent) => void | Promise<void>;

/** Which instances a watcher or `list` wants. */
export interface InstanceFilter {
  statuses?: RuntimeStatus[];
  instanceIdPrefix?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

/** How much `list` fills in beyond what the query itself carries. */
export interface ListOptions {
  /**
   * Only what the table's columns show (`list` without --json): our monitors whose custom status tells their job, kind
   * and, once completed, final status get no fetch of their payloads, so their spec and output stay unknown.
   */
  tableOnly?: boolean;
}

export interface PurgeFilter {
  /** Terminal statuses only; defaults to all three. */
  statuses?: RuntimeStatus[];
  createdBefore?: Date;
}

/** One check of a monitor, read from its history (the details screen's timeline). */
export interface CheckRecord {
  time: Date;
  result: CheckResult;
  /** Seconds since the previous check in the same history (undefined for the first). */
  secondsSincePrevious?: number;
  /** How long the check activity took, scheduled → completed. */
  durationMs?: number;
  failed?: boolean;
}

/** One history event, flattened for display. */
export interface HistoryItem {
  eventId: number;
  type: string;
  timestamp: Date;
  name?: string;
  /** Short human text (input/result/reason, truncated). */
  detail?: string;
}

export interface MonitorHistory {
  events: HistoryItem[];
  checks: CheckRecord[];
}
