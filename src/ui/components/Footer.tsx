import React from "react";
import { Box, Text } from "ink";
import stringWidth from "string-width";
import { useDashboard, useSettings } from "../context.js";
import { KEYMAP, keyLabels, type Command } from "../keys.js";
import { selectSelected } from "../state/selectors.js";
import { displayStatus, isActive, isTerminal } from "../state/status.js";
import type { Screen } from "../state/store.js";
import type { MonitorSnapshot } from "../../engine/types.js";
import { controlEvents } from "../../engine/monitor/convention.js";

/** Short footer words (the help shows the full descriptions). */
const SHORT: Partial<Record<Command, string>> = {
  "view.details": "details",
  "view.back": "back",
  "monitor.new": "new",
  "monitor.preset": "preset",
  "monitor.terminate": "terminate",
  "monitor.suspendResume": "suspend",
  "monitor.pollNow": "check now",
  "monitor.setInterval": "interval",
  "monitor.purge": "purge",
  "monitor.restart": "restart",
  "monitor.raise": "event",
  "list.filter": "filter",
  "list.statusFilter": "status",
  "list.sort": "sort",
  "list.mark": "mark",
  "app.help": "help",
  "app.quit": "quit",
  "form.next": "next field",
  "form.prev": "prev field",
  "form.submit": "launch",
  "form.cancel": "cancel",
};

/** The commands that do something right now, in the order the footer lists them. */
export function applicableCommands(screen: Screen, selected: MonitorSnapshot | undefined, readonly: boolean, markedCount: number): Command[] {
  const allowed = (c: Command) => !(readonly && (KEYMAP[c] as { mutates?: boolean }).mutates);
  switch (screen.name) {
    case "table": {
      const cmds: Command[] = ["monitor.new", "monitor.preset"];
      if (selected) {
        cmds.unshift("view.details");
        const status = displayStatus(selected);
        if (isActive(status) || markedCount) cmds.push("monitor.terminate", "monitor.suspendResume");
        const events = controlEvents(selected);
        if (status === "Running" || status === "Queued" || status === "Pending") {
          if (events.checkNow) cmds.push("monitor.pollNow");
          if (events.setInterval) cmds.push("monitor.setInterval");
        }
        if (isActive(status)) cmds.push("monitor.raise");
        if (isTerminal(selected) || markedCount) cmds.push("monitor.purge");
        cmds.push("monitor.restart", "list.mark");
      }
      cmds.push("list.filter", "list.statusFilter", "list.sort", "app.help", "app.quit");
      return cmds.filter(allowed);
    }
    case "details":
      return ["nav.up", "view.back", "app.quit"];
    case "help":
      return ["view.back", "app.quit"];
    case "form":
      // The kind picker has no fields to move between.
      return screen.kind ? ["form.next", "form.prev", "form.submit", "form.cancel"] : ["nav.up", "form.submit", "form.cancel"];
    case "presets":
      return ["nav.up", "form.submit", "form.cancel"];
    case "filter":
    case "confirmTerminate":
    case "confirmPurge":
    case "confirmRestart":
    case "setInterval":
    case "raiseEvent":
      return ["form.submit", "form.cancel"];
  }
}

export function footerLabel(c: Command): string {
  if (c === "nav.up") return "↑↓ scroll";
  return `${keyLabels(c)[0]} ${SHORT[c] ?? KEYMAP[c].description}`;
}

const SEPARATOR = " · ";
/** Always shown when they apply: every other key is in the help, and the user must always be able to leave. */
const PINNED: readonly Command[] = ["app.help", "app.quit"];

/**
 * The hints line at `width` columns: `? help · q quit` always stays; the other hints are kept in the order they come
 * (most specific first) while they fit, and the ones that do not are dropped whole, never cut mid-word.
 */
export function footerHints(cmds: readonly Command[], width: number, notes: readonly string[] = []): string {
  const tail = [...cmds.filter((c) => PINNED.includes(c)).map(footerLabel), ...notes].join(SEPARATOR);
  let budget = width - stringWidth(tail) - (tail ? stringWidth(SEPARATOR) : 0);
  const kept: string[] = [];
  for (const c of cmds) {
    if (PINNED.includes(c)) continue;
    const text = footerLabel(c);
    const cost = stringWidth(text) + (kept.length ? stringWidth(SEPARATOR) : 0);
    if (cost > budget) break;
    kept.push(text);
    budget -= cost;
  }
  return [...kept, ...(tail ? [tail] : [])].join(SEPARATOR);
}

/** A message that fits `width` as it is, or its words that fit and a pointer to the full text in `?`. */
export function footerMessage(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  const more = " … (? shows all)";
  const words = text.split(" ");
  let out = "";
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (stringWidth(next) + stringWidth(more) > width) break;
    out = next;
  }
  return `${out}${more}`;
}

export function resultLine(result: { kind: string; text: string }): string {
  return `${result.kind === "error" ? "✗" : result.kind === "ok" ? "✓" : "•"} ${result.text}`;
}

/** Line 1: the keys that apply now. Line 2: the last action's result or error. */
export function Footer({ width }: { width: number }) {
  const { readonly, color } = useSettings();
  const screen = useDashboard((s) => s.screen);
  const selected = useDashboard(selectSelected);
  const markedCount = useDashboard((s) => s.marked.size);
  const result = useDashboard((s) => s.lastResult);
  const cmds = applicableCommands(screen, selected, readonly, markedCount);
  const resultColor = result?.kind === "error" ? "red" : result?.kind === "ok" ? "green" : undefined;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" dimColor>
        {footerHints(cmds, width, readonly ? ["read-only"] : [])}
      </Text>
      <Text wrap="truncate-end" color={color ? resultColor : undefined}>
        {result ? footerMessage(resultLine(result), width) : " "}
      </Text>
    </Box>
  );
}
