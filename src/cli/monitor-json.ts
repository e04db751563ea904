/**
 * The `--json` shapes of the monitor commands. Stable: documented in the README; fields are only ever added.
 * Times are ISO-8601 strings; absent values are null (never missing keys).
 */
import { DISPLAY_STATUS_INFO, displayStatusOf } from "../engine/display-status.js";
import type { MonitorHistory, MonitorSnapshot } from "../engine/types.js";

export interface MonitorJson {
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
  /** The validated spec the monitor was started with (null when the input is not a monitor spec). */
  spec: MonitorSnapshot["spec"] | null;
  /** The last published custom status (progress, checkCount, nextCheckAt, recent ...). */
  customStatus: MonitorSnapshot["customStatus"] | null;
  /** The monitor's output once it finished (finalStatus, checksPerformed, ...). */
  output: MonitorSnapshot["output"] | null;
  /** Output text that is not a monitor output (e.g. a terminate reason). */
  rawOutput: string | null;
  failure: MonitorSnapshot["failure"] | null;
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
    jobId: s.spec?.jobId ?? s.customStatus?.jobId ?? null,
    kind: s.spec?.kind ?? s.customStatus?.kind ?? null,
    spec: s.spec ?? null,
    customStatus: s.customStatus ?? null,
    output: s.output ?? null,
    rawOutput: s.rawOutput ?? null,
    failure: s.failure ?? null,
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
