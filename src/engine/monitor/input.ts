/**
 * The monitor orchestration's input: the validated spec, plus what a continued-as-new execution carries over.
 */
import type { MonitorDefaults } from "../profile.js";
import { UsageError } from "../../errors.js";
import type { AlertRecord, CheckResult, RecentPoint } from "../types.js";
import { formatSpecIssues, minIntervalSeconds, validateMonitorSpec, type MonitorSpec, type MonitorSpecInput } from "./spec.js";
import { CHECKS_PER_EXECUTION, LEGACY_CHECKS_PER_EXECUTION, MAX_CHECKS_PER_EXECUTION } from "./names.js";

/**
 * What continue-as-new keeps from one execution to the next. Absent on the first execution.
 * Times are ISO strings (JSON round-trip).
 */
export interface MonitorCarry {
  /** When the monitor first started (the first execution's clock): the simulated job and the duration count from it. */
  startedAt: string;
  /** The original deadline: it never moves. */
  deadline: string;
  /** Checks performed so far, across executions. */
  checkCount: number;
  consecutiveFailures: number;
  /** The wait before the next check (already grown by backoff, or set by `set-interval`). */
  intervalSeconds: number;
  /** The last points of the sparkline, oldest first. */
  recent: RecentPoint[];
  /** True once the alert was sent. */
  alerted: boolean;
  /** The alert's outcome, once one was tried. */
  alert?: AlertRecord;
  /** How many executions came before this one. */
  executions: number;
  /** The last check's result. */
  lastResult?: CheckResult;
  /** `http` only: the URL polling moved to (the started job's URL, or a 202's Location). */
  pollUrl?: string;
  /** `http` with `startUrl` only: what the one start recorded; present means the job is never POSTed again. */
  startedJob?: StartedJob;
}

/** The recorded answer of an `http` monitor's start. */
interface StartedJob {
  jobId?: string;
  pollUrl: string;
  retryAfterSeconds?: number;
}

/** The orchestration input `Engine.start` schedules. */
interface MonitorInput {
  spec: MonitorSpec;
  carry?: MonitorCarry;
  /** The instance this one was restarted from (`restart` with a new id); kept across continue-as-new. */
  restartedFrom?: string;
  /**
   * How many checks an execution makes before it continues as new, as the monitor was started with (kept across
   * continue-as-new). Absent in inputs of earlier builds: LEGACY_CHECKS_PER_EXECUTION, the number they ran with.
   */
  checksPerExecution?: number;
}

/** The number an input names when it is a whole number from 1 to MAX_CHECKS_PER_EXECUTION; otherwise undefined. */
function validChecksPerExecution(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_CHECKS_PER_EXECUTION ? (value as number) : undefined;
}

/** The checks per execution an input names: its own, or what earlier builds used (their inputs name none). */
export function checksPerExecutionOf(input: Pick<MonitorInput, "checksPerExecution">): number {
  return input.checksPerExecution ?? LEGACY_CHECKS_PER_EXECUTION;
}

/**
 * A fresh job id for a spec without one: `<kind>-<6 hex>`. A label, not a secret: Math.random, so that `list` and
 * `status`, which load this module, do not load node:crypto (~10 ms at start-up).
 */
export function generateJobId(kind: string): string {
  return `${kind}-${Math.floor(Math.random() * 0x1000000)
    .toString(16)
    .padStart(6, "0")}`;
}

/**
 * Applies the profile's defaults under the user's spec, validates it and fills `jobId` when absent.
 * Promises a spec with every default applied. Throws UsageError naming each bad field (e.g.
 * "target.url: url is required; pollingIntervalSeconds: ...") before anything is scheduled.
 */
export function prepareMonitorInput(specInput: MonitorSpecInput, defaults?: MonitorDefaults): MonitorInput {
  const merged: Record<string, unknown> = {};
  if (defaults) {
    for (const key of ["kind", "pollingIntervalSeconds", "timeoutSeconds", "maxConsecutiveFailures", "alert"] as const) {
      if (defaults[key] !== undefined) merged[key] = defaults[key];
    }
  }
  for (const [key, value] of Object.entries(specInput ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  // A default timeout shorter than the user's interval would be refused for a field the user never typed: stretch it.
  if (
    specInput?.timeoutSeconds === undefined &&
    typeof merged.timeoutSeconds === "number" &&
    typeof merged.pollingIntervalSeconds === "number" &&
    merged.timeoutSeconds < merged.pollingIntervalSeconds
  ) {
    merged.timeoutSeconds = merged.pollingIntervalSeconds;
  }
  const result = validateMonitorSpec(merged);
  if (!result.ok) throw new UsageError(`Invalid monitor spec: ${formatSpecIssues(result.issues)}`);
  const spec = { ...result.spec, jobId: result.spec.jobId ?? generateJobId(result.spec.kind) } as MonitorSpec;
  return { spec, checksPerExecution: CHECKS_PER_EXECUTION };
}

/**
 * Reads an orchestration input as the orchestrator receives it: `{ spec, carry? }`, or a bare spec (a monitor scheduled
 * by another tool). Validates the spec (defaults applied; a missing jobId becomes `<kind>-<instanceId prefix>` so
 * replays agree). Throws Error naming the bad fields: the orchestration then fails with that message.
 */
export function readMonitorInput(raw: unknown, instanceId: string): MonitorInput {
  const parsed = typeof raw === "string" ? safeJson(raw) : raw;
  if (!parsed || typeof parsed !== "object") throw new Error("The monitor's input is not a monitor spec");
  const obj = parsed as Record<string, unknown>;
  const specRaw = "spec" in obj && obj.spec && typeof obj.spec === "object" ? obj.spec : obj;
  const result = validateMonitorSpec(raiseLegacyIntervals(specRaw as Record<string, unknown>));
  if (!result.ok) throw new Error(`Invalid monitor spec: ${formatSpecIssues(result.issues)}`);
  const spec = { ...result.spec, jobId: result.spec.jobId ?? `${result.spec.kind}-${instanceId.slice(0, 8) || "job"}` } as MonitorSpec;
  const carry = specRaw !== obj && obj.carry && typeof obj.carry === "object" ? (obj.carry as MonitorCarry) : undefined;
  const restartedFrom = specRaw !== obj ? restartedFromOf(obj) : undefined;
  const checksPerExecution = specRaw !== obj ? validChecksPerExecution(obj.checksPerExecution) : undefined;
  return { spec, ...(carry ? { carry } : {}), ...(restartedFrom ? { restartedFrom } : {}), ...(checksPerExecution ? { checksPerExecution } : {}) };
}

/** The instance a monitor's input says it was restarted from (the parsed input), if any. */
export function restartedFromOf(input: unknown): string | undefined {
  const from = input && typeof input === "object" ? (input as { restartedFrom?: unknown }).restartedFrom : undefined;
  return typeof from === "string" && from ? from : undefined;
}

/**
 * The spec inside an instance's serialized input (what the dashboard and `status` show), or undefined when the
 * input is absent or is not a valid monitor spec. Never throws.
 */
export function parseMonitorInput(raw: string | undefined): MonitorSpec | undefined {
  if (raw === undefined || raw === "") return undefined;
  try {
    return readMonitorInput(raw, "").spec;
  } catch {
    return undefined;
  }
}

/**
 * A monitor stored before the minimum interval existed keeps running, at the minimum: its interval (and backoff cap)
 * below the minimum are raised instead of failing the orchestration on its next replay.
 */
function raiseLegacyIntervals(spec: Record<string, unknown>): Record<string, unknown> {
  const min = minIntervalSeconds();
  const raise = (v: unknown) => (typeof v === "number" && v > 0 && v < min ? min : v);
  const out: Record<string, unknown> = { ...spec, pollingIntervalSeconds: raise(spec.pollingIntervalSeconds) };
  if (out.pollingIntervalSeconds === undefined) delete out.pollingIntervalSeconds;
  const backoff = spec.backoff;
  if (backoff && typeof backoff === "object") {
    out.backoff = { ...backoff, maxIntervalSeconds: raise((backoff as Record<string, unknown>).maxIntervalSeconds) };
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The input to start a monitor over again from an instance's serialized input: its spec without the carry, so a
 * restart gets a fresh start time, deadline and counters. (After continue-as-new the stored input holds the carry
 * with the old deadline; restarting with it would end at once with Timeout.) Undefined when it is not a monitor.
 */
export function freshMonitorInput(raw: string | undefined, restartedFrom?: string): MonitorInput | undefined {
  const spec = parseMonitorInput(raw);
  if (!spec) return undefined;
  return { spec, ...(restartedFrom ? { restartedFrom } : {}), checksPerExecution: CHECKS_PER_EXECUTION };
}
