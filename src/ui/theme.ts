/**
 * How statuses look: the symbol and word come from the engine's display-status vocabulary (so the screen reads
 * without colour); the theme gives each colour role one of the 16 basic colours. With NO_COLOR the components
 * pass no colour at all.
 */
import { DISPLAY_STATUS_INFO, type ColorRole, type DisplayStatus } from "../engine/display-status.js";

/** One of the 16 basic terminal colours (what Ink/chalk accept by name). */
export type BasicColor = "red" | "green" | "yellow" | "blue" | "magenta" | "cyan" | "white" | "gray";

const ROLE_COLORS: Readonly<Record<ColorRole, BasicColor>> = {
  waiting: "blue",
  active: "cyan",
  paused: "yellow",
  success: "green",
  met: "green",
  danger: "red",
  expired: "magenta",
  ended: "gray",
};

interface StatusStyle {
  symbol: string;
  label: string;
  color: BasicColor;
}

export const STATUS_STYLES = Object.fromEntries(
  Object.values(DISPLAY_STATUS_INFO).map((i) => [i.status, { symbol: i.symbol, label: i.word, color: ROLE_COLORS[i.role] }]),
) as Readonly<Record<DisplayStatus, StatusStyle>>;

/** True unless NO_COLOR is set to anything non-empty (https://no-color.org). */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR;
}
