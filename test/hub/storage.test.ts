/** Broken storage gets a clear error (with what to do) and is never written: empty files, corrupt pages, /proc. */
import { closeSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/engine/hub/sqlite-store.js";
import { Status } from "../../src/engine/hub/proto.js";
import { StoreError } from "../../src/engine/hub/store.js";

const dir = () => mkdtempSync(join(tmpdir(), "dmt-storage-"));

describe("opening a hub database", () => {
  it("refuses an existing empty (0-byte) file, and leaves it as it was; a missing file is new", () => {
    const path = join(dir(), "hub.sqlite");
    writeFileSync(path, "");
    expect(() => openSqliteStore(path)).toThrow(StoreError);
    expect(() => openSqliteStore(path)).toThrow(/empty \(0 bytes\).*move it aside/);
    expect(statSync(path).size).toBe(0);
    const fresh = join(dir(), "new.sqlite");
    openSqliteStore(fresh).close();
    expect(statSync(fresh).size).toBeGreaterThan(0);
  });

  it("classifies a corrupt page on open (a quick check), and does not write to the file", () => {
    const path = join(dir(), "hub.sqlite");
    const store = openSqliteStore(path);
    for (let i = 0; i < 300; i++) {
      const now = Date.now() + i;
      store.createInstance({ taskHub: "default", instanceId: `i-${i}`, executionId: "e", name: "o", status: Status.ORCHESTRATION_STATUS_RUNNING, input: "x".repeat(200), createdAt: now, lastUpdatedAt: now }, []);
    }
    store.close();
    const pageSize = readFileSync(path).readUInt16BE(16) || 65536;
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, pageSize * 3);
    closeSync(fd);
    const before = readFileSync(path);
    expect(() => openSqliteStore(path)).toThrow(/malformed|not a readable hub database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("fails fast for a dbPath under /proc", () => {
    const started = Date.now();
    expect(() => openSqliteStore("/proc/self/hub.sqlite")).toThrow(/not a place for a database/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
