/**
 * The CLI's only way to print: headless commands write here, never console.* (which would corrupt an Ink screen).
 * Tests pass their own streams.
 */
import { safeText } from "../secrets.js";
import { widthsFor } from "./text-width.js";

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export const processIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  // Read only by the commands that use it: Node builds the stream on first read, and for a file or /dev/null that
  // loads fs's streams, its promises API and readline (~3 ms of every command's start-up).
  get stdin() {
    return process.stdin;
  },
  env: process.env,
});

export function printLine(io: CliIO, text = ""): void {
  io.stdout.write(text + "\n");
}

/** Errors and warnings: secrets masked and terminal escapes removed (their text often quotes data). */
export function printError(io: CliIO, text: string): void {
  io.stderr.write(safeText(text) + "\n");
}

/**
 * A command's error under `--json`: one document `{ "error", "try"?, "exitCode" }` on stdout, where the command's
 * result would have been (the exit code still says it failed); secrets masked as in `printError`.
 */
export function printErrorJson(io: CliIO, value: { error: string; try?: string; exitCode: number }): void {
  const safe = { ...value, error: safeText(value.error), ...(value.try ? { try: safeText(value.try) } : {}) };
  printJson(io, safe);
}

/** Stable JSON output for `--json`: two-space indented, one document, trailing newline. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Left-aligned columns for plain-text tables (no colour: the output may be piped). */
export async function formatColumns(rows: string[][]): Promise<string> {
  if (rows.length === 0) return "";
  // Terminal columns, not characters: a CJK or emoji job id is two columns per character.
  const width = await widthsFor(rows.flat());
  const measured = rows.map((r) => r.map(width));
  const widths = rows[0]!.map((_, col) => Math.max(...measured.map((m) => m[col] ?? 0)));
  const pad = (cell: string, row: number, col: number) => cell + " ".repeat(Math.max(0, widths[col]! - measured[row]![col]!));
  return rows.map((r, row) => r.map((cell, col) => (col === r.length - 1 ? cell : pad(cell, row, col))).join("  ").trimEnd()).join("\n");
}
