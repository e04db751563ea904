/**
 * "What applies to this selection": the one answer the footer's hints and the key handlers' guards both use, so a key
 * the footer offers is a key that acts, and a key it leaves out says why when pressed. Pure: no store, no rendering.
 */
import { controlEvents } from "../engine/monitor/convention.js";
import type { MonitorSnapshot } from "../engine/types.js";
import { jobLabel } from "./format.js";
import { KEYMAP, describeCommand, keyLabel, keysLabel, type Command } from "./keys.js";
import { selectSelected } from "./state/selectors.js";
import { displayStatus, isActive, isTerminal } from "./state/status.js";
import type { DashboardState } from "./state/store.js";

/** What a monitor command would act on. */
export interface Selection {
  /** The row under the cursor (or the instance the details screen shows). */
  selected: MonitorSnapshot | undefined;
  /** The marked rows that still exist (never any on the details screen). */
  marked: readonly MonitorSnapshot[];
  readonly: boolean;
}

/** The selection in the dashboard's state: the table's (selected and marked rows), or with `detailsOf` that instance. */
export function selectionOf(state: DashboardState, readonly: boolean, detailsOf?: string): Selection {
  if (detailsOf !== undefined) return { selected: state.monitors.get(detailsOf), marked: [], readonly };
  const marked = [...state.marked].flatMap((id) => state.monitors.get(id) ?? []);
  return { selected: selectSelected(state), marked, readonly };
}

/** Either the instance ids the command acts on (none for commands that need no monitor), or why it does nothing. */
type Verdict = { ok: true; ids: string[] } | { ok: false; reason: string };

/** Why one monitor is not something the command acts on, or undefined when it is. */
type Eligibility = (m: MonitorSnapshot) => string | undefined;

const checkable = (m: MonitorSnapshot) => ["Running", "Queued", "Pending"].includes(displayStatus(m));

/** The monitor commands: which monitors each acts on; the batch ones say what to do when none of the targets fits. */
const ELIGIBLE: Partial<Record<Command, { eligible: Eligibility; noneFits?: string }>> = {
  "view.details": { eligible: () => undefined },
  "list.mark": { eligible: () => undefined },
  "monitor.restart": { eligible: () => undefined },
  "monitor.terminate": {
    eligible: (m) => (isActive(displayStatus(m)) ? undefined : "finished"),
    noneFits: "Nothing to terminate: only running, pending or suspended monitors can be",
  },
  "monitor.suspendResume": {
    eligible: (m) => (isActive(displayStatus(m)) ? undefined : "finished"),
    noneFits: "Nothing to suspend or resume: the monitor has finished",
  },
  "monitor.purge": {
    eligible: (m) => (isTerminal(m) ? undefined : "not finished"),
    noneFits: "Only finished monitors (completed, failed, terminated) can be purged",
  },
  "monitor.pollNow": {
    eligible: (m) => {
      if (!controlEvents(m).checkNow) return `${jobLabel(m)} (${m.name}) declares no check-now event: raise one with ${keyLabel("monitor.raise")}`;
      return checkable(m) ? undefined : `${jobLabel(m)} is not running`;
    },
  },
  "monitor.setInterval": {
    eligible: (m) => {
      if (!controlEvents(m).setInterval) return `${jobLabel(m)} (${m.name}) declares no set-interval event: raise one with ${keyLabel("monitor.raise")}`;
      return isActive(displayStatus(m)) ? undefined : `${jobLabel(m)} has finished`;
    },
  },
  "monitor.raise": {
    eligible: (m) => (isActive(displayStatus(m)) ? undefined : `${jobLabel(m)} has finished: events reach only running, pending or suspended instances`),
  },
};

/**
 * Whether `command` does something for this selection, and on which instances. A `batch` command acts on every
 * marked row it fits (else the selected one); any other monitor command on the selected row only. Read-only refuses
 * every command that `mutates`.
 */
export function applies(command: Command, selection: Selection): Verdict {
  const spec = KEYMAP[command];
  if (selection.readonly && spec.mutates) {
    return { ok: false, reason: `Read-only: ${keysLabel(command)} (${describeCommand(command)}) is disabled — started with --readonly` };
  }
  const rule = ELIGIBLE[command];
  if (!rule) return { ok: true, ids: [] };
  const targets = spec.batch && selection.marked.length ? selection.marked : selection.selected ? [selection.selected] : [];
  if (!targets.length) return { ok: false, reason: "No monitor selected" };
  const ids = targets.filter((m) => rule.eligible(m) === undefined).map((m) => m.instanceId);
  if (ids.length) return { ok: true, ids };
  return { ok: false, reason: rule.noneFits ?? rule.eligible(targets[0]!)! };
}

/** The commands of `commands` that apply to this selection, in the order given. */
export function applicable<C extends Command>(commands: readonly C[], selection: Selection): C[] {
  return commands.filter((c) => applies(c, selection).ok);
}
