/**
 * The store's instance cache alone (least recently used out, bounded in entries and in bytes: histories and payloads),
 * and the commit batcher's fallback: when one write of a batch throws, the batch is rolled back and every write is
 * retried in a transaction of its own, so only the failing one fails.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CommitBatcher } from "../../src/engine/hub/commit-batcher.js";
import { InstanceCache } from "../../src/engine/hub/instance-cache.js";
import { Status } from "../../src/engine/hub/proto.js";
import { openSqliteStore } from "../../src/engine/hub/sqlite-store.js";
import { InstanceExistsError, type InstanceRecord } from "../../src/engine/hub/store.js";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const record = (instanceId: string, extra: Partial<InstanceRecord> = {}): InstanceRecord => ({
  taskHub: "default",
  instanceId,
  executionId: "e",
  name: "o",
  status: Status.ORCHESTRATION_STATUS_RUNNING,
  createdAt: NOW,
  lastUpdatedAt: NOW,
  ...extra,
});

describe("InstanceCache", () => {
  test("evicts the least recently used beyond its entries; keeps no terminal instance; hands out copies", () => {
    const cache = new InstanceCache(2, 1024 * 1024);
    const a = record("a");
    cache.put(a);
    cache.put(record("b"));
    cache.put(record("a", { customStatus: '"again"' })); // a is now the most recent
    cache.put(record("c"));
    expect(cache.get("default", "b")).toBeUndefined();
    expect(cache.get("default", "a")?.record.customStatus).toBe('"again"');
    expect(cache.usage().entries).toBe(2);
    cache.put(record("c", { status: Status.ORCHESTRATION_STATUS_COMPLETED }));
    expect(cache.get("default", "c")).toBeUndefined();
    a.customStatus = "changed after put";
    expect(cache.get("default", "a")?.record.customStatus).toBe('"again"');
    expect(cache.get("other-hub", "a")).toBeUndefined();
  });

  test("counts payloads and histories against its byte budget: a big input is not held past it", () => {
    const cache = new InstanceCache(100, 64 * 1024);
    cache.put(record("small", { input: "x".repeat(1000) }), [new Uint8Array(1000)]);
    expect(cache.usage().bytes).toBeGreaterThan(2000);
    cache.put(record("big", { input: "x".repeat(100 * 1024) }));
    expect(cache.get("default", "big")).toBeUndefined();
    expect(cache.usage().bytes).toBeLessThanOrEqual(64 * 1024);
    for (let i = 0; i < 40; i++) cache.put(record(`h${i}`), [new Uint8Array(4096)]);
    expect(cache.usage().bytes).toBeLessThanOrEqual(64 * 1024);
    expect(cache.get("default", "h39")).toBeDefined();
    expect(cache.get("default", "small")).toBeUndefined();
    cache.forget("default", "h39");
    cache.clear();
    expect(cache.usage()).toEqual({ entries: 0, bytes: 0 });
  });
});

describe("CommitBatcher", () => {
  test("a failing write fails alone: the batch is rolled back and each write retried in its own transaction", async () => {
    const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), "dmt-batcher-")), "hub.sqlite"));
    try {
      const batcher = new CommitBatcher(store);
      store.createInstance(record("taken"), []);
      const message = (instanceId: string) => ({ taskHub: "default", instanceId, event: new Uint8Array([1]), visibleAt: NOW });
      // Queued in one tick: one batch. The second write adds a message and then throws: nothing of it may stay.
      const first = batcher.run(() => store.createInstance(record("first"), [message("first")]));
      const failing = batcher.run(() => {
        store.addMessages([message("taken")]);
        store.createInstance(record("taken"), []);
      });
      const third = batcher.run(() => store.addMessages([message("third")]));
      await expect(first).resolves.toBeUndefined();
      await expect(failing).rejects.toBeInstanceOf(InstanceExistsError);
      expect(await third).toHaveLength(1);
      expect(store.getInstance("default", "first")).toBeDefined();
      expect(store.readInbox("default", "first", NOW)).toHaveLength(1);
      expect(store.readInbox("default", "taken", NOW)).toHaveLength(0);
      expect(store.readInbox("default", "third", NOW)).toHaveLength(1);
      // The batch's transaction rolled back; then two commits, one per write that succeeded.
      expect(batcher.stats).toEqual({ commits: 2, writes: 2 });
      // A batch where nothing fails is one commit.
      await Promise.all([1, 2, 3].map((i) => batcher.run(() => store.addMessages([message(`ok-${i}`)]))));
      expect(batcher.stats).toEqual({ commits: 3, writes: 5 });
    } finally {
      store.close();
    }
  });
});
