import { safeText } from "../../secrets.js";
import React, { useEffect, useState } from "react";
import { Box, Text } from "ink";
import { useCommands } from "../keypress.js";
import { errorMessage } from "../../errors.js";
import type { MonitorHistory, MonitorSnapshot } from "../../engine/types.js";
import { useDashboard, useDispatch, useEngine, useSettings } from "../context.js";
import { alertText } from "../../engine/alert-text.js";
import { restartedFromOf } from "../../engine/monitor/input.js";
import { failureCount, fit, formatAgo, formatDuration, formatIn, jobLabel } from "../format.js";
import { displayStatus, isTerminal } from "../state/status.js";
import { STATUS_STYLES, type BasicColor } from "../theme.js";
import { useScroll } from "../hooks/useScroll.js";

interface Line {
  text: string;
  heading?: boolean;
  color?: BasicColor;
}

/** HH:MM:SS in local time. */
function clock(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

function time(iso: string | Date | null | undefined, now: number): string {
  if (!iso) return "—";
  const d = typeof iso === "string" ? new Date(iso) : iso;
  const rel = d.getTime() <= now ? formatAgo(d.getTime(), now) : formatIn(d.getTime(), now);
  return `${clock(d)} (${rel})`;
}

/** A finished run's deadline is history: said against when it ended, so it no longer counts down with the clock. */
function deadlineText(iso: string, m: MonitorSnapshot, now: number): string {
  if (!isTerminal(m)) return time(iso, now);
  const d = new Date(iso);
  const ended = m.updatedAt.getTime();
  const gap = formatDuration(Math.abs(d.getTime() - ended) / 1000);
  return `${clock(d)} (${d.getTime() > ended ? `not reached: ended ${gap} before it` : `passed ${gap} before it ended`})`;
}

function wrapText(text: string, width: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, width)) out.push(chars.slice(i, i + Math.max(1, width)).join(""));
  return out;
}

function pretty(value: unknown, width: number): Line[] {
  // The input may carry header values, URL secrets and webhook paths: shown masked, like `status` shows them.
  const text = safeText(typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return text.split("\n").flatMap((l) => wrapText(l, width - 2)).map((l) => ({ text: `  ${l}` }));
}

/** Everything the details screen shows, as lines (it scrolls through them): one section after another. */
export function detailLines(m: MonitorSnapshot, history: MonitorHistory | undefined, historyError: string | undefined, now: number, width: number): Line[] {
  return [
    ...headerLines(m, now),
    ...monitorLines(m, now),
    ...outputLines(m, width),
    ...checkLines(history),
    ...customStatusLines(m, width),
    ...historyLines(history, historyError, width),
    ...inputLines(m, width),
  ];
}

const section = (title: string): Line[] => [{ text: "" }, { text: title, heading: true }];

function headerLines(m: MonitorSnapshot, now: number): Line[] {
  const style = STATUS_STYLES[displayStatus(m)];
  const lines: Line[] = [
    { text: `${jobLabel(m)}  ${style.symbol} ${style.label}`, heading: true, color: style.color },
    { text: `instance ${m.instanceId} · orchestration ${m.name} · runtime ${m.runtimeStatus}` },
    { text: `created ${time(m.createdAt, now)} · updated ${time(m.updatedAt, now)}` },
  ];
  const restartedFrom = restartedFromOf(m.input);
  if (restartedFrom) lines.push({ text: `restarted from ${restartedFrom} (that run is kept)` });
  return lines;
}

/** The monitor's own fields, read from its custom status (none for an orchestration that publishes none). */
function monitorLines(m: MonitorSnapshot, now: number): Line[] {
  const cs = m.customStatus;
  if (!cs) return [];
  const fields: Array<[string, string | undefined]> = [
    ["status", cs.status],
    ["phase", cs.phase],
    ["progress", cs.progress === undefined ? "— (no progress reported)" : `${Math.round(cs.progress * 10) / 10}%`],
    ["message", cs.message],
    ["checks", cs.checkCount === undefined ? undefined : String(cs.checkCount)],
    ["last check", cs.lastCheckTime && time(cs.lastCheckTime, now)],
    ["next check", m.runtimeStatus === "Suspended" ? "paused (suspended)" : cs.nextCheckAt && !isTerminal(m) ? time(cs.nextCheckAt, now) : undefined],
    ["deadline", cs.deadline && deadlineText(cs.deadline, m, now)],
    ["interval", cs.intervalSeconds === undefined ? undefined : `${cs.intervalSeconds}s`],
    [
      "consecutive failures",
      cs.consecutiveFailures === undefined ? undefined : (failureCount(m) ?? `0${cs.maxConsecutiveFailures ? `/${cs.maxConsecutiveFailures}` : ""}`),
    ],
    ["alert", !m.spec && cs.alert === undefined && cs.alerted === undefined ? undefined : alertText(cs.alert, m.spec?.alert?.webhookUrl !== undefined || cs.alerted === true)],
  ];
  return [...section("Monitor"), ...fields.map(([k, v]) => ({ text: `  ${k.padEnd(22)}${v ?? "—"}` }))];
}

function outputLines(m: MonitorSnapshot, width: number): Line[] {
  const lines = section(m.failure ? "Failure" : "Output");
  if (m.failure) {
    const failure = m.failure;
    lines.push({ text: `  ${failure.errorType ? `${failure.errorType}: ` : ""}${failure.message}`, color: "red" });
    const stack = (failure.stackTrace ?? "").split("\n").filter((l) => l.trim() && !l.includes(failure.message));
    for (const l of stack) lines.push({ text: `  ${fit(l, width - 2)}` });
  } else if (m.outputValue !== undefined) {
    lines.push(...pretty(m.outputValue, width));
  } else if (m.rawOutput) {
    lines.push({ text: `  ${fit(m.rawOutput, width - 2)}` });
  } else {
    lines.push({ text: isTerminal(m) ? "  (none)" : "  (still running)" });
  }
  return lines;
}

/** One line per check, read from the history (none until the history is loaded). */
function checkLines(history: MonitorHistory | undefined): Line[] {
  if (!history?.checks.length) return [];
  const lines = section("Checks (from the history)");
  lines.push({ text: `  ${"time".padEnd(10)} ${"status".padEnd(13)} ${"progress".padStart(8)} ${"since prev".padStart(10)} ${"took".padStart(8)}  message` });
  for (const c of history.checks) {
    const st = c.failed ? "check failed" : c.result.status;
    lines.push({
      text:
        `  ${clock(c.time).padEnd(10)} ${st.padEnd(13)} ${(c.result.progress === undefined ? "—" : `${c.result.progress}%`).padStart(8)} ` +
        `${(c.secondsSincePrevious === undefined ? "—" : formatDuration(c.secondsSincePrevious)).padStart(10)} ` +
        `${(c.durationMs === undefined ? "—" : `${c.durationMs}ms`).padStart(8)}  ${c.result.message ?? ""}`,
      color: c.failed || c.result.status === "Failed" ? "red" : undefined,
    });
  }
  return lines;
}

function customStatusLines(m: MonitorSnapshot, width: number): Line[] {
  const lines = section("Custom status");
  if (m.customStatusValue !== undefined) lines.push(...pretty(m.customStatusValue, width));
  else if (m.rawCustomStatus) lines.push({ text: `  ${fit(m.rawCustomStatus, width - 2)}` });
  else lines.push({ text: "  (none published yet)" });
  return lines;
}

function historyLines(history: MonitorHistory | undefined, historyError: string | undefined, width: number): Line[] {
  const lines = section("History");
  if (historyError) lines.push({ text: `  could not read the history: ${historyError}`, color: "red" });
  else if (!history) lines.push({ text: "  loading…" });
  else if (history.events.length === 0) lines.push({ text: "  (no events)" });
  else {
    for (const e of history.events) {
      const id = e.eventId >= 0 ? `#${e.eventId}` : "";
      lines.push({
        text: fit(`  ${clock(e.timestamp)} ${id.padStart(4)} ${e.type}${e.name ? ` ${e.name}` : ""}${e.detail ? `  ${safeText(e.detail)}` : ""}`, width),
        color: /Failed/.test(e.type) ? "red" : undefined,
      });
    }
  }
  return lines;
}

function inputLines(m: MonitorSnapshot, width: number): Line[] {
  const lines = section("Input");
  if (m.input !== undefined) lines.push(...pretty(m.input, width));
  else if (m.spec) lines.push(...pretty(m.spec, width));
  else lines.push({ text: "  (not known: none, or too large to keep)" });
  return lines;
}

/** The store's snapshot, with the payloads read for the details where the snapshot has none. */
function withPayloads(m: MonitorSnapshot, p: Pick<MonitorSnapshot, "input" | "outputValue" | "rawOutput">): MonitorSnapshot {
  return { ...m, input: m.input ?? p.input, outputValue: m.outputValue ?? p.outputValue, rawOutput: m.rawOutput ?? p.rawOutput };
}

/**
 * Details of one monitor: every custom-status field, the input, the output or failure, and the timeline of checks
 * read from the history (re-read when the instance changes). ↑/↓ scroll; Esc goes back.
 */
export function Details({ instanceId, isActive, width, height }: { instanceId: string; isActive: boolean; width: number; height: number }) {
  const { color } = useSettings();
  const engine = useEngine();
  const dispatch = useDispatch();
  const monitor = useDashboard((s) => s.monitors.get(instanceId));
  const now = useDashboard((s) => s.now);
  const [history, setHistory] = useState<MonitorHistory>();
  const [historyError, setHistoryError] = useState<string>();
  const [payloads, setPayloads] = useState<Pick<MonitorSnapshot, "input" | "outputValue" | "rawOutput">>();
  const updatedAt = monitor?.updatedAt.getTime();

  // The table's query carries no payloads: the input and output of this one instance are read when its details open,
  // and again when its runtime status changes (an output appears when it ends), not at every custom-status update.
  const runtimeStatus = monitor?.runtimeStatus;
  useEffect(() => {
    if (!engine) return;
    let cancelled = false;
    engine.get(instanceId).then(
      (full) => {
        if (!cancelled && full) setPayloads({ input: full.input, outputValue: full.outputValue, rawOutput: full.rawOutput });
      },
      () => {
        // Shown as not known; the history's own error says whether the hub is reachable.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [engine, instanceId, runtimeStatus]);

  useEffect(() => {
    if (!engine) return;
    let cancelled = false;
    engine.history(instanceId).then(
      (h) => {
        if (!cancelled) {
          setHistory(h);
          setHistoryError(undefined);
        }
      },
      (error: unknown) => {
        if (!cancelled) setHistoryError(errorMessage(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [engine, instanceId, updatedAt]);

  const withData = monitor && payloads ? withPayloads(monitor, payloads) : monitor;
  const lines = withData ? detailLines(withData, history, historyError, now, width - 4) : [{ text: "This monitor is gone (purged).", heading: true }];
  const bodyHeight = Math.max(1, height - 2);
  const maxScroll = Math.max(0, lines.length - bodyHeight);

  const [scroll, scrollBy] = useScroll(maxScroll, bodyHeight);
  useCommands(
    ["view.back", "nav.up", "nav.down", "nav.pageUp", "nav.pageDown", "nav.first", "nav.last"],
    (command) => {
      if (command === "view.back") dispatch({ type: "close" });
      else scrollBy(command);
    },
    { isActive },
  );

  const shown = lines.slice(scroll, scroll + bodyHeight);
  return (
    <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
      {shown.map((l, i) => (
        <Text key={i} bold={l.heading} color={color ? l.color : undefined} wrap="truncate-end">
          {l.text || " "}
        </Text>
      ))}
    </Box>
  );
}
