// esbuild plugin: Ink's text measuring and frame composing remember their answers from one frame to the next.
// Ink redraws the whole tree on every frame, and for each line it measures the width (string-width: grapheme
// segmenting and an emoji regex per cluster) and tokenizes the ANSI codes into one object per character; it keeps
// those answers for one frame only. A key press changes two rows of fifty, so almost every line of the next frame was
// measured and tokenized in the last one: bench/tui-frame measured this as most of a frame's CPU, and the per-character
// objects as garbage that the dashboard's small young generation promotes, paid for later in long old-space pauses.
// - `string-width`, wherever it is imported from (Ink, cli-truncate, widest-line), becomes src/ui/text-width.ts, a
//   bounded cache in front of the real one (which that module and its shortcut, simple-width.ts, import themselves).
// - ink/build/output.js keeps one OutputCaches (widths and per-line styled characters) for all frames instead of a
//   new one per frame, replaced by a fresh one when it holds more than a bounded number of lines. The cached arrays
//   are only read by Ink (placed into the frame grid, sliced into new arrays), as they already are within a frame.
//   And a frame's grid starts filled with one frozen blank cell instead of a new object and array per cell (16,000
//   allocations a frame at 160×50, garbage the small young generation promoted).
// - A frame's lines are composed once per distinct content: Ink paints every write into a grid of cells and turns each
//   row back into a string (one ANSI diff per cell), every frame, for every row. Here the writes are first gathered per
//   row, as (x, text) pairs in Ink's order; a row whose pairs (and the frame's width) were composed before gets the same
//   string again, and only a new row is painted, with Ink's own painting code, moved into paintLine. A write's text of
//   several lines is split into its lines once per distinct text; a text of one line (a table row) is its own line. Only those strings are kept, not the styled characters they were
//   made from (~15 KB a line: every row with a countdown is new every second, and keeping its characters until the
//   cache was dropped made them old-generation garbage; bench:frame: 8 → 6 full collections per 200 keys). A heap profile of bench:tui at 1,000 monitors had Ink's frame
//   composing at ~60 % of the dashboard's allocations (~30 MB/s), most of it for rows that had not changed.
// - ink/build/sanitize-ansi.js (run on every nested <Text> of every row, at every layout and every frame) remembers its
//   answers: a pure function of its text, asked the same texts frame after frame.
// - ink/build/line-update.js (incremental rendering: a changed line is rewritten from its first changed column) finds
//   the unchanged prefix character by character when every character of both lines stands alone, instead of
//   segmenting both lines into graphemes (every row changes every second).
// The build fails if Ink's source no longer has the code this patches (an Ink upgrade must look at it again).
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TEXT_WIDTH_MODULE = resolve(ROOT, "src", "ui", "text-width.ts");
// The modules that call the real string-width (text-width.ts's cache, and its shortcut's per-character widths).
const REAL_STRING_WIDTH_IMPORTERS = new Set([TEXT_WIDTH_MODULE, resolve(ROOT, "src", "ui", "simple-width.ts")]);
const INK_OUTPUT = /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/;
const INK_SANITIZE = /[\\/]node_modules[\\/]ink[\\/]build[\\/]sanitize-ansi\.js$/;
const INK_LINE_UPDATE = /[\\/]node_modules[\\/]ink[\\/]build[\\/]line-update\.js$/;
const PER_FRAME_CACHES = "    caches = new OutputCaches();";
// OutputCaches.getStyledChars's computation (copied into styledCharsOf, uncached).
const STYLED_CHARS = "            cached = styledCharsFromTokens(tokenize(line)).filter(character => !/^\\p{Default_Ignorable_Code_Point}+$/u.test(character.value));";
// get(): the frame's grid of cells, one row per line.
const GRID = `        const output = [];
        for (let y = 0; y < this.height; y++) {
            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }
            output.push(row);
        }`;
// get(): the rows turned back into lines.
const ROWS_TO_LINES = `        const generatedOutput = output
            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })
            .join('\\n');`;
// applyWriteOperation: a write's text split into lines (styled characters, then strings again).
const TEXT_TO_LINES = `        const characterLines = [[]];
        for (const character of this.caches.getStyledChars(text)) {
            if (character.value === '\\n') {
                characterLines.push([]);
            }
            else {
                characterLines.at(-1).push(character);
            }
        }
        let lines = characterLines.map(line => styledCharsToString(line));`;
// applyWriteOperation: one line painted into its row of the grid (moved into paintLine below, unchanged but for names).
const PAINT = `            const characters = this.caches.getStyledChars(line);
            // Nothing to write (e.g. line was clipped away).
            if (characters.length === 0) {
                continue;
            }
            let offsetX = x;
            // Wide characters (e.g. CJK) occupy two cells: a leading
            // cell with the character and a trailing placeholder with
            // value ''. When an overlapping write lands in the middle
            // of a wide character, the boundary cells need cleanup so
            // the terminal never renders a half-visible wide character.
            // Preserve the styles of cells outside the overlapping write.
            if (currentLine[offsetX]?.value === '' &&
                offsetX > 0 &&
                this.caches.getStringWidth(currentLine[offsetX - 1]?.value ?? '') > 1) {
                currentLine[offsetX - 1] = blankCell(currentLine[offsetX - 1]);
            }
            for (const character of characters) {
                currentLine[offsetX] = character;
                // Determine printed width using string-width to align with measurement
                const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));
                // For multi-column characters, clear following cells to avoid stray spaces/artifacts
                if (characterWidth > 1) {
                    for (let offset = 1; offset < characterWidth; offset++) {
                        currentLine[offsetX + offset] = {
                            type: 'char',
                            // Preserve visible cells when the leading cell is outside the output.
                            value: offsetX < 0 ? ' ' : '',
                            fullWidth: false,
                            styles: character.styles,
                        };
                    }
                }
                offsetX += characterWidth;
            }
            if (currentLine[offsetX]?.value === '') {
                currentLine[offsetX] = blankCell(currentLine[offsetX]);
            }`;
// ~50 lines a screen; a line's styled characters weigh ~15 KB at 160 columns: at most ~10 MB.
const MAX_CACHED_LINES = 600;
// Composed rows kept per generation (two generations: a row drawn in the last one moves to the current one).
const MAX_COMPOSED_ROWS = 512;
const SHARED_CACHES = `
// Added at build time by scripts/ink-render-caches-plugin.mjs: one cache for every frame, bounded; one blank cell
// (frozen: Ink replaces cells, never changes one) for every cell a frame starts with; each distinct row composed once.
const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
let sharedCaches;
function sharedOutputCaches() {
    if (sharedCaches === undefined || sharedCaches.styledChars.size > ${MAX_CACHED_LINES} || sharedCaches.blockWidths.size > ${MAX_CACHED_LINES} || (sharedCaches.textLines?.size ?? 0) > ${MAX_CACHED_LINES}) {
        sharedCaches = new OutputCaches();
    }
    return sharedCaches;
}
// What getStyledChars computes, not kept: the rows and lines made from it are (one string each, where a line's
// characters weigh ~15 KB at 160 columns, and every row with a countdown is new every second).
function styledCharsOf(line) {
    return styledCharsFromTokens(tokenize(line)).filter(character => !/^\\p{Default_Ignorable_Code_Point}+$/u.test(character.value));
}
// A write's text as lines of styled text (frozen: Ink only maps and slices it into new arrays). A text of one line is
// its own line: Ink's round trip through styled characters only rewrites its escape codes, and the line is taken
// apart into styled characters again when it is painted (a table row is one line, and each is new every second).
function textLines(caches, text) {
    if (!text.includes('\\n')) {
        return [text];
    }
    caches.textLines ??= new Map();
    let lines = caches.textLines.get(text);
    if (lines === undefined) {
${TEXT_TO_LINES.replace("let lines = ", "lines = ").replace("this.caches.getStyledChars(text)", "styledCharsOf(text)")}
        lines = Object.freeze(lines);
        caches.textLines.set(text, lines);
    }
    return lines;
}
function paintLine(caches, currentLine, x, line) {
${PAINT.replace("this.caches.getStyledChars(line)", "styledCharsOf(line)").replaceAll("this.caches", "caches").replace("continue;", "return;")}
}
let composedRows = new Map();
let previousRows = new Map();
// One row of the frame from its writes ([x, text, x, text, …] in Ink's order), as Ink composes it.
function composedRow(output, writes) {
    if (writes.length === 0) {
        return '';
    }
    let key = String(output.width);
    for (let i = 0; i < writes.length; i += 2) {
        key += ' ' + writes[i] + ':' + writes[i + 1].length + ':' + writes[i + 1];
    }
    let line = composedRows.get(key);
    if (line !== undefined) {
        return line;
    }
    line = previousRows.get(key);
    if (line === undefined) {
        const row = new Array(output.width).fill(BLANK_CELL);
        for (let i = 0; i < writes.length; i += 2) {
            paintLine(output.caches, row, writes[i], writes[i + 1]);
        }
        line = styledCharsToString(row.filter(item => item !== undefined)).trimEnd();
    }
    if (composedRows.size >= ${MAX_COMPOSED_ROWS}) {
        previousRows = composedRows;
        composedRows = new Map();
    }
    composedRows.set(key, line);
    return line;
}
`;

/** Ink's output.js with shared bounded caches and rows composed once per content; throws if Ink changed what it replaces. */
export function patchInkOutput(source) {
  for (const text of [PER_FRAME_CACHES, STYLED_CHARS, GRID, ROWS_TO_LINES, TEXT_TO_LINES, PAINT]) {
    if (!source.includes(text)) {
      throw new Error(`ink/build/output.js no longer contains "${text.trim().split("\n")[0]}…": look at scripts/ink-render-caches-plugin.mjs again`);
    }
  }
  return (
    source
      .replace(PER_FRAME_CACHES, "    caches = sharedOutputCaches();")
      // The grid now holds each row's writes ([x, text, …]); composedRow paints and stringifies a row when it is new.
      .replace(GRID, "        const output = [];\n        for (let y = 0; y < this.height; y++) {\n            output.push([]);\n        }")
      .replace(ROWS_TO_LINES, "        const generatedOutput = output.map(writes => composedRow(this, writes)).join('\\n');")
      .replace(TEXT_TO_LINES, "        let lines = textLines(this.caches, text);")
      .replace(PAINT, "            currentLine.push(x, line);") + SHARED_CACHES
  );
}

// line-update.js: a changed line's unchanged prefix, found grapheme by grapheme (Intl.Segmenter over both lines).
const LINE_PREFIX = `        const previousSegments = segmenter.segment(previousText)[Symbol.iterator]();
        for (const { segment, index } of segmenter.segment(nextText)) {
            if (index + segment.length > textLimit ||
                previousSegments.next().value?.segment !== segment) {
                break;
            }
            textLength = index + segment.length;
        }`;
const SIMPLE_WIDTH_MODULE = resolve(ROOT, "src", "ui", "simple-width.ts");

/**
 * Ink's line-update.js, finding the unchanged prefix character by character when every character of both lines stands
 * alone (src/ui/simple-width.ts): then each character is a grapheme, and segmenting both lines (~160 segment objects
 * each, for every changed row of every frame) finds the same prefix. Throws if Ink changed what it replaces.
 */
export function patchInkLineUpdate(source) {
  if (!source.includes(LINE_PREFIX)) {
    throw new Error(`ink/build/line-update.js no longer contains "${LINE_PREFIX.trim().split("\n")[0]}…": look at scripts/ink-render-caches-plugin.mjs again`);
  }
  return (
    `import { charsStandAlone } from ${JSON.stringify(SIMPLE_WIDTH_MODULE)};\n` +
    source.replace(
      LINE_PREFIX,
      `        if (charsStandAlone(previousText) && charsStandAlone(nextText)) {
            while (textLength < textLimit && previousText[textLength] === nextText[textLength]) {
                textLength++;
            }
        }
        else {
${LINE_PREFIX}
        }`,
    )
  );
}

const SANITIZE_EXPORT = "export default sanitizeAnsi;";
const MAX_SANITIZED_TEXTS = 2048;
const REMEMBERED_SANITIZE = `
// Added at build time by scripts/ink-render-caches-plugin.mjs: sanitizeAnsi is pure; answers kept in two generations.
let sanitizedNow = new Map();
let sanitizedBefore = new Map();
const rememberedSanitizeAnsi = (text) => {
    if (text.length > 1024) {
        return sanitizeAnsi(text);
    }
    let clean = sanitizedNow.get(text);
    if (clean !== undefined) {
        return clean;
    }
    clean = sanitizedBefore.get(text) ?? sanitizeAnsi(text);
    if (sanitizedNow.size >= ${MAX_SANITIZED_TEXTS}) {
        sanitizedBefore = sanitizedNow;
        sanitizedNow = new Map();
    }
    sanitizedNow.set(text, clean);
    return clean;
};
export default rememberedSanitizeAnsi;
`;

/** Ink's sanitize-ansi.js with its answers remembered; throws if Ink changed what it replaces. */
export function patchInkSanitize(source) {
  if (!source.includes(SANITIZE_EXPORT)) {
    throw new Error(`ink/build/sanitize-ansi.js no longer contains "${SANITIZE_EXPORT}": look at scripts/ink-render-caches-plugin.mjs again`);
  }
  return source.replace(SANITIZE_EXPORT, REMEMBERED_SANITIZE);
}

export function inkRenderCachesPlugin() {
  return {
    name: "ink-render-caches",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^string-width$/ }, (args) => (REAL_STRING_WIDTH_IMPORTERS.has(args.importer) ? undefined : { path: TEXT_WIDTH_MODULE }));
      pluginBuild.onLoad({ filter: INK_OUTPUT }, async (args) => ({
        contents: patchInkOutput(await readFile(args.path, "utf8")),
        loader: "js",
        resolveDir: dirname(args.path),
      }));
      pluginBuild.onLoad({ filter: INK_LINE_UPDATE }, async (args) => ({
        contents: patchInkLineUpdate(await readFile(args.path, "utf8")),
        loader: "js",
        resolveDir: dirname(args.path),
      }));
      pluginBuild.onLoad({ filter: INK_SANITIZE }, async (args) => ({
        contents: patchInkSanitize(await readFile(args.path, "utf8")),
        loader: "js",
        resolveDir: dirname(args.path),
      }));
    },
  };
}
