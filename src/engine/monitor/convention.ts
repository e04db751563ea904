/**
 * The monitor-status convention: the fields any orchestration (ours, or an app written after Microsoft's Durable Task
 * samples in Python, C#, JavaScript …) publishes for the dashboard to draw it as a monitor. One reader for all:
 * snake_case and camelCase names, numbers or `{ completed, total }` progress, ISO times. Pure; no SDK here.
 *
 * Custom status: job_id|jobId, status, check_count|checkCount|checks, last_check_time|lastCheckTime,
 *   progress_percent|progressPercent|progress, current_phase|phase, message|details, next_check_time|nextCheckTime,
 *   expiry_time|expiryTime|deadline, final_status|finalStatus (once finished, as the output's), and optionally
 *   accepted_events|acceptedEvents: { check_now, set_interval }.
 * Input: polling_interval_seconds|pollingIntervalSeconds|interval, timeout_seconds|timeoutSeconds, expiry_time|expiryTime.
 * Output: final_status|finalStatus (Completed, Failed, ConditionMet, Timeout), checks_performed|checksPerformed.
 */
import { parseDisplayStatus } from "../display-status.js";
import { EVENT_POLL_NOW, EVENT_SET_INTERVAL, isOwnMonitorOrchestration } from "./names.js";
import type { FinalStatus, MonitorOutput, MonitorStatus, RecentPoint } from "../types.js";

/** What the dashboard reads from a custom status: our own fields, every one optional (others publish fewer). */
export type MonitorView = Partial<Omit<MonitorStatus, "status" | "recent">> & {
  /** The job's status word as published ("Running", "Queued", "Completed" …). */
  status?: string;
  /** A phase name when the app publishes one ("copying", "Validating"). */
  phase?: string;
  /** Progress points, oldest first: published (ours) or seen by the dashboard at each refresh. */
  recent: RecentPoint[];
  /** Event names the orchestration accepts for "check now" and "set the interval" (ours always accepts them). */
  events?: AcceptedEvents;
};

interface AcceptedEvents {
  checkNow?: string;
  setInterval?: string;
}

/** What the dashboard reads from an output that follows the convention. */
export type OutputView = Partial<MonitorOutput>;

/** The schedule an input declares (seconds). */
export interface InputSchedule {
  jobId?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  /** An absolute deadline (ISO). */
  expiry?: string;
}

type Obj = Record<string, unknown>;
export const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function pick(o: Obj, names: readonly string[]): unknown {
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};
const positive = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
};
const time = (v: unknown): string | undefined => {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const ms = typeof v === "number" ? v : Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

/** A percent 0..100 from a number or `{ completed, total }` (also `{ current, total }`, `{ done, total }`). */
export function readProgress(v: unknown): number | undefined {
  if (isObject(v)) {
    const done = num(pick(v, ["completed", "current", "done", "count"]));
    const total = num(pick(v, ["total"]));
    if (done === undefined || total === undefined || total <= 0) return undefined;
    return clampPercent((done / total) * 100);
  }
  const n = num(v);
  return n === undefined ? undefined : clampPercent(n);
}

const clampPercent = (n: number) => Math.min(100, Math.max(0, n));

function readEvents(v: unknown): AcceptedEvents | undefined {
  if (!isObject(v)) return undefined;
  const checkNow = str(pick(v, ["check_now", "checkNow", "poll_now", "pollNow"]));
  const setInterval = str(pick(v, ["set_interval", "setInterval"]));
  return checkNow || setInterval ? { ...(checkNow ? { checkNow } : {}), ...(setInterval ? { setInterval } : {}) } : undefined;
}

const MONITOR_MARKERS = [
  "job_id", "jobId", "check_count", "checkCount", "checks", "last_check_time", "lastCheckTime",
  "progress_percent", "progressPercent", "progress", "next_check_time", "nextCheckTime", "nextCheckAt",
];

/**
 * The custom status as a monitor, when it follows the convention (an object with at least a job id, a check count,
 * a progress or a check time); undefined for anything else (the dashboard then shows it as one line of text).
 * Fields it does not know are kept as published (our own orchestration's extras reach the UI unchanged).
 */
export function readMonitorStatus(value: unknown): MonitorView | undefined {
  if (!isObject(value) || !MONITOR_MARKERS.some((k) => value[k] !== undefined && value[k] !== null)) return undefined;
  const view: MonitorView = { ...(value as Partial<MonitorView>), recent: [] };
  const set = <K extends keyof MonitorView>(key: K, v: MonitorView[K] | undefined) => {
    if (v === undefined) delete view[key];
    else view[key] = v;
  };
  set("jobId", str(pick(value, ["job_id", "jobId"])));
  set("status", str(pick(value, ["status"])));
  set("checkCount", num(pick(value, ["check_count", "checkCount", "checks"])));
  set("lastCheckTime", time(pick(value, ["last_check_time", "lastCheckTime"])));
  set("progress", readProgress(pick(value, ["progress_percent", "progressPercent", "progress"])));
  set("phase", str(pick(value, ["current_phase", "currentPhase", "phase"])));
  const message = pick(value, ["message", "details"]);
  set("message", typeof message === "string" ? message : message === undefined ? undefined : JSON.stringify(message));
  const next = pick(value, ["next_check_time", "nextCheckTime", "nextCheckAt"]);
  set("nextCheckAt", next === undefined ? (value.nextCheckAt === null ? null : undefined) : time(next));
  set("deadline", time(pick(value, ["expiry_time", "expiryTime", "deadline"])));
  set("intervalSeconds", positive(pick(value, ["polling_interval_seconds", "pollingIntervalSeconds", "intervalSeconds", "interval"])));
  set("events", readEvents(pick(value, ["accepted_events", "acceptedEvents"])));
  set("finalStatus", readFinalStatus(pick(value, ["final_status", "finalStatus"])));
  if (Array.isArray(value.recent)) view.recent = value.recent as RecentPoint[];
  for (const k of ["job_id", "check_count", "last_check_time", "progress_percent", "progressPercent", "current_phase", "currentPhase",
    "next_check_time", "nextCheckTime", "expiry_time", "expiryTime", "accepted_events", "acceptedEvents", "checks", "details", "final_status"]) {
    delete (view as Obj)[k];
  }
  return view;
}

/** The schedule an input declares (top level, or under `spec` as our own monitors keep it). */
export function readInputSchedule(value: unknown): InputSchedule {
  if (!isObject(value)) return {};
  const o = isObject(value.spec) ? value.spec : value;
  const out: InputSchedule = {};
  const jobId = str(pick(o, ["job_id", "jobId"]));
  const intervalSeconds = positive(pick(o, ["polling_interval_seconds", "pollingIntervalSeconds", "interval"]));
  const timeoutSeconds = positive(pick(o, ["timeout_seconds", "timeoutSeconds"]));
  const expiry = time(pick(o, ["expiry_time", "expiryTime"]));
  if (jobId) out.jobId = jobId;
  if (intervalSeconds) out.intervalSeconds = intervalSeconds;
  if (timeoutSeconds) out.timeoutSeconds = timeoutSeconds;
  if (expiry) out.expiry = expiry;
  return out;
}

/** True when the view lacks what only the input can tell: when the next check is, when the monitor gives up. */
export function needsInput(view: MonitorView): boolean {
  return view.deadline === undefined || (view.nextCheckAt === undefined && view.intervalSeconds === undefined);
}

/**
 * Fills what the custom status leaves out from the input's schedule: the interval, the deadline (created + timeout,
 * or the expiry) and the job id; then the next check as last check + interval when no next time is published.
 * Returns a new view.
 */
export function completeView(view: MonitorView, schedule: InputSchedule, createdAt: Date): MonitorView {
  const out: MonitorView = { ...view };
  out.jobId ??= schedule.jobId;
  out.intervalSeconds ??= schedule.intervalSeconds;
  if (out.deadline === undefined) {
    if (schedule.expiry) out.deadline = schedule.expiry;
    else if (schedule.timeoutSeconds) out.deadline = new Date(createdAt.getTime() + schedule.timeoutSeconds * 1000).toISOString();
  }
  if (out.nextCheckAt === undefined && out.intervalSeconds !== undefined) {
    const last = Date.parse(out.lastCheckTime ?? createdAt.toISOString());
    out.nextCheckAt = new Date(last + out.intervalSeconds * 1000).toISOString();
  }
  for (const k of Object.keys(out) as Array<keyof MonitorView>) if (out[k] === undefined) delete out[k];
  return out;
}

const FINAL_BY_DISPLAY = { Completed: "Completed", Met: "ConditionMet", Failed: "Failed", TimedOut: "Timeout" } as const;

/** The final status a word names (Completed, Failed, ConditionMet/Met, Timeout/TimedOut …), or undefined. */
function readFinalStatus(v: unknown): FinalStatus | undefined {
  const s = typeof v === "string" ? parseDisplayStatus(v) : undefined;
  return s && s in FINAL_BY_DISPLAY ? FINAL_BY_DISPLAY[s as keyof typeof FINAL_BY_DISPLAY] : undefined;
}

/** The output as a monitor's, when it has a final status or a check count; undefined otherwise. */
export function readMonitorOutput(value: unknown): OutputView | undefined {
  if (!isObject(value)) return undefined;
  const finalWord = pick(value, ["final_status", "finalStatus"]);
  const checks = num(pick(value, ["checks_performed", "checksPerformed"]));
  if (finalWord === undefined && checks === undefined) return undefined;
  const out: OutputView = { ...(value as OutputView) };
  for (const k of ["final_status", "checks_performed", "job_id", "monitoring_duration_seconds"]) delete (out as Obj)[k];
  const finalStatus = readFinalStatus(finalWord);
  if (finalStatus) out.finalStatus = finalStatus;
  else delete out.finalStatus;
  if (checks !== undefined) out.checksPerformed = checks;
  const jobId = str(pick(value, ["job_id", "jobId"]));
  if (jobId) out.jobId = jobId;
  const duration = num(pick(value, ["monitoring_duration_seconds", "monitoringDurationSeconds"]));
  if (duration !== undefined) out.monitoringDurationSeconds = duration;
  return out;
}

/** The custom status in one readable line when it is not a monitor's: a string as is, anything else as compact JSON. */
export function oneLine(value: unknown, text: string): string {
  if (typeof value === "string") return value.replace(/\s+/g, " ");
  return value === undefined ? text.replace(/\s+/g, " ") : JSON.stringify(value);
}

/**
 * The events an instance accepts for "check now" and "set the interval": ours always (by orchestrator name), any other
 * only when its custom status declares them (`accepted_events`). Empty when neither applies.
 */
export function controlEvents(s: { name: string; customStatus?: MonitorView }): AcceptedEvents {
  if (isOwnMonitorOrchestration(s.name)) return { checkNow: EVENT_POLL_NOW, setInterval: EVENT_SET_INTERVAL };
  return s.customStatus?.events ?? {};
}
