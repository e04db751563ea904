import stringWidth from "string-width";
import { describe, expect, test } from "vitest";
import textWidth, { rememberedWidths, WIDTH_CACHE_ENTRIES } from "../../src/ui/text-width.js";

describe("textWidth (string-width, remembered)", () => {
  test("answers what string-width answers, the first time and from memory", () => {
    const samples = ["", "abc", "漢字", "✅ done", "█░▌", "\u001b[31mred\u001b[39m", "e\u0301", "한국어", "👍🏽", "› ● !", "a\tb"];
    for (const s of samples) expect([textWidth(s), textWidth(s)]).toEqual([stringWidth(s), stringWidth(s)]);
    expect(textWidth("\u001b[31mred\u001b[39m", { countAnsiEscapeCodes: true })).toBe(stringWidth("\u001b[31mred\u001b[39m", { countAnsiEscapeCodes: true }));
  });

  test("stays bounded: at most two generations of texts", () => {
    for (let i = 0; i < WIDTH_CACHE_ENTRIES * 3; i++) textWidth(`text ${i} █`);
    expect(rememberedWidths()).toBeLessThanOrEqual(2 * WIDTH_CACHE_ENTRIES);
    expect(rememberedWidths()).toBeGreaterThan(WIDTH_CACHE_ENTRIES);
    expect(textWidth(`text 1 █`)).toBe(8);
  });
});
