/**
 * "A hub database that is not one", as every command that opens one must treat it: exit 4, the recovery hint, nothing
 * on stdout, and the file left byte for byte as it was.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";
import type { CliResult } from "./cli.js";

export async function expectNotADatabaseRefused(dbPath: string, run: () => Promise<CliResult>): Promise<void> {
  writeFileSync(dbPath, "these bytes are not a SQLite database\n".repeat(200));
  const before = readFileSync(dbPath);
  const r = await run();
  expect(r.code).toBe(4);
  expect(r.stderr).toContain(`Cannot open the hub database ${dbPath}: file is not a database`);
  expect(r.stderr).toMatch(/move it aside to start with an empty hub/);
  expect(r.stdout).toBe("");
  expect(readFileSync(dbPath).equals(before)).toBe(true);
}
