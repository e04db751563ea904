import { useWindowSize } from "ink";
import { MIN_COLUMNS, MIN_ROWS } from "../layout.js";

/** The terminal's size; re-renders on resize. `tooSmall` below the size the dashboard can be drawn in. */
export function useTerminalSize(): { columns: number; rows: number; tooSmall: boolean } {
  const { columns, rows } = useWindowSize();
  return { columns, rows, tooSmall: columns < MIN_COLUMNS || rows < MIN_ROWS };
}
