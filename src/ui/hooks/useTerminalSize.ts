import { useWindowSize } from "ink";

/** The terminal's size; re-renders on resize. Never smaller than a usable minimum. */
export function useTerminalSize(): { columns: number; rows: number } {
  const { columns, rows } = useWindowSize();
  return { columns: Math.max(40, columns), rows: Math.max(10, rows) };
}
