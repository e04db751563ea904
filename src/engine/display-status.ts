/**
 * The one display-status vocabulary: what the table, the header counts, the filters, `list --status`, the text
 * output and `--json` call an instance's state. The runtime status (Pending, Running, Completed …) says what the
 * orchestration is doing; the display status refines it with the monitor's own word (its last phase, its final
 * status): a monitor that completed because its job failed is Failed, one that hit its deadline is Timed out.
 * Pure and UI-free: the UI maps each colour role to a colour.
 */
import type { MonitorSnapshot, RuntimeStatus } from "./types.js";

export type DisplayStatus = "Pending" | "Queued" | "Running" | "Suspended" | "Completed" | "Met" | "Failed" | "TimedOut" | "Terminated";

/** What a status means to the eye; the UI theme picks the colour for each role. */
export type ColorRole = "waiting" | "active" | "paused" | "success" | "met" | "danger" | "expired" | "ended";

interface DisplayStatusInfo {
  status: DisplayStatus;
  /** One cell, so a row reads without colour. */
  symbol: string;
  /** The word shown next to the symbol. */
  word: string;
  role: ColorRole;
  /** Lower-case key for `list --status`, filters and `--json`. */
  key: string;
}

export const DISPLAY_STATUS_INFO: Readonly<Record<DisplayStatus, DisplayStatusInfo>> = {
  Pending: { status: "Pending", symbol: "○", word: "Pending", role: "waiting", key: "pending" },
  Queued: { status: "Queued", symbol: "…", word: "Queued", role: "waiting", key: "queued" },
  Running: { status: "Running", symbol: "▶", word: "Running", role: "active", key: "running" },
  Suspended: { status: "Suspended", symbol: "‖", word: "Suspended", role: "paused", key: "suspended" },
  Completed: { status: "Completed", symbol: "✓", word: "Completed", role: "success", key: "completed" },
  Met: { status: "Met", symbol: "★", word: "Met", role: "met", key: "met" },
  Failed: { status: "Failed", symbol: "✗", word: "Failed", role: "danger", key: "failed" },
  TimedOut: { status: "TimedOut", symbol: "◷", word: "Timed out", role: "expired", key: "timedout" },
  Terminated: { status: "Terminated", symbol: "■", word: "Terminated", role: "ended", key: "terminated" },
};

/** Every display status, in the order lists rank them (live ones first, alarming before quiet). */
export const DISPLAY_STATUSES: readonly DisplayStatus[] = [
  "Running",
  "Queued",
  "Pending",
  "Suspended",
  "Failed",
  "TimedOut",
  "Met",
  "Completed",
  "Terminated",
];

/** "✗ Failed": the symbol and the word, as the table and the text output show them. */
export function displayLabel(status: DisplayStatus): string {
  const info = DISPLAY_STATUS_INFO[status];
  return `${info.symbol} ${info.word}`;
}

const squash = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, "");

/** Words other tools (and our older output) use for the same states. */
const ALIASES: Record<string, DisplayStatus> = {
  conditionmet: "Met",
  timeout: "TimedOut",
  expired: "TimedOut",
  succeeded: "Completed",
  success: "Completed",
  done: "Completed",
  error: "Failed",
  failure: "Failed",
  canceled: "Terminated",
  cancelled: "Terminated",
  notstarted: "Queued",
  waiting: "Queued",
};

/**
 * The display status a word names: a key ("timedout"), a word ("Timed out"), any case, spaces/`-`/`_` ignored,
 * or a common synonym ("ConditionMet", "Timeout", "Succeeded", "Cancelled"). Undefined for anything else.
 */
export function parseDisplayStatus(text: string): DisplayStatus | undefined {
  const s = squash(text);
  if (!s) return undefined;
  for (const info of Object.values(DISPLAY_STATUS_INFO)) if (info.key === s || squash(info.word) === s) return info.status;
  return ALIASES[s];
}

/** What the monitor says about itself: its last phase (custom status) and, once done, its final status (output). */
interface MonitorWords {
  phase?: string;
  finalStatus?: string;
}

const ENDINGS: ReadonlySet<DisplayStatus> = new Set(["Completed", "Met", "Failed", "TimedOut", "Terminated"]);

/**
 * The one mapping (runtime status, monitor phase / final status) → display status.
 * - Pending, Suspended, Failed, Terminated runtimes are what they say.
 * - A running orchestration whose job is still queued (phase Queued, Pending, NotStarted …) is Queued; else Running.
 * - A completed orchestration is its final status (Completed, Failed, ConditionMet → Met, Timeout → Timed out),
 *   else the ending its last phase names, else Completed.
 */
export function toDisplayStatus(runtime: RuntimeStatus, words: MonitorWords = {}): DisplayStatus {
  switch (runtime) {
    case "Pending":
      return "Pending";
    case "Suspended":
      return "Suspended";
    case "Failed":
      return "Failed";
    case "Terminated":
      return "Terminated";
    case "Running":
    case "ContinuedAsNew": {
      const phase = words.phase === undefined ? undefined : parseDisplayStatus(words.phase);
      return phase === "Queued" || phase === "Pending" ? "Queued" : "Running";
    }
    case "Completed": {
      for (const word of [words.finalStatus, words.phase]) {
        const s = word === undefined ? undefined : parseDisplayStatus(word);
        if (s && ENDINGS.has(s)) return s;
      }
      return "Completed";
    }
  }
}

/** Still going (or waiting to): next-check and time-left apply, terminate and suspend too. */
export function isLiveStatus(status: DisplayStatus): boolean {
  return status === "Running" || status === "Queued" || status === "Pending" || status === "Suspended";
}

/**
 * The runtime statuses an instance can have to show as one of `statuses`: a query narrowed with them, then
 * filtered by display status, finds exactly the instances a display filter means.
 */
export function runtimeStatusesFor(statuses: readonly DisplayStatus[]): RuntimeStatus[] {
  const out = new Set<RuntimeStatus>();
  for (const s of statuses) {
    switch (s) {
      case "Pending":
      case "Suspended":
      case "Terminated":
        out.add(s);
        break;
      case "Queued":
      case "Running":
        out.add("Running").add("ContinuedAsNew");
        break;
      case "Completed":
      case "Met":
      case "TimedOut":
        out.add("Completed");
        break;
      case "Failed":
        out.add("Failed").add("Completed");
        break;
    }
  }
  return [...out];
}

/** An instance's display status, from its runtime status, its published phase and its final status. */
export function displayStatusOf(s: Pick<MonitorSnapshot, "runtimeStatus" | "customStatus" | "output">): DisplayStatus {
  return toDisplayStatus(s.runtimeStatus, { phase: s.customStatus?.status, finalStatus: s.output?.finalStatus ?? s.customStatus?.finalStatus });
}
