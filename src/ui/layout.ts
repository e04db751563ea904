/**
 * Pure screen geometry: which table columns fit a terminal width (least important dropped first),
 * and how many rows the table body gets.
 */

export type ColumnId = "job" | "target" | "status" | "progress" | "checks" | "last" | "next" | "timeLeft" | "spark";

interface ColumnSpec {
  id: ColumnId;
  title: string;
  /** Lower is more important: kept longest on narrow terminals. */
  importance: number;
  width: number;
  /** Flexible columns grow into spare width, up to this. */
  maxWidth?: number;
  align?: "left" | "right";
}

const COLUMNS: readonly ColumnSpec[] = [
  { id: "job", title: "JOB", importance: 0, width: 14, maxWidth: 36 },
  { id: "target", title: "KIND / TARGET", importance: 7, width: 18, maxWidth: 40 },
  { id: "status", title: "STATUS", importance: 1, width: 12 },
  { id: "progress", title: "PROGRESS", importance: 2, width: 15 },
  { id: "checks", title: "CHECKS", importance: 3, width: 8, align: "right" },
  { id: "last", title: "LAST", importance: 6, width: 10 },
  { id: "next", title: "NEXT", importance: 4, width: 8 },
  { id: "timeLeft", title: "TIME LEFT", importance: 5, width: 12 },
  { id: "spark", title: "RECENT", importance: 8, width: 11 },
];
// The minimum widths add up to 116 with the gaps: every column, RECENT included, fits a 120-column terminal.

/** The cursor, mark and alert cells at the start of every row. */
export const GUTTER_WIDTH = 4;
export const COLUMN_GAP = 1;

export interface PlacedColumn extends ColumnSpec {
  /** The width actually given. */
  size: number;
}

/** The columns that fit `totalWidth`, in display order, with flexible ones widened into the spare space. */
export function layoutColumns(totalWidth: number): PlacedColumn[] {
  const budget = totalWidth - GUTTER_WIDTH;
  const byImportance = [...COLUMNS].sort((a, b) => a.importance - b.importance);
  const chosen = new Set<ColumnId>();
  let used = 0;
  for (const col of byImportance) {
    const cost = col.width + (chosen.size ? COLUMN_GAP : 0);
    if (used + cost > budget) {
      // Always keep the two most important columns, shrunk if need be.
      if (col.importance <= 1) {
        chosen.add(col.id);
        used += cost;
      }
      continue;
    }
    chosen.add(col.id);
    used += cost;
  }
  const placed: PlacedColumn[] = COLUMNS.filter((c) => chosen.has(c.id)).map((c) => ({ ...c, size: c.width }));
  let spare = budget - used;
  if (spare < 0) {
    const job = placed.find((c) => c.id === "job")!;
    job.size = Math.max(4, job.size + spare);
    spare = 0;
  }
  const flex = placed.filter((c) => c.maxWidth !== undefined);
  while (spare > 0 && flex.some((c) => c.size < c.maxWidth!)) {
    for (const c of flex) {
      if (spare > 0 && c.size < c.maxWidth!) {
        c.size++;
        spare--;
      }
    }
  }
  return placed;
}

/** The smallest terminal the dashboard draws in; below it, a "too small" screen. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 12;

/** Lines the header, the column titles and the footer take; the table body gets the rest. */
export const HEADER_LINES = 2;
const TABLE_TITLE_LINES = 1;
export const FOOTER_LINES = 2;

export function tableBodyHeight(terminalRows: number): number {
  return Math.max(1, terminalRows - HEADER_LINES - TABLE_TITLE_LINES - FOOTER_LINES - 1);
}
