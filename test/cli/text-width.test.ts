import { describe, expect, it } from "vitest";
import stringWidth from "string-width";
import { widthsFor } from "../../src/cli/text-width.js";
import { DISPLAY_STATUS_INFO, displayLabel } from "../../src/engine/display-status.js";

describe("the CLI's text widths are string-width's", () => {
  it("for every code point on its own (the BMP, the emoji and symbol blocks, the tags and variation selectors)", async () => {
    const all: string[] = [];
    const add = (from: number, to: number) => {
      for (let cp = from; cp <= to; cp++) all.push(String.fromCodePoint(cp));
    };
    add(0, 0xffff);
    add(0x1f000, 0x1faff);
    add(0xe0000, 0xe01ff);
    const width = await widthsFor(all);
    const wrong = all.filter((t) => width(t) !== stringWidth(t)).map((t) => t.codePointAt(0)!.toString(16));
    expect(wrong).toEqual([]);
  });

  it("for text that joins code points into one cluster, or hides some", async () => {
    const texts = [
      "é (e + U+0301)", "👍🏽 toned", "👨‍👩‍👧 family", "🇫🇷 flag", "1️⃣ keycap", "❤️ with VS16", "ᄀ각 jamo", "tab\there",
      "\u001b[31mred\u001b[0m", "soft\u00adhyphen", "ｶﾞ halfwidth", "zero\u200bwidth", "作業ジョブ", "😀 emoji", "plain ascii",
    ];
    const width = await widthsFor(texts);
    for (const t of texts) expect(width(t), JSON.stringify(t)).toBe(stringWidth(t));
  });

  it("for the status labels, which take the quick way (string-width is not needed for them)", async () => {
    const labels = Object.keys(DISPLAY_STATUS_INFO).map((s) => displayLabel(s as keyof typeof DISPLAY_STATUS_INFO));
    const width = await widthsFor(labels);
    for (const label of labels) expect(width(label), label).toBe(stringWidth(label));
    expect(width.name).toBe("simpleWidth");
  });
});
