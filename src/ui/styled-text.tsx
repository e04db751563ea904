/**
 * Text styled as Ink's <Text> styles it, as one string: the escape codes chalk (Ink's styler) writes, applied in the
 * order Ink applies them (dim, colour, bold), so Ink draws exactly what a nested <Text> would have drawn. A row built
 * from such strings is one text node for React and Ink, instead of a nested <Text> per cell: each of those is four
 * React fibers and a squash, a transform and a sanitize per frame, and every visible row is drawn again every second
 * (its countdowns move). Where Ink styles nothing (chalk found no colour support), the row is not styled either.
 */
import React from "react";
import { Text, renderToString } from "ink";
import type { BasicColor } from "./theme.js";

export interface TextStyle {
  color?: BasicColor;
  dim?: boolean;
  bold?: boolean;
}

/** SGR open and close codes, as chalk has them for its basic styles and colours. */
const CODES: Readonly<Record<BasicColor | "dim" | "bold", readonly [number, number]>> = {
  dim: [2, 22],
  bold: [1, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  white: [37, 39],
  gray: [90, 39],
};

/** One style around `text`, as chalk applies it: an inner close code reopens the style; a line break closes and reopens it. */
function applied(text: string, [openCode, closeCode]: readonly [number, number]): string {
  const open = `\u001B[${openCode}m`;
  const close = `\u001B[${closeCode}m`;
  let inner = text.includes(close) ? text.split(close).join(close + open) : text;
  if (inner.includes("\n")) inner = inner.replace(/\r?\n/g, (lineBreak) => close + lineBreak + open);
  return open + inner + close;
}

/** Whether Ink styles text now (its chalk found colour support): asked by drawing a bold letter. */
export function inkStylesText(): boolean {
  return renderToString(<Text bold>x</Text>).includes("\u001B[");
}

/**
 * inkStylesText when this module loaded (chalk decides once, from the terminal and the environment). Asked here, not
 * while the table renders: Ink drawing a string in the middle of another Ink render breaks that render's layout.
 */
export const INK_STYLES_TEXT = inkStylesText();

/** `text` in `style`, as a <Text> with that style draws it where Ink styles text (see inkStylesText). */
export function styledText(text: string, { color, dim, bold }: TextStyle): string {
  if (text.length === 0) return text;
  let out = dim ? applied(text, CODES.dim) : text;
  if (color) out = applied(out, CODES[color]);
  return bold ? applied(out, CODES.bold) : out;
}
