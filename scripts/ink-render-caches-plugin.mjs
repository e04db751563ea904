// esbuild plugin: Ink's text measuring and frame composing remember their answers from one frame to the next.
// Ink redraws the whole tree on every frame, and for each line it measures the width (string-width: grapheme
// segmenting and an emoji regex per cluster) and tokenizes the ANSI codes into one object per character; it keeps
// those answers for one frame only. A key press changes two rows of fifty, so almost every line of the next frame was
// measured and tokenized in the last one: bench/tui-frame measured this as most of a frame's CPU, and the per-character
// objects as garbage that the dashboard's small young generation promotes, paid for later in long old-space pauses.
// - `string-width`, wherever it is imported from (Ink, cli-truncate, widest-line), becomes src/ui/text-width.ts, a
//   bounded cache in front of the real one (which that module imports itself).
// - ink/build/output.js keeps one OutputCaches (widths and per-line styled characters) for all frames instead of a
//   new one per frame, replaced by a fresh one when it holds more than a bounded number of lines. The cached arrays
//   are only read by Ink (placed into the frame grid, sliced into new arrays), as they already are within a frame.
//   And a frame's grid starts filled with one frozen blank cell instead of a new object and array per cell (16,000
//   allocations a frame at 160×50, garbage the small young generation promoted).
// The build fails if Ink's source no longer has the line this patches (an Ink upgrade must look at it again).
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TEXT_WIDTH_MODULE = resolve(ROOT, "src", "ui", "text-width.ts");
const INK_OUTPUT = /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/;
const PER_FRAME_CACHES = "    caches = new OutputCaches();";
const BLANK_ROW = `            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }
            output.push(row);`;
// ~50 lines a screen; a line's styled characters weigh ~15 KB at 160 columns: at most ~10 MB.
const MAX_CACHED_LINES = 600;
const SHARED_CACHES = `
// Added at build time by scripts/ink-render-caches-plugin.mjs: one cache for every frame, bounded; one blank cell
// (frozen: Ink replaces cells, never changes one) for every cell a frame starts with.
const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
let sharedCaches;
function sharedOutputCaches() {
    if (sharedCaches === undefined || sharedCaches.styledChars.size > ${MAX_CACHED_LINES} || sharedCaches.blockWidths.size > ${MAX_CACHED_LINES}) {
        sharedCaches = new OutputCaches();
    }
    return sharedCaches;
}
`;

/** Ink's output.js with one cache shared by every frame and one blank cell; throws if Ink changed what it replaces. */
export function patchInkOutput(source) {
  for (const text of [PER_FRAME_CACHES, BLANK_ROW]) {
    if (!source.includes(text)) {
      throw new Error(`ink/build/output.js no longer contains "${text.trim().split("\n")[0]}…": look at scripts/ink-render-caches-plugin.mjs again`);
    }
  }
  return (
    source.replace(PER_FRAME_CACHES, "    caches = sharedOutputCaches();").replace(BLANK_ROW, "            output.push(new Array(this.width).fill(BLANK_CELL));") +
    SHARED_CACHES
  );
}

export function inkRenderCachesPlugin() {
  return {
    name: "ink-render-caches",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === TEXT_WIDTH_MODULE ? undefined : { path: TEXT_WIDTH_MODULE }));
      pluginBuild.onLoad({ filter: INK_OUTPUT }, async (args) => ({
        contents: patchInkOutput(await readFile(args.path, "utf8")),
        loader: "js",
        resolveDir: dirname(args.path),
      }));
    },
  };
}
