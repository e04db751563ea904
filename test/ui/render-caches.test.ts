/**
 * The build step that keeps Ink's measuring and composing caches from one frame to the next, starts each frame
 * from one frozen blank cell, composes each distinct row once and remembers sanitized texts
 * (scripts/ink-render-caches-plugin.mjs) draws exactly what Ink as published draws: the same frames, frame after frame,
 * with wide characters, emoji, zero-width characters, ANSI colours, styles nested under a row's bold or inverse,
 * truncation, repeated lines, rows written by several writes (a border, a
 * text over another, a clipped box cutting a wide character), multi-line texts, and more distinct lines than the
 * caches hold (600 lines; 2 × 512 composed rows: ~8 new rows a frame, so both are dropped and refilled within 450 frames).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { afterAll, describe, expect, test } from "vitest";
import { importBundled } from "../helpers/ink-bundle.js";
import { inkChalkFile } from "../helpers/ink-chalk.js";
// @ts-expect-error: a build script without type declarations
import { inkRenderCachesPlugin, patchInkOutput, patchInkSanitize } from "../../scripts/ink-render-caches-plugin.mjs";

const dir = mkdtempSync(join(tmpdir(), "dmt-render-caches-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Frame i: lines that change with i, lines that repeat, lines cut to the width; every third frame repeats the last.
// Frame i: lines that change with i, lines that repeat, lines cut to the width; every third frame repeats the last.
// One live Ink instance (debug mode: every render writes its whole frame, unthrottled), re-rendered per frame.
const FRAMES_SOURCE = `
import React from "react";
import { PassThrough } from "node:stream";
import { Box, Text, render } from "ink";
import chalk from ${JSON.stringify(inkChalkFile())};
// Styled as in a terminal (the test runner's own output may not be one): Ink's colours and styles are compared too.
chalk.level = 1;
const h = React.createElement;
function tree(n) {
  return h(Box, { flexDirection: "column", width: 40 },
    h(Text, null, "title line, the same in every frame"),
    h(Text, { wrap: "truncate-end" }, "row " + (n % 7) + " 漢字 ✅ █░▌ \\u001b[31mred\\u001b[39m " + "x".repeat(n % 50)),
    h(Text, null, "› ● ! \\u001b[32m" + n + "\\u001b[39m ⏵ 한국어 e\\u0301"),
    h(Text, { wrap: "truncate-end" }, "wide 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字 " + (n % 5)),
    h(Text, null, "countdown " + n + "s ░░█"),
    h(Text, null, "\\u001b[2m" + "dim " + (n * 7) + "\\u001b[22m ✗"),
    h(Box, { borderStyle: "round", width: 30 }, h(Text, { color: n % 2 ? "red" : "green" }, "in a border " + (n % 11) + "\\nsecond line 漢" + (n % 4))),
    h(Box, { width: 40, height: 1 },
      h(Text, null, "under 漢字漢字漢字 " + (n % 6)),
      h(Box, { position: "absolute", marginLeft: 3 + (n % 4) }, h(Text, { inverse: true }, "over" + (n % 9)))),
    h(Box, { width: 9 + (n % 3), overflow: "hidden" }, h(Box, { marginLeft: -(n % 3), flexShrink: 0 }, h(Text, { wrap: "truncate-end" }, "漢字漢字漢字漢字" + n))),
    h(Text, { wrap: "truncate-end", bold: n % 2 === 0, inverse: n % 3 === 0 }, "row ", h(Text, { dimColor: true, color: "cyan" }, "dim cyan " + n), h(Text, { bold: true, color: "red" }, " !"), " end"),
    h(Box, { width: 14, overflow: "hidden" }, h(Box, { marginLeft: -(n % 2), flexShrink: 0 }, h(Text, { color: "yellow" }, "zw\u200bsp\ufe0fx ✅\ufe0f e\u0301 " + n))),
  );
}
export function frames(count) {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 40, rows: 20 });
  let last = "";
  stdout.on("data", (d) => (last = String(d)));
  const app = render(tree(0), { stdout, stdin: new PassThrough(), debug: true, patchConsole: false, exitOnCtrlC: false });
  const out = [];
  for (let i = 0; i < count; i++) {
    app.rerender(tree(i % 3 === 2 ? i - 1 : i));
    out.push(last);
  }
  app.unmount();
  return out;
}
`;

/** The frames script bundled with Ink (as scripts/bundle.mjs bundles the dashboard), with or without the plugin. */
function bundledFrames(name: string, plugins: Plugin[]) {
  return importBundled<{ frames(count: number): string[] }>(dir, name, FRAMES_SOURCE, plugins);
}

describe("Ink's render caches (build step)", () => {
  test("frames drawn with the caches are the frames Ink as published draws, past the cache's bound", async () => {
    const plain = await bundledFrames("plain", []);
    const cached = await bundledFrames("cached", [inkRenderCachesPlugin() as Plugin]);
    expect(plain.source).not.toContain("sharedOutputCaches");
    expect(cached.source).toContain("caches = sharedOutputCaches();");
    expect(cached.source).toContain("const row = new Array(output.width).fill(BLANK_CELL);");
    expect(cached.source).toContain("composedRow(this, writes)");
    expect(cached.source).toContain("rememberedSanitizeAnsi");
    const count = 450;
    const expected = plain.frames(count);
    const actual = cached.frames(count);
    expect(expected[1]).toContain("漢字");
    expect(expected[1]).toContain("\u001b[31mred");
    expect(expected[1]).toContain("╭");
    expect(expected[1]).toContain("over1");
    expect(expected[1]).toMatch(/\u001b\[36m.*dim cyan 1/);
    expect(new Set(expected).size).toBeGreaterThanOrEqual(300);
    expect(actual).toEqual(expected);
  });

  test("the build fails when Ink's output.js no longer has the line the step replaces", () => {
    expect(() => patchInkOutput("export default class Output { caches = new Map(); }")).toThrow(/ink-render-caches-plugin/);
    expect(() => patchInkSanitize("export default function sanitize(text) { return text; }")).toThrow(/ink-render-caches-plugin/);
  });
});
