import React from "react";
import { Box, Text } from "ink";
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
      return ["form.next", "form.prev", "form.submit", "form.cancel"];
    case "presets":
      return ["nav.up", "form.submit", "form.cancel"];
    case "filter":
    case "confirmTerminate":
    case "confirmPurge":
    case "setInterval":
    case "raiseEvent":
      return ["form.submit", "form.cancel"];
  }
}

function label(c: Command): string {
  if (c === "nav.up") return "↑↓ scroll";
  return `${keyLabels(c)[0]} ${SHORT[c] ?? KEYMAP[c].description}`;
}

/** Line 1: the keys that apply now. Line 2: the last action's result or error. */
export function Footer() {
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
        {cmds.map(label).join(" · ")}
        {readonly ? " · read-only" : ""}
      </Text>
      <Text wrap="truncate-end" color={color ? resultColor : undefined}>
        {result ? `${result.kind === "error" ? "✗" : result.kind === "ok" ? "✓" : "•"} ${result.text}` : " "}
      </Text>
    </Box>
  );
}
