/**
 * Ink's incremental line update as the build step patches it (scripts/ink-render-caches-plugin.mjs: the unchanged
 * prefix found character by character when every character stands alone) writes exactly what Ink as published writes,
 * for table rows changed in their text, their colours, with wide, joined and control characters.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { afterAll, describe, expect, test } from "vitest";
import { importBundled } from "../helpers/ink-bundle.js";
// @ts-expect-error: a build script without type declarations
import { inkRenderCachesPlugin } from "../../scripts/ink-render-caches-plugin.mjs";

const dir = mkdtempSync(join(tmpdir(), "dmt-line-update-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type LineUpdate = (previous: string, next: string, columns: number) => string;
const SOURCE = 'export { default as lineUpdate } from "./node_modules/ink/build/line-update.js";';

/** A fixed sequence of pseudo-random numbers in [0, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CELLS = ["bench-0001   ", "sim 1h  ", "▶ Running  ", "████░░░░░░  40% ", "  3 ", "2s ago   ", "in 3s  ", "███▍ 1h 59m ", "▁▂▃▄ ", "漢字 ", "e\u0301 ", "👍🏽 ", "ｶ\uFF9E ", "a\tb "];
const STYLES = ["", "\u001b[36m", "\u001b[2m", "\u001b[32m", "\u001b[1m\u001b[31m"];

/** A row: cells in random styles, some of them the wide, joined or control ones. */
function row(random: () => number, plainOnly: boolean): string {
  let text = random() < 0.5 ? "› " : "  ";
  for (let i = 0; i < 9; i++) {
    const pool = plainOnly ? CELLS.slice(0, 9) : CELLS;
    const cell = pool[Math.floor(random() * pool.length)]!;
    const style = STYLES[Math.floor(random() * STYLES.length)]!;
    text += style ? `${style}${cell}\u001b[39m\u001b[22m` : cell;
  }
  return text;
}

/** `line` with one change: a character replaced, a style changed, or its tail cut. */
function changed(line: string, random: () => number): string {
  const at = Math.floor(random() * line.length);
  const kind = random();
  if (kind < 0.5) return line.slice(0, at) + "x" + line.slice(at + 1);
  if (kind < 0.8) return line.replace("\u001b[36m", "\u001b[33m");
  return line.slice(0, at);
}

describe("Ink's line update (build step)", () => {
  test("writes what Ink as published writes for changed rows", async () => {
    const plain = await importBundled<{ lineUpdate: LineUpdate }>(dir, "plain", SOURCE, []);
    const patched = await importBundled<{ lineUpdate: LineUpdate }>(dir, "patched", SOURCE, [inkRenderCachesPlugin() as Plugin]);
    expect(plain.source).not.toContain("charsStandAlone");
    expect(patched.source).toContain("charsStandAlone(previousText) && charsStandAlone(nextText)");
    const random = seeded(7);
    let partial = 0;
    for (let i = 0; i < 3000; i++) {
      const previous = row(random, i % 2 === 0);
      const next = random() < 0.2 ? row(random, i % 2 === 0) : changed(previous, random);
      for (const columns of [160, 60]) {
        const expected = plain.lineUpdate(previous, next, columns);
        expect(patched.lineUpdate(previous, next, columns), JSON.stringify({ previous, next, columns })).toBe(expected);
        if (!expected.startsWith("\u001b[G") && !expected.startsWith("\u001b[1G")) partial++;
      }
    }
    // Most changes rewrite only the changed tail (the prefix search was exercised).
    expect(partial).toBeGreaterThan(1000);
  });
});
