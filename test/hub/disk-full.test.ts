/**
 * A full disk, simulated with the hub's database size limit (SQLite's max_page_count fails a write with SQLITE_FULL,
 * exactly as a full disk does): the refused write is named (the database, where the room ran out, what to do), a
 * command exits 4, nothing half-written is kept, and the hub and the worker carry on once there is room again.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { OrchestrationStatus, type OrchestrationContext } from "@microsoft/durabletask-js";
import { afterAll, describe, expect, test } from "vitest";
import { FULL_RETRY_MS } from "../../src/engine/hub/backend.js";
import { Status } from "../../src/engine/hub/proto.js";
import { openSqliteStore } from "../../src/engine/hub/sqlite-store.js";
import { StorageFullError } from "../../src/engine/hub/store.js";
import { STORAGE_FULL_TRAILER } from "../../src/engine/storage-full.js";
import { startTestHub, type TestHub } from "../helpers/hub.js";
import { runMain } from "../helpers/run-main.js";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("the store on a full disk", () => {
  test("a write with no room is a StorageFullError naming the database and the limit; nothing of it is kept; it succeeds once room is freed", () => {
    const path = join(mkdtempSync(join(tmpdir(), "dmt-full-")), "hub.sqlite");
    const store = openSqliteStore(path, { maxBytes: 256 * 1024 });
    const record = (id: string, status = Status.ORCHESTRATION_STATUS_COMPLETED) => ({
      taskHub: "default",
      instanceId: id,
      executionId: "e",
      name: "o",
      status,
      input: "x".repeat(20_000),
      createdAt: NOW,
      lastUpdatedAt: NOW,
    });
    let error: unknown;
    let created = 0;
    try {
      for (; created < 100; created++) store.createInstance(record(`i-${created}`), []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as Error).message).toContain(`The hub database ${path} is full (it reached its size limit of 0.3 MB)`);
    expect(created).toBeGreaterThan(3);
    expect(store.getInstance("default", `i-${created}`)).toBeUndefined();
    expect(() => store.createInstance(record("late", Status.ORCHESTRATION_STATUS_RUNNING), [])).toThrow(StorageFullError);
    expect(store.purgeInstance("default", "i-0")).toEqual(["i-0"]);
    store.createInstance(record("late", Status.ORCHESTRATION_STATUS_RUNNING), []);
    expect(store.getInstance("default", "late")?.input).toHaveLength(20_000);
    store.close();
  });
});

const echo = async function* (_ctx: OrchestrationContext, input: string): AsyncGenerator<any, string, any> {
  return input.length.toString();
};
const waiter = async function* (ctx: OrchestrationContext): AsyncGenerator<any, string, any> {
  const value: string = yield ctx.waitForExternalEvent("go");
  return `went ${value}`;
};

describe("a hub whose disk is full", () => {
  let t: TestHub;
  const failedCommits: string[] = [];
  afterAll(() => t?.stop());

  test("refuses writes with a named error (a command exits 4), stays up, and carries on when room comes back", async () => {
    const logger = { error: (m: string, ...a: unknown[]) => failedCommits.push(format(m, ...a)), warn() {}, info() {}, debug() {} };
    t = await startTestHub({ hub: { maxDatabaseBytes: 512 * 1024, logger } });
    const worker = t.createWorker();
    worker.addOrchestrator(echo);
    worker.addOrchestrator(waiter);
    await worker.start();
    const client = t.createClient();
    const parked = t.createClient({ taskHub: "parked" }); // no worker serves it: its instances only take room
    const waiting = await client.scheduleNewOrchestration(waiter);
    await client.waitForOrchestrationStart(waiting, false, 10);

    // Fill: instances with big inputs (the finished ones are purged later to free room), then ever smaller parked ones.
    const big: string[] = [];
    const fullSince = Date.now();
    let refusal: (Error & { code?: number; metadata?: grpc.Metadata }) | undefined;
    try {
      for (let i = 0; i < 100; i++) {
        big.push(await client.scheduleNewOrchestration(echo, "b".repeat(40_000)));
        await new Promise((r) => setTimeout(r, 50));
      }
    } catch (e) {
      refusal = e as typeof refusal;
    }
    expect(refusal?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(refusal?.metadata?.get(STORAGE_FULL_TRAILER)).toEqual(["1"]);
    expect(refusal?.message).toContain(`The hub database ${t.hub.dbPath} is full (it reached its size limit of 0.5 MB)`);
    for (const size of [4000, 400, 40]) {
      for (let i = 0; i < 500; i++) {
        if (!(await parked.scheduleNewOrchestration("parked", "p".repeat(size)).then(() => true, () => false))) break;
      }
    }

    const env = { ENDPOINT: `http://${t.hub.address}` };
    const refused = await runMain(["start", "--duration", "60", "--interval", "5", "--job-id", "no-room"], { env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`The hub database ${t.hub.dbPath} is full`);
    expect(refused.stderr).toContain("— free space there, or purge finished instances; the hub keeps running");
    expect(refused.stderr).not.toMatch(/Unexpected error|\n\s+at /);

    // The hub still answers; the event may or may not fit (then its turn waits for room): either way it is not lost.
    const raised = await client.raiseOrchestrationEvent(waiting, "go", "now").then(() => true, (e: { metadata?: grpc.Metadata }) => {
      expect(e.metadata?.get(STORAGE_FULL_TRAILER)).toEqual(["1"]);
      return false;
    });
    expect((await client.getOrchestrationState(waiting))?.runtimeStatus).toBe(OrchestrationStatus.RUNNING);

    // A turn refused for want of room is offered again a second later, not in a loop.
    const perInstance = new Map<string, number>();
    for (const line of failedCommits) {
      const id = /commit of a turn of (\S+)/.exec(line)?.[1] ?? "?";
      perInstance.set(id, (perInstance.get(id) ?? 0) + 1);
    }
    const fullFor = (Date.now() - fullSince) / FULL_RETRY_MS;
    for (const count of perInstance.values()) expect(count).toBeLessThanOrEqual(fullFor + 2);
    for (const id of big) await client.purgeOrchestration(id);
    if (!raised) await client.raiseOrchestrationEvent(waiting, "go", "now");
    const finished = await client.waitForOrchestrationCompletion(waiting, true, 20);
    expect(finished?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    expect(finished?.serializedOutput).toBe(JSON.stringify("went now"));
    const accepted = await runMain(["start", "--duration", "60", "--interval", "5", "--job-id", "room-again"], { env });
    expect(accepted.stderr).toBe("");
    expect(accepted.code).toBe(0);
  }, 60_000);
});
