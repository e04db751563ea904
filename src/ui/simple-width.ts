/**
 * The terminal width of a text whose every character stands alone, without segmenting it. string-width splits a text
 * into grapheme clusters (Intl.Segmenter) and tests each against an emoji regex: ~140 µs for a 160-column table row,
 * and every visible row is new every second (its countdowns move), measured again by Ink's layout. When no character
 * of the text can join its neighbours into one cluster (no marks, joiners, variation selectors, Hangul jamo, prepended
 * marks, nothing outside the Basic Multilingual Plane, no escape sequence but colours and styles), each character is
 * a cluster of its own, and the text's width is the sum of its characters' widths, each asked of string-width once.
 */
import stringWidth from "string-width";

/** SGR sequences (colours, styles): zero columns, as string-width strips them. */
const SGR = /\u001B\[[0-9;]*m/g;

/**
 * A character that may join the characters around it into one grapheme cluster, or that this shortcut leaves to
 * string-width: marks (extending, spacing, enclosing: combining accents, viramas), default-ignorables (zero-width
 * joiners, variation selectors), Hangul jamo, the two letters that are spacing marks (Thai and Lao AM), the
 * prepended concatenation marks and the Malayalam dot reph, halfwidth voiced sound marks, CR/LF/TAB, escape codes left
 * after the SGR ones are removed, surrogates and anything beyond U+FFFF (emoji sequences, regional indicators).
 */
const MAY_JOIN =
  /[\p{M}\p{Default_Ignorable_Code_Point}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\u0E33\u0EB3\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\uFF9E\uFF9F\r\n\t\u001B\u009B\uD800-\uDFFF]|[^\u0000-\uFFFF]/u;

/** Width of each character of the Basic Multilingual Plane, from string-width; 255 = not asked yet. */
const charWidths = new Uint8Array(0x10000).fill(255);

/** True when every character of `plain` (a text without escape codes) is a grapheme cluster of its own. */
export function charsStandAlone(plain: string): boolean {
  return !MAY_JOIN.test(plain);
}

/** The width string-width gives `text`, when every character of it is a cluster of its own; otherwise undefined. */
export function simpleWidth(text: string): number | undefined {
  const plain = text.includes("\u001B") ? text.replace(SGR, "") : text;
  if (!charsStandAlone(plain)) return undefined;
  let width = 0;
  for (let i = 0; i < plain.length; i++) {
    const code = plain.charCodeAt(i);
    let w = charWidths[code]!;
    if (w === 255) w = charWidths[code] = stringWidth(plain[i]!);
    width += w;
  }
  return width;
}
