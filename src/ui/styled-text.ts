/**
 * Text styled as Ink's <Text> styles it, as one string: the same chalk calls in the same order (dim, colour, bold), so
 * Ink draws exactly what a nested <Text> would have drawn (and nothing at all, like Ink, where chalk finds no colour
 * support). A row built from such strings is one text node for React and Ink, instead of a nested <Text> per cell:
 * each of those is four React fibers and a squash, a transform and a sanitize per frame, and every visible row is
 * drawn again every second (its countdowns move).
 */
import chalk from "chalk";
import type { BasicColor } from "./theme.js";

export interface TextStyle {
  color?: BasicColor;
  dim?: boolean;
  bold?: boolean;
}

export function styledText(text: string, { color, dim, bold }: TextStyle): string {
  if (text.length === 0) return text;
  let out = dim ? chalk.dim(text) : text;
  if (color) out = chalk[color](out);
  return bold ? chalk.bold(out) : out;
}
