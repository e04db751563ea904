import stringWidth from "string-width";
import { describe, expect, test } from "vitest";
import { simpleWidth } from "../../src/ui/simple-width.js";
import textWidth from "../../src/ui/text-width.js";

/** Characters a terminal row may hold, the ones that stand alone and the ones that join others into one cluster. */
const POOL = [
  ..."abcXYZ019 .,:/-_#%()[]",
  ..."›●!█░▌▏▁▂▃▄▅▆▇▶‖✓✗◷■—·×…─│",
  ..."éñßÅ¿",
  ..."漢字한Ａｶ",
  "\uFF9E", // halfwidth voiced sound mark (extends the katakana before it)
  "\u1100", "\u1161", "\u11A8", // Hangul jamo (L V T: one syllable)
  "\u0301", "\u20E3", // combining acute, keycap
  "\u200D", "\uFE0F", "\u200B", "\u00AD", // zero-width joiner, variation selector 16, zero-width space, soft hyphen
  "⌚", "☔", "✅", "❤", // emoji in the Basic Multilingual Plane
  "👍", "🏽", "🇺", "🇸", "👨", // beyond it: emoji, a skin tone, regional indicators
  "ก", "\u0E33", "क", "\u094D", "ष", "\u0600", "\u0D4E", // Thai AM, Devanagari virama, prepended marks
  "\t", "\u0007", "\u007F",
  "\u001B[31m", "\u001B[2m", "\u001B[39m", "\u001B[22m", "\u001B[7m", "\u001B]8;;https://x\u0007", "\u001B]8;;\u0007", "\u009B1m",
];

/** A fixed sequence of pseudo-random numbers in [0, 1): the same strings every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("simpleWidth (string-width without segmenting, where every character stands alone)", () => {
  test("agrees with string-width on random texts of joining and standalone characters, or leaves them to it", () => {
    const random = seeded(12);
    let summed = 0;
    for (let i = 0; i < 5000; i++) {
      let text = "";
      const length = Math.floor(random() * 24);
      for (let j = 0; j < length; j++) text += POOL[Math.floor(random() * POOL.length)];
      const expected = stringWidth(text);
      const simple = simpleWidth(text);
      if (simple !== undefined) {
        summed++;
        expect(simple, JSON.stringify(text)).toBe(expected);
      }
      expect(textWidth(text), JSON.stringify(text)).toBe(expected);
    }
    // Both paths were taken many times.
    expect(summed).toBeGreaterThan(250);
    expect(summed).toBeLessThan(4750);
  });

  test("a styled table row and wide text are summed; a joined cluster is left to string-width", () => {
    const row =
      "› \u001b[33m●\u001b[39m\u001b[1m\u001b[31m!\u001b[39m\u001b[22m bench-0001   \u001b[2msim 1h  \u001b[22m\u001b[36m▶ Running  \u001b[39m" +
      "\u001b[36m████░░░░░░  40% \u001b[39m   3 2s ago  in 3s  \u001b[32m███▍ 1h 59m \u001b[39m\u001b[36m▁▂▃▄ \u001b[39m";
    expect(simpleWidth(row)).toBe(stringWidth(row));
    expect(simpleWidth("漢字 ｶ Ａ 한")).toBe(stringWidth("漢字 ｶ Ａ 한"));
    expect(simpleWidth("e\u0301")).toBeUndefined();
    expect(simpleWidth("👍🏽")).toBeUndefined();
    expect(simpleWidth("\u001B]8;;https://x\u0007link\u001B]8;;\u0007")).toBeUndefined();
  });
});
