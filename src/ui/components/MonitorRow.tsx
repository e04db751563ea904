import React, { memo } from "react";
import { Text } from "ink";
import type { MonitorSnapshot } from "../../engine/types.js";
import { bar, failureCount, fit, formatAgo, formatDuration, formatIn, indeterminateBar, jobLabel, sparkline, targetSummary } from "../format.js";
import { COLUMN_GAP, type ColumnId, type PlacedColumn } from "../layout.js";
import { displayStatus, isActive, type DisplayStatus } from "../state/status.js";
import { styledText, type TextStyle } from "../styled-text.js";
import { STATUS_STYLES, type BasicColor } from "../theme.js";

interface Cell {
  text: string;
  color?: BasicColor;
  dim?: boolean;
}

const DASH: Cell = { text: "—", dim: true };

function progressCell(m: MonitorSnapshot, status: DisplayStatus, size: number, now: number): Cell {
  const barWidth = Math.max(1, size - 5);
  const p = m.customStatus?.progress;
  if (p !== undefined) {
    return { text: `${bar(p / 100, barWidth)} ${`${Math.round(p)}%`.padStart(4)}`, color: STATUS_STYLES[status].color };
  }
  if (!m.customStatus && m.rawCustomStatus) return { text: m.rawCustomStatus, dim: true };
  if (isActive(status)) return { text: `${indeterminateBar(barWidth, Math.floor(now / 1000))}    `, dim: status === "Suspended" };
  return DASH;
}

function timeLeftCell(m: MonitorSnapshot, status: DisplayStatus, size: number, now: number): Cell {
  if (!isActive(status)) return DASH;
  const deadline = m.customStatus?.deadline ? Date.parse(m.customStatus.deadline) : m.spec ? m.createdAt.getTime() + m.spec.timeoutSeconds * 1000 : NaN;
  if (!Number.isFinite(deadline)) return DASH;
  const total = Math.max(1, deadline - m.createdAt.getTime());
  const left = Math.max(0, deadline - now);
  const fraction = left / total;
  const label = formatDuration(left / 1000);
  const barWidth = Math.max(0, size - 8);
  const color: BasicColor = fraction < 0.15 ? "red" : fraction < 0.4 ? "yellow" : "green";
  return { text: `${barWidth ? bar(fraction, barWidth) + " " : ""}${label}`, color };
}

function cellFor(id: ColumnId, m: MonitorSnapshot, status: DisplayStatus, size: number, now: number, tag?: string): Cell {
  const cs = m.customStatus;
  switch (id) {
    case "job":
      // The tag stays visible: the job id is cut first.
      return { text: tag ? `${fit(jobLabel(m), Math.max(1, size - tag.length - 1))} ${tag}` : jobLabel(m) };
    case "target":
      return { text: targetSummary(m), dim: true };
    case "status": {
      const style = STATUS_STYLES[status];
      return { text: `${style.symbol} ${style.label}`, color: style.color };
    }
    case "progress":
      return progressCell(m, status, size, now);
    case "checks": {
      const n = m.output?.checksPerformed ?? cs?.checkCount;
      if (n === undefined) return DASH;
      const failing = failureCount(m);
      if (!failing) return { text: String(n) };
      const both = `${n} ${failing}`;
      return { text: [...both].length <= size ? both : failing, color: "red" };
    }
    case "last":
      return cs?.lastCheckTime ? { text: formatAgo(Date.parse(cs.lastCheckTime), now) } : DASH;
    case "next":
      if (status === "Suspended") return { text: "paused", dim: true };
      return isActive(status) && cs?.nextCheckAt ? { text: formatIn(Date.parse(cs.nextCheckAt), now) } : DASH;
    case "timeLeft":
      return timeLeftCell(m, status, size, now);
    case "spark":
      return cs?.recent?.length ? { text: sparkline(cs.recent, size), color: "cyan" } : DASH;
  }
}

export interface MonitorRowProps {
  monitor: MonitorSnapshot;
  columns: PlacedColumn[];
  now: number;
  selected: boolean;
  marked: boolean;
  highlighted: boolean;
  color: boolean;
  /** Set when another row has the same job id: tells them apart (see instance-tags.ts). */
  tag?: string;
  /** Whether Ink styles text here (inkStylesText): without it, the row is its plain text, as Ink would draw it. */
  styles: boolean;
}

/** A piece of a row's text and its style (what a nested <Text> would have had as props). */
export interface RowPiece {
  text: string;
  style: TextStyle;
}

/** The row after the cursor column, in styled pieces: its mark, its alert, and its cells (each with the gap after it). */
export function rowPieces(props: MonitorRowProps): RowPiece[] {
  const { monitor: m, columns, now, selected, marked, highlighted, color, tag } = props;
  const status = displayStatus(m);
  const alert = highlighted || Boolean(m.customStatus?.alerted);
  const pieces: RowPiece[] = [
    { text: marked ? "●" : " ", style: { color: color ? "yellow" : undefined } },
    { text: alert ? "!" : " ", style: { color: color ? "red" : undefined, bold: true } },
    { text: " ", style: {} },
  ];
  columns.forEach((col, i) => {
    const cell = cellFor(col.id, m, status, col.size, now, tag);
    const fitted = col.align === "right" ? fit(cell.text, col.size).padStart(col.size) : fit(cell.text, col.size, true);
    const gap = i < columns.length - 1 ? " ".repeat(COLUMN_GAP) : "";
    pieces.push({ text: fitted + gap, style: { color: color ? cell.color : undefined, dim: cell.dim && !selected } });
  });
  return pieces;
}

/**
 * One table row as a single line of text: one text node (its cells styled into the string, see styled-text.ts), cheap
 * for React and Ink to draw. Reads without colour: the cursor is "›", a mark "●", an alert "!".
 */
export const MonitorRow = memo(function MonitorRow(props: MonitorRowProps) {
  const { selected, highlighted, styles } = props;
  let text = selected ? "›" : " ";
  for (const piece of rowPieces(props)) text += styles ? styledText(piece.text, piece.style) : piece.text;
  return (
    <Text wrap="truncate-end" inverse={selected} bold={highlighted}>
      {text}
    </Text>
  );
});

/** The column titles line. */
export function TableTitles({ columns }: { columns: PlacedColumn[] }) {
  const text = columns
    .map((c) => (c.align === "right" ? fit(c.title, c.size).padStart(c.size) : fit(c.title, c.size, true)))
    .join(" ".repeat(COLUMN_GAP));
  return (
    <Text bold wrap="truncate-end">
      {"    "}
      {text}
    </Text>
  );
}
