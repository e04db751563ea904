/**
 * The hub's size limits, with the real SDK worker and client: a client request over a limit is refused
 * (RESOURCE_EXHAUSTED naming the field, its size and the limit), an orchestrator turn over one fails that
 * orchestration with the reason, an activity result over one is that activity's failure. And a hub holding big
 * inputs (stored before the limits, or with raised ones) still lists: queries carry no inputs or outputs.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { OrchestrationStatus, type ActivityContext, type OrchestrationContext, type TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { createEngine } from "../../src/engine/create-engine.js";
import { UsageError } from "../../src/errors.js";
import { Status } from "../../src/engine/hub/proto.js";
import { openSqliteStore } from "../../src/engine/hub/sqlite-store.js";
import { startTestHub, type TestHub } from "../helpers/hub.js";
import { endpointProfile } from "../engine/engine-helpers.js";

const LIMITS = { inputBytes: 1024, outputBytes: 1024, customStatusBytes: 512, eventBytes: 1024, historyBytes: 8 * 1024 };

const big = async (_ctx: ActivityContext, n: number) => "r".repeat(n);
const chatty = async function* (ctx: OrchestrationContext, n: number): AsyncGenerator<any, string, any> {
  ctx.setCustomStatus("s".repeat(n));
  yield ctx.createTimer(0);
  return "never";
};
const verbose = async function* (_ctx: OrchestrationContext, n: number): AsyncGenerator<any, string, any> {
  return "o".repeat(n);
};
const collector = async function* (ctx: OrchestrationContext, n: number): AsyncGenerator<any, string, any> {
  try {
    yield ctx.callActivity(big, n);
    return "kept";
  } catch (error) {
    return `activity failed: ${(error as Error).message}`;
  }
};
const hoarder = async function* (ctx: OrchestrationContext): AsyncGenerator<any, string, any> {
  for (let i = 0; i < 20; i++) yield ctx.callActivity(big, 900);
  return "all kept";
};

let t: TestHub;
let client: TaskHubGrpcClient;
beforeAll(async () => {
  t = await startTestHub({ hub: { limits: LIMITS } });
  const worker = t.createWorker();
  for (const o of [chatty, verbose, collector, hoarder]) worker.addOrchestrator(o);
  worker.addActivity(big);
  await worker.start();
  client = t.createClient();
});
afterAll(() => t?.stop());

const finished = (id: string) => client.waitForOrchestrationCompletion(id, true, 30);

describe("hub size limits", () => {
  test("a start or an event over the limit is refused with RESOURCE_EXHAUSTED naming the field and the limit", async () => {
    await expect(client.scheduleNewOrchestration(verbose, "i".repeat(2000))).rejects.toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: expect.stringContaining("The input is 2.0 KiB, over the hub's limit of 1 KiB"),
    });
    const id = await client.scheduleNewOrchestration(chatty, 10);
    await expect(client.raiseOrchestrationEvent(id, "go", "e".repeat(3000))).rejects.toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: expect.stringContaining("The data of event 'go' is"),
    });
  });

  test("a custom status or an output over the limit fails the orchestration with the reason", async () => {
    const loud = await finished(await client.scheduleNewOrchestration(chatty, 600));
    expect(loud?.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(loud?.failureDetails?.message).toContain("The custom status is 602 B, over the hub's limit of 512 B");
    const long = await finished(await client.scheduleNewOrchestration(verbose, 5000));
    expect(long?.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(long?.failureDetails?.message).toContain("The output is 4.9 KiB");
    expect((await finished(await client.scheduleNewOrchestration(verbose, 10)))?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
  });

  test("an activity result over the limit is that activity's failure; a history over the limit fails the orchestration", async () => {
    const collected = await finished(await client.scheduleNewOrchestration(collector, 4000));
    expect(collected?.serializedOutput).toContain("The result of activity 'big' is 3.9 KiB, over the hub's limit of 1 KiB");
    const hoarded = await finished(await client.scheduleNewOrchestration(hoarder));
    expect(hoarded?.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(hoarded?.failureDetails?.message).toMatch(/The history of this execution would be .* over the hub's limit of 8 KiB/);
  });

  test("the engine turns the refusal into a usage error (exit 2)", async () => {
    const engine = await createEngine({ profile: endpointProfile(t.hub.address), withWorker: false, logFile: join(t.dir, "log.txt") });
    try {
      const error = await engine.start({ kind: "http", target: { url: "http://127.0.0.1:1/s", headers: { big: "h".repeat(4000) } } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain("over the hub's limit");
    } finally {
      await engine.close();
    }
  });
});

describe("a hub holding big inputs", () => {
  test("three 25 MB inputs stored before the limits (75 MB, over one 64 MB gRPC message): list works and carries no input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dmt-big-"));
    const dbPath = join(dir, "hub.sqlite");
    // Written straight into the database, as a hub without limits left it (through gRPC a 25 MB start takes a minute).
    const store = openSqliteStore(dbPath);
    const input = JSON.stringify("p".repeat(25 * 1024 * 1024));
    for (let i = 0; i < 3; i++) {
      const now = Date.now() + i;
      store.createInstance({ taskHub: "default", instanceId: `big-${i}`, executionId: "e", name: "someone-elses-orchestration", status: Status.ORCHESTRATION_STATUS_RUNNING, input, createdAt: now, lastUpdatedAt: now }, []);
    }
    store.close();
    const roomy = await startTestHub({ dbPath });
    try {
      const engine = await createEngine({ profile: endpointProfile(roomy.hub.address), withWorker: false, logFile: join(roomy.dir, "log.txt") });
      try {
        const rows = await engine.list();
        expect(rows.map((r) => r.instanceId).sort()).toEqual(["big-0", "big-1", "big-2"]);
        expect(rows.every((r) => r.spec === undefined && r.runtimeStatus === "Running")).toBe(true);
      } finally {
        await engine.close();
      }
    } finally {
      await roomy.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
