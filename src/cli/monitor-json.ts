/**
 * The `--json` shapes of the monitor commands. Stable: documented in the README; fields are only ever added.
 * Times are ISO-8601 strings; absent values are null (never missing keys).
 */
import { DISPLAY_STATUS_INFO, displayStatusOf } from "../engine/display-status.js";
import type { MonitorHistory, MonitorSnapshot } from "../engine/types.js";
import { restartedFromOf } from "../engine/monitor/input.js";

interface MonitorJson {
  instanceId: string;
  name: string;
  /** The display status's key (pending, queued, running, suspended, completed, met, failed, timedout, terminated). */
  status: string;
  /** Its word, as the table shows it ("Timed out"). */
  statusText: string;
  /** The orchestration's own runtime status, beside it. */
  runtimeStatus: string;
  createdAt: string;
  updatedAt: string;
  jobId: string | null;
  kind: string | null;
  /** The validated spec the monitor was started with (null when the input is not one of our monitor specs). */
  spec: MonitorSnapshot["spec"] | null;
  /**
   * The monitor as the dashboard reads it by the convention, for any orchestration that follows it (ours included):
   * job id, status word, phase, progress, checks, last/next check, deadline, interval, final status. Null otherwise.
   */
  monitor: MonitorViewJson | null;
  /** The custom status as published (parsed JSON; a plain string stays a string). */
  customStatus: unknown;
  /** The input as started (parsed JSON), when known. */
  input: unknown;
  /** The output as published (parsed JSON), once finished. */
  output: unknown;
  /** The output as text when it is not a monitor's (e.g. a terminate reason). */
  rawOutput: string | null;
  failure: MonitorSnapshot["failure"] | null;
  /** The instance this monitor was restarted from (`restart`), when its input says so. */
  restartedFrom: string | null;
}

interface MonitorViewJson {
  jobId: string | null;
  status: string | null;
  phase: string | null;
  progress: number | null;
  message: string | null;
  checkCount: number | null;
  lastCheckTime: string | null;
  nextCheckAt: string | null;
  deadline: string | null;
  intervalSeconds: number | null;
  finalStatus: string | null;
}

function monitorView(s: MonitorSnapshot): MonitorViewJson | null {
  const c = s.customStatus;
  const o = s.output;
  if (!c && !o) return null;
  return {
    jobId: c?.jobId ?? o?.jobId ?? null,
    status: c?.status ?? null,
    phase: c?.phase ?? null,
    progress: c?.progress ?? null,
    message: c?.message ?? null,
    checkCount: o?.checksPerformed ?? c?.checkCount ?? null,
    lastCheckTime: c?.lastCheckTime ?? null,
    nextCheckAt: c?.nextCheckAt ?? null,
    deadline: c?.deadline ?? null,
    intervalSeconds: c?.intervalSeconds ?? null,
    // The custom status may name it while the monitor is still sending its alert: only a completed one has ended so.
    finalStatus: o?.finalStatus ?? (s.runtimeStatus === "Completed" ? c?.finalStatus : undefined) ?? null,
  };
}

export function monitorJson(s: MonitorSnapshot): MonitorJson {
  const status = DISPLAY_STATUS_INFO[displayStatusOf(s)];
  return {
    instanceId: s.instanceId,
    name: s.name,
    status: status.key,
    statusText: status.word,
    runtimeStatus: s.runtimeStatus,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    jobId: s.spec?.jobId ?? s.customStatus?.jobId ?? s.output?.jobId ?? null,
    kind: s.spec?.kind ?? s.customStatus?.kind ?? null,
    spec: s.spec ?? null,
    monitor: monitorView(s),
    customStatus: s.customStatusValue ?? s.rawCustomStatus ?? null,
    input: s.input ?? null,
    output: s.outputValue ?? null,
    rawOutput: s.rawOutput ?? null,
    failure: s.failure ?? null,
    restartedFrom: restartedFromOf(s.input) ?? null,
  };
}

export function historyJson(h: MonitorHistory) {
  return {
    checks: h.checks.map((c) => ({
      time: c.time.toISOString(),
      status: c.result.status,
      progress: c.result.progress ?? null,
      message: c.result.message ?? null,
      durationMs: c.durationMs ?? null,
      secondsSincePrevious: c.secondsSincePrevious ?? null,
      failed: c.failed ?? false,
    })),
    events: h.events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      timestamp: e.timestamp.toISOString(),
      name: e.name ?? null,
      detail: e.detail ?? null,
    })),
  };
}
