/**
 * string-width, remembered. A frame measures every line it draws (our cells, then Ink's wrapping, clipping and
 * composing), and string-width segments each text into grapheme clusters and tests every cluster against an emoji
 * regex: that was the largest single cost of a frame. The same texts come back frame after frame (a key press changes
 * two rows of fifty), so answers are kept: two generations of at most WIDTH_CACHE_ENTRIES texts each (a text used
 * in the last generation moves to the current one; older ones are dropped), texts up to WIDTH_CACHE_MAX_LENGTH. A new
 * text whose characters each stand alone is summed without segmenting (simple-width.ts).
 * The scripts/ink-render-caches-plugin.mjs build step points Ink's own imports of string-width here too.
 */
import stringWidth, { type Options } from "string-width";
import { simpleWidth } from "./simple-width.js";

export const WIDTH_CACHE_ENTRIES = 4096;
const WIDTH_CACHE_MAX_LENGTH = 1024;

let current = new Map<string, number>();
let previous = new Map<string, number>();

export default function textWidth(text: string, options?: Options): number {
  if (options !== undefined || typeof text !== "string" || text.length > WIDTH_CACHE_MAX_LENGTH) return stringWidth(text, options);
  let width = current.get(text);
  if (width !== undefined) return width;
  width = previous.get(text) ?? simpleWidth(text) ?? stringWidth(text);
  if (current.size >= WIDTH_CACHE_ENTRIES) {
    previous = current;
    current = new Map();
  }
  current.set(text, width);
  return width;
}

/** How many texts are remembered now (for tests: the cache stays bounded). */
export function rememberedWidths(): number {
  return current.size + previous.size;
}
