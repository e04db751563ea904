/** Plain-text renderings of monitors for the headless commands (no colour: output may be piped). */
import { isTerminal, type MonitorHistory, type MonitorSnapshot, type OutputView } from "../engine/types.js";
import { alertText } from "../engine/alert-text.js";
import { formatColumns } from "./output.js";
import { formatAgo } from "../engine/time-text.js";
import { restartedFromOf } from "../engine/monitor/input.js";
import { displayLabel, displayStatusOf } from "../engine/display-status.js";
import { isOwnMonitorOrchestration } from "../engine/monitor/names.js";

function progressText(s: MonitorSnapshot): string {
  const p = s.customStatus?.progress;
  return typeof p === "number" ? `${Math.round(p)}%` : "-";
}

/** "DurableMonitorTui.Monitor (http)": our monitors with their kind, from the spec or (a list without payloads) the custom status. */
function nameText(s: MonitorSnapshot): string {
  const kind = s.spec?.kind ?? (isOwnMonitorOrchestration(s.name) ? s.customStatus?.kind : undefined);
  return kind ? `${s.name} (${kind})` : s.name;
}

export function monitorTable(list: MonitorSnapshot[], now = Date.now()): Promise<string> {
  const rows = [["INSTANCE", "STATUS", "NAME", "JOB", "PROGRESS", "CHECKS", "UPDATED"]];
  for (const s of list) {
    rows.push([
      s.instanceId,
      displayLabel(displayStatusOf(s)),
      nameText(s),
      s.spec?.jobId ?? s.customStatus?.jobId ?? s.output?.jobId ?? "-",
      progressText(s),
      String(s.output?.checksPerformed ?? s.customStatus?.checkCount ?? "-"),
      formatAgo(s.updatedAt.getTime(), now, 1),
    ]);
  }
  return formatColumns(rows);
}

/** "Completed after 4 checks in 16s — message", from whatever the output tells. */
export function outcomeText(o: OutputView): string {
  const after = o.checksPerformed !== undefined ? ` after ${o.checksPerformed} checks` : "";
  const took = o.monitoringDurationSeconds !== undefined ? ` in ${Math.round(o.monitoringDurationSeconds)}s` : "";
  return `${o.finalStatus ?? "finished"}${after}${took}${o.lastStatus?.message ? ` — ${o.lastStatus.message}` : ""}`;
}

export function monitorDetails(s: MonitorSnapshot, now = Date.now()): string {
  const lines: Array<[string, string]> = [
    ["Instance", s.instanceId],
    ["Orchestration", s.name],
    ["Status", `${displayLabel(displayStatusOf(s))} (runtime ${s.runtimeStatus})`],
  ];
  if (s.spec) {
    lines.push(["Job", `${s.spec.jobId} (${s.spec.kind})`]);
    lines.push(["Target", JSON.stringify(s.spec.target)]);
    lines.push(["Interval", `${s.spec.pollingIntervalSeconds}s, timeout ${s.spec.timeoutSeconds}s`]);
  }
  const c = s.customStatus;
  if (c) {
    if (!s.spec && c.jobId) lines.push(["Job", c.jobId]);
    const last = [c.status ?? "-", typeof c.progress === "number" ? `${Math.round(c.progress)}%` : "", c.phase ? `(${c.phase})` : "", c.message ? `— ${c.message}` : ""];
    lines.push(["Last check", `${last.filter(Boolean).join(" ")}${c.lastCheckTime ? ` at ${c.lastCheckTime}` : ""}`]);
    const limit = c.maxConsecutiveFailures ?? s.spec?.maxConsecutiveFailures;
    const failures = c.consecutiveFailures !== undefined ? ` (consecutive failures ${c.consecutiveFailures}${limit ? `/${limit}` : ""})` : "";
    lines.push(["Checks", `${c.checkCount ?? s.output?.checksPerformed ?? "-"}${failures}`]);
    if (!s.spec && c.intervalSeconds) lines.push(["Interval", `${c.intervalSeconds}s`]);
    if (s.runtimeStatus === "Suspended") lines.push(["Next check", "paused (suspended: resume ID)"]);
    else if (c.nextCheckAt && !isTerminal(s.runtimeStatus)) lines.push(["Next check", c.nextCheckAt]);
    if (c.deadline) lines.push(["Deadline", c.deadline]);
  } else if (s.rawCustomStatus) {
    lines.push(["Custom status", s.rawCustomStatus]);
  }
  if (s.output) {
    lines.push(["Outcome", outcomeText(s.output)]);
  } else if (s.rawOutput) {
    lines.push(["Output", s.rawOutput]);
  }
  const alert = c?.alert ?? s.output?.alert;
  if (alert || s.spec?.alert?.webhookUrl) lines.push(["Alert", alertText(alert, true)]);
  if (s.failure) lines.push(["Failure", `${s.failure.errorType ? `${s.failure.errorType}: ` : ""}${s.failure.message}`]);
  const restartedFrom = restartedFromOf(s.input);
  if (restartedFrom) lines.push(["Restarted from", restartedFrom]);
  lines.push(["Created", `${s.createdAt.toISOString()} (${formatAgo(s.createdAt.getTime(), now, 1)})`]);
  lines.push(["Updated", `${s.updatedAt.toISOString()} (${formatAgo(s.updatedAt.getTime(), now, 1)})`]);
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${(k + ":").padEnd(width + 1)} ${v}`).join("\n");
}

export async function historyText(h: MonitorHistory): Promise<string> {
  const out: string[] = [];
  if (h.checks.length > 0) {
    out.push("Checks:");
    const rows = [["TIME", "STATUS", "PROGRESS", "TOOK", "MESSAGE"]];
    for (const c of h.checks) {
      rows.push([
        c.time.toISOString(),
        c.failed ? `${c.result.status} (failed)` : c.result.status,
        typeof c.result.progress === "number" ? `${Math.round(c.result.progress)}%` : "-",
        c.durationMs !== undefined ? `${c.durationMs}ms` : "-",
        c.result.message ?? "",
      ]);
    }
    out.push(await formatColumns(rows), "");
  }
  out.push("Events:");
  const rows = [["#", "TIME", "TYPE", "NAME", "DETAIL"]];
  for (const e of h.events) rows.push([e.eventId >= 0 ? String(e.eventId) : "", e.timestamp.toISOString(), e.type, e.name ?? "", e.detail ?? ""]);
  out.push(await formatColumns(rows));
  return out.join("\n");
}
