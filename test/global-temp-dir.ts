/**
 * Vitest global setup: every temp dir of a test run (made by tests, the CLI and hub child processes, through
 * `os.tmpdir()`) lives under one root made here, and the root is removed when the run ends, passed or failed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "dmt-test-run-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
