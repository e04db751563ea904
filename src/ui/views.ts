/**
 * Each view's actions, the way k9s declares a view's key actions: the commands it handles and, in the order the footer
 * lists them, the ones its footer hints at. The footer shows a hint only when `applies` says the command acts on the
 * current selection; the help overlay lists the whole keymap.
 */
import type { Command } from "./keys.js";
import type { Screen } from "./state/store.js";

/** The monitor actions, which also work on the details screen (on the instance shown). */
export const MONITOR_ACTIONS: readonly Command[] = [
  "monitor.terminate",
  "monitor.suspendResume",
  "monitor.pollNow",
  "monitor.setInterval",
  "monitor.raise",
  "monitor.purge",
  "monitor.restart",
];

/** The table's hints, most specific first (`? help · q quit` are pinned at the end by the footer). */
export const TABLE_HINTS: readonly Command[] = [
  "view.details",
  "monitor.new",
  "monitor.preset",
  ...MONITOR_ACTIONS,
  "list.mark",
  "list.filter",
  "list.statusFilter",
  "list.sort",
  "app.help",
  "app.quit",
];

/** Every key the table handles: its hints and the navigation keys, which the footer leaves to the help. */
export const TABLE_COMMANDS: readonly Command[] = [
  "nav.up",
  "nav.down",
  "nav.first",
  "nav.last",
  "nav.pageUp",
  "nav.pageDown",
  "view.back",
  ...TABLE_HINTS,
];

const SUBMIT_OR_CANCEL: readonly Command[] = ["form.submit", "form.cancel"];

/** The footer's hints on every other screen (their keys are handled by the screen's own panel). */
export function screenHints(screen: Exclude<Screen, { name: "table" }>): readonly Command[] {
  switch (screen.name) {
    case "details":
      return ["nav.up", "view.back", "app.quit"];
    case "help":
      return ["view.back", "app.quit"];
    case "form":
      // The kind picker has no fields to move between.
      return screen.kind ? ["form.next", "form.prev", ...SUBMIT_OR_CANCEL] : ["nav.up", ...SUBMIT_OR_CANCEL];
    case "presets":
      return ["nav.up", ...SUBMIT_OR_CANCEL];
    case "filter":
    case "confirmTerminate":
    case "confirmPurge":
    case "confirmRestart":
    case "setInterval":
    case "raiseEvent":
      return SUBMIT_OR_CANCEL;
  }
}
