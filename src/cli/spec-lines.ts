/**
 * `start --specs FILE`: one monitor spec per line (JSON Lines), from a file or stdin (`-`).
 * Limits: MAX_SPEC_LINES specs and MAX_SPECS_BYTES of input per command.
 */
import { createReadStream } from "node:fs";
import { UsageError } from "../errors.js";
import type { MonitorSpecInput } from "../engine/monitor/spec.js";

const MAX_SPEC_LINES = 100_000;
const MAX_SPECS_BYTES = 64 * 1024 * 1024;

/** Parses JSON Lines into spec objects (blank lines skipped). Throws UsageError naming the source and line. */
function parseSpecLines(text: string, source: string): MonitorSpecInput[] {
  const specs: MonitorSpecInput[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`${source} line ${i + 1}: not JSON (${(error as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new UsageError(`${source} line ${i + 1}: a spec is a JSON object, like {"kind":"simulated","target":{}}`);
    }
    if (specs.length === MAX_SPEC_LINES) throw new UsageError(`${source}: more than ${MAX_SPEC_LINES} specs; split it`);
    specs.push(value as MonitorSpecInput);
  }
  if (specs.length === 0) throw new UsageError(`${source}: no spec in it (one JSON object per line)`);
  return specs;
}

async function readCapped(stream: NodeJS.ReadableStream, source: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_SPECS_BYTES) throw new UsageError(`${source}: larger than ${MAX_SPECS_BYTES / 1024 / 1024} MB; split it`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads and parses `path` (`-`: stdin). Throws UsageError for a missing file, bad lines or too much input. */
export async function readSpecLines(path: string, stdin: NodeJS.ReadableStream): Promise<MonitorSpecInput[]> {
  if (path === "-") return parseSpecLines(await readCapped(stdin, "stdin"), "stdin");
  let text: string;
  try {
    text = await readCapped(createReadStream(path), path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--specs ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  return parseSpecLines(text, path);
}
