/** The log file is rotated at its size cap, a few old files kept, so a noisy monitor cannot fill the disk. */
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFileLogger, KEPT_LOG_FILES } from "../../src/logging.js";

describe("log rotation", () => {
  it("keeps the log and at most three old files, each near the cap", () => {
    const dir = mkdtempSync(join(tmpdir(), "dmt-log-"));
    const file = join(dir, "app.log");
    const cap = 16 * 1024;
    const log = createFileLogger(file, "test", "info", cap);
    for (let i = 0; i < 2000; i++) log.info("line %d %s", i, "x".repeat(100));
    const files = readdirSync(dir).sort();
    expect(files).toEqual(["app.log", "app.log.1", "app.log.2", "app.log.3"]);
    expect(KEPT_LOG_FILES).toBe(3);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThan(cap + 17 * 1024);
    expect(existsSync(`${file}.4`)).toBe(false);
  });
});
