/**
 * The CLI's only way to print: headless commands write here, never console.* (which would corrupt an Ink screen).
 * Tests pass their own streams.
 */
import { safeText } from "../secrets.js";

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

export function printLine(io: CliIO, text = ""): void {
  io.stdout.write(text + "\n");
}

/** Errors and warnings: secrets masked and terminal escapes removed (their text often quotes data). */
export function printError(io: CliIO, text: string): void {
  io.stderr.write(safeText(text) + "\n");
}

/** Stable JSON output for `--json`: two-space indented, one document, trailing newline. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Left-aligned columns for plain-text tables (no colour: the output may be piped). */
export function formatColumns(rows: string[][]): string {
  if (rows.length === 0) return "";
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join("  ").trimEnd()).join("\n");
}
