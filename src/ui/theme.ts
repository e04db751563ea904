/**
 * How statuses look: a symbol and a word (so the screen reads without colour) plus a colour from the 16-colour palette.
 * With NO_COLOR the components pass no colour at all.
 */
import type { DisplayStatus } from "./state/status.js";

/** One of the 16 basic terminal colours (what Ink/chalk accept by name). */
export type BasicColor = "red" | "green" | "yellow" | "blue" | "magenta" | "cyan" | "white" | "gray";

export interface StatusStyle {
  symbol: string;
  label: string;
  color: BasicColor;
}

export const STATUS_STYLES: Record<DisplayStatus, StatusStyle> = {
  Running: { symbol: "▶", label: "Running", color: "cyan" },
  Pending: { symbol: "○", label: "Pending", color: "blue" },
  Suspended: { symbol: "‖", label: "Suspended", color: "yellow" },
  Completed: { symbol: "✓", label: "Completed", color: "green" },
  ConditionMet: { symbol: "★", label: "Met", color: "green" },
  Failed: { symbol: "✗", label: "Failed", color: "red" },
  TimedOut: { symbol: "◷", label: "Timed out", color: "magenta" },
  Terminated: { symbol: "■", label: "Terminated", color: "gray" },
};

/** True unless NO_COLOR is set to anything non-empty (https://no-color.org). */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR;
}
