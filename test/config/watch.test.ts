/**
 * watchFileEdits: one call per burst of edits, whichever way the file is saved (in place, or replaced by a rename as
 * editors do), and a directory that does not exist yet is waited for.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchFileEdits, type FileWatch } from "../../src/config/watch.js";
import { waitFor } from "../engine/engine-helpers.js";

let watch: FileWatch | undefined;
const dirs: string[] = [];
afterEach(() => {
  watch?.close();
  watch = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), "dmt-watch-"));
  dirs.push(d);
  return d;
}

describe("watchFileEdits", () => {
  it("a burst of writes is one call; a replace by rename is seen, and so is the next in-place write", async () => {
    const dir = temp();
    const path = join(dir, "config.json");
    writeFileSync(path, "{}");
    let calls = 0;
    watch = watchFileEdits(path, () => calls++, { debounceMs: 100 });
    for (let i = 0; i < 5; i++) writeFileSync(path, `{"n": ${i}}`);
    await waitFor("one call for the burst", () => calls >= 1);
    const afterBurst = calls;
    writeFileSync(join(dir, "config.json.tmp"), '{"replaced": true}');
    renameSync(join(dir, "config.json.tmp"), path);
    await waitFor("a call for the rename", () => calls > afterBurst);
    const afterRename = calls;
    writeFileSync(path, '{"again": true}');
    await waitFor("a call for the write after the rename", () => calls > afterRename);
    expect(afterBurst).toBe(1);
  });

  it("a directory that does not exist yet: the file is seen once it is created", async () => {
    const dir = join(temp(), "not-yet");
    const path = join(dir, "config.json");
    let calls = 0;
    watch = watchFileEdits(path, () => calls++, { debounceMs: 50 });
    mkdirSync(dir);
    writeFileSync(path, "{}");
    await waitFor("a call once the file exists", () => calls >= 1, 10_000);
    const first = calls;
    writeFileSync(path, '{"edited": true}');
    await waitFor("then a directory watch for the next edit", () => calls > first, 10_000);
  });
});
