/**
 * Terminal columns of the CLI's table cells, without paying for string-width when the text does not need it.
 * string-width segments text into grapheme clusters and tests each against an emoji regex: setting both up costs tens
 * of milliseconds (more than the rest of `list`'s formatting). Text in which every code point is a cluster of its own
 * (no combining or joining marks, variation selectors, emoji modifiers, flags, Hangul jamo, controls or invisible
 * characters) is exactly as wide as the sum of its code points' East Asian widths, which is what string-width answers
 * for it; other text is measured by string-width, loaded only then.
 */
import { eastAsianWidth } from "get-east-asian-width";

// Code points that join a neighbour into one cluster, or are invisible: text holding one goes to string-width.
const NEEDS_SEGMENTING =
  /[\p{M}\p{Grapheme_Extend}\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Regional_Indicator}\p{Emoji_Modifier}\u{1100}-\u{11FF}\u{A960}-\u{A97F}\u{D7B0}-\u{D7FF}\u{0D4E}\u{111C2}\u{111C3}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}]/u;

/** Text of printable ASCII only: one column per character (most cells: ids, names, numbers). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function simpleWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += eastAsianWidth(char.codePointAt(0)!);
  return width;
}

/** A function measuring each of `texts` (the same answers as string-width), loading string-width only if one needs it. */
export async function widthsFor(texts: readonly string[]): Promise<(text: string) => number> {
  if (!texts.some((t) => NEEDS_SEGMENTING.test(t))) return simpleWidth;
  const { default: stringWidth } = await import("string-width");
  return (text) => (NEEDS_SEGMENTING.test(text) ? stringWidth(text) : simpleWidth(text));
}
