/**
 * Store.hasInstanceNamed: the question our worker asks of the hub it owns before it registers the legacy `monitor`
 * name (monitor/legacy.ts), one indexed read instead of listing every unfinished instance over gRPC.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Status } from "../../src/engine/hub/proto.js";
import { openSqliteStore } from "../../src/engine/hub/sqlite-store.js";

const UNFINISHED = [Status.ORCHESTRATION_STATUS_RUNNING, Status.ORCHESTRATION_STATUS_PENDING, Status.ORCHESTRATION_STATUS_SUSPENDED];

describe("hasInstanceNamed", () => {
  it("finds an instance of that name in one of the statuses, in that task hub only", () => {
    const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), "dmt-named-")), "hub.sqlite"));
    const add = (taskHub: string, instanceId: string, name: string, status: number) =>
      store.createInstance({ taskHub, instanceId, executionId: "e", name, status, createdAt: 1000, lastUpdatedAt: 1000 }, []);
    add("default", "a", "monitor", Status.ORCHESTRATION_STATUS_COMPLETED);
    add("default", "b", "DurableMonitorTui.Monitor", Status.ORCHESTRATION_STATUS_RUNNING);
    add("other", "c", "monitor", Status.ORCHESTRATION_STATUS_RUNNING);
    expect(store.hasInstanceNamed("default", "monitor", UNFINISHED)).toBe(false);
    expect(store.hasInstanceNamed("other", "monitor", UNFINISHED)).toBe(true);
    expect(store.hasInstanceNamed("default", "monitor", [Status.ORCHESTRATION_STATUS_COMPLETED])).toBe(true);
    expect(store.hasInstanceNamed("default", "monitor", [])).toBe(false);
    add("default", "d", "monitor", Status.ORCHESTRATION_STATUS_SUSPENDED);
    expect(store.hasInstanceNamed("default", "monitor", UNFINISHED)).toBe(true);
    store.close();
  });
});
