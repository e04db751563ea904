/**
 * Instance management and the protocol's edges, with the real SDK client (and the SDK's generated gRPC stub where
 * the client has no method: stale completion tokens, entity RPCs, a worker that vanishes).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as grpc from "@grpc/grpc-js";
import {
  OrchestrationStatus,
  PurgeInstanceCriteria,
  type OrchestrationContext,
  type OrchestrationState,
  type TaskHubGrpcClient,
} from "@microsoft/durabletask-js";
import { createRequire } from "node:module";
import { startTestHub, type TestHub } from "../helpers/hub.js";
import { eventually } from "./wait.js";

const require = createRequire(import.meta.url);
const pb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js");
const { TaskHubSidecarServiceClient } = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js");

let t: TestHub;
let client: TaskHubGrpcClient;

const quick = async function* (_ctx: OrchestrationContext, input: string): AsyncGenerator<any, string, any> {
  return `done:${input}`;
};
const blocked = async function* (ctx: OrchestrationContext): AsyncGenerator<any, unknown, any> {
  return yield ctx.waitForExternalEvent("never");
};
/** A parent, a child and a grandchild: `${id}-c` and `${id}-c-c`. */
const nested = async function* (ctx: OrchestrationContext, depth: number): AsyncGenerator<any, number, any> {
  if (depth === 0) return 0;
  const below: number = yield ctx.callSubOrchestrator(nested, depth - 1, { instanceId: `${ctx.instanceId}-c` });
  return below + 1;
};

beforeAll(async () => {
  t = await startTestHub({ token: "mgmt-token", hub: { leaseMs: 1500 } });
  const worker = t.createWorker();
  worker.addOrchestrator(quick);
  worker.addOrchestrator(blocked);
  worker.addOrchestrator(nested);
  await worker.start();
  client = t.createClient();
});

afterAll(async () => {
  await t?.stop();
});

async function all(query: Parameters<TaskHubGrpcClient["getAllInstances"]>[0], c = client): Promise<{ pages: number; states: OrchestrationState[] }> {
  let pages = 0;
  const states: OrchestrationState[] = [];
  for await (const page of c.getAllInstances(query).asPages()) {
    pages++;
    states.push(...page.values);
  }
  return { pages, states };
}

function rawStub(): any {
  return new TaskHubSidecarServiceClient(t.hub.address, grpc.credentials.createInsecure());
}

function rawCall<T>(stub: any, method: string, request: unknown, token = "mgmt-token"): Promise<T> {
  return new Promise((resolve, reject) => {
    const md = new grpc.Metadata();
    md.set("authorization", `Bearer ${token}`);
    stub[method](request, md, (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response)));
  });
}

describe("managing instances", () => {
  test("query by status and by instance-id prefix, with paging", async () => {
    for (let i = 0; i < 7; i++) await client.scheduleNewOrchestration(quick, `q${i}`, `qdone-${i}`);
    for (let i = 0; i < 3; i++) await client.scheduleNewOrchestration(blocked, undefined, `qwait-${i}`);
    for (let i = 0; i < 7; i++) await client.waitForOrchestrationCompletion(`qdone-${i}`, false, 20);
    for (let i = 0; i < 3; i++) await client.waitForOrchestrationStart(`qwait-${i}`, false, 20);

    const done = await all({ instanceIdPrefix: "qdone-", pageSize: 3, fetchInputsAndOutputs: true });
    expect(done.pages).toBe(3);
    expect(done.states.map((s) => s.instanceId).sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `qdone-${i}`));
    expect(done.states.every((s) => s.serializedOutput?.startsWith('"done:'))).toBe(true);

    const running = await all({ statuses: [OrchestrationStatus.RUNNING], instanceIdPrefix: "q", pageSize: 2 });
    expect(running.states.map((s) => s.instanceId).sort()).toEqual(["qwait-0", "qwait-1", "qwait-2"]);
    expect(running.states.every((s) => s.serializedInput === undefined)).toBe(true);

    const completedQ = await all({ statuses: [OrchestrationStatus.COMPLETED], instanceIdPrefix: "q" });
    expect(completedQ.states).toHaveLength(7);

    const future = await all({ createdFrom: new Date(Date.now() + 60_000) });
    expect(future.states).toHaveLength(0);

    const ids = await client.listInstanceIds({ runtimeStatus: [OrchestrationStatus.RUNNING], pageSize: 2 });
    expect(ids.values.length).toBeLessThanOrEqual(2);
    expect(ids.continuationToken).toBeTruthy();

    for (let i = 0; i < 3; i++) await client.terminateOrchestration(`qwait-${i}`, "cleanup");
    for (let i = 0; i < 3; i++) await client.waitForOrchestrationCompletion(`qwait-${i}`, false, 20);
  });

  test("purge by id (terminal only) and by filter", async () => {
    await client.scheduleNewOrchestration(quick, "p", "purge-one");
    await client.waitForOrchestrationCompletion("purge-one", false, 20);
    await client.scheduleNewOrchestration(blocked, undefined, "purge-running");
    await client.waitForOrchestrationStart("purge-running", false, 20);

    expect((await client.purgeOrchestration("purge-running"))?.deletedInstanceCount).toBe(0);
    expect((await client.purgeOrchestration("purge-one"))?.deletedInstanceCount).toBe(1);
    expect(await client.getOrchestrationState("purge-one")).toBeUndefined();
    expect(await client.getOrchestrationHistory("purge-one")).toEqual([]);

    for (let i = 0; i < 4; i++) await client.scheduleNewOrchestration(quick, "f", `purge-f-${i}`);
    for (let i = 0; i < 4; i++) await client.waitForOrchestrationCompletion(`purge-f-${i}`, false, 20);
    const criteria = new PurgeInstanceCriteria();
    criteria.setRuntimeStatusList([OrchestrationStatus.COMPLETED]);
    criteria.setCreatedTimeTo(new Date(Date.now() + 1000));
    const purged = await client.purgeOrchestration(criteria);
    expect(purged?.deletedInstanceCount).toBeGreaterThanOrEqual(4);
    expect((await all({ instanceIdPrefix: "purge-f-" })).states).toHaveLength(0);
    expect((await client.getOrchestrationState("purge-running"))?.runtimeStatus).toBe(OrchestrationStatus.RUNNING);
    await client.terminateOrchestration("purge-running", "cleanup");
  });

  test("purge with recursive also deletes the sub-orchestrations, at any depth; without it, only the instance", async () => {
    for (const id of ["tree-a", "tree-b"]) {
      await client.scheduleNewOrchestration(nested, 2, id);
      expect((await client.waitForOrchestrationCompletion(id, true, 20))?.serializedOutput).toBe("2");
    }
    expect((await client.purgeOrchestration("tree-a"))?.deletedInstanceCount).toBe(1);
    expect((await client.getOrchestrationState("tree-a-c"))?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    expect((await client.purgeOrchestration("tree-b", { recursive: true }))?.deletedInstanceCount).toBe(3);
    expect((await all({ instanceIdPrefix: "tree-b" })).states).toHaveLength(0);
    expect((await all({ instanceIdPrefix: "tree-a" })).states.map((s) => s.instanceId).sort()).toEqual(["tree-a-c", "tree-a-c-c"]);
  });

  test("restart under the same id and under a new id", async () => {
    await client.scheduleNewOrchestration(quick, "again", "restart-1");
    const first = await client.waitForOrchestrationCompletion("restart-1", true, 20);
    const sameId = await client.restartOrchestration("restart-1", false);
    expect(sameId).toBe("restart-1");
    const second = await client.waitForOrchestrationCompletion("restart-1", true, 20);
    expect(second?.serializedOutput).toBe(JSON.stringify("done:again"));
    expect(second!.createdAt.getTime()).toBeGreaterThanOrEqual(first!.createdAt.getTime());
    const newId = await client.restartOrchestration("restart-1", true);
    expect(newId).not.toBe("restart-1");
    expect((await client.waitForOrchestrationCompletion(newId, true, 20))?.serializedOutput).toBe(JSON.stringify("done:again"));
    await expect(client.restartOrchestration("no-such-instance")).rejects.toThrow(/not found/);
  });

  test("a wrong or missing token is refused with UNAUTHENTICATED", async () => {
    const wrong = t.createClient({ token: "not-the-token" });
    await expect(wrong.getOrchestrationState("anything")).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    const none = t.createClient({ token: "" });
    await expect(none.scheduleNewOrchestration(quick, "x")).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  test("two task hubs in one database are isolated", async () => {
    const red = t.createClient({ taskHub: "red" });
    const blue = t.createClient({ taskHub: "blue" });
    const redWorker = t.createWorker({ taskHub: "red" });
    redWorker.addOrchestrator(quick);
    await redWorker.start();
    await red.scheduleNewOrchestration(quick, "r", "hub-iso");
    await blue.scheduleNewOrchestration(quick, "b", "hub-iso"); // same id, other hub: allowed
    expect((await red.waitForOrchestrationCompletion("hub-iso", true, 20))?.serializedOutput).toBe(JSON.stringify("done:r"));
    // No worker serves "blue": its instance stays pending, and the default hub never sees either.
    expect((await blue.getOrchestrationState("hub-iso"))?.runtimeStatus).toBe(OrchestrationStatus.PENDING);
    expect(await client.getOrchestrationState("hub-iso")).toBeUndefined();
    expect((await all({ instanceIdPrefix: "hub-iso" }, blue)).states).toHaveLength(1);
  });

  test("entity and rewind RPCs answer UNIMPLEMENTED and say why", async () => {
    const stub = rawStub();
    try {
      await expect(rawCall(stub, "getEntity", new pb.GetEntityRequest())).rejects.toMatchObject({
        code: grpc.status.UNIMPLEMENTED,
        details: expect.stringMatching(/not implemented by the local hub/),
      });
      await expect(rawCall(stub, "rewindInstance", new pb.RewindInstanceRequest())).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    } finally {
      stub.close();
    }
  });

  test("a query with a continuation token the hub did not issue is INVALID_ARGUMENT, naming the token", async () => {
    const stub = rawStub();
    try {
      const wrappers = require("google-protobuf/google/protobuf/wrappers_pb.js");
      const query = new pb.InstanceQuery();
      query.setContinuationtoken(new wrappers.StringValue().setValue("not-a-token"));
      const req = new pb.QueryInstancesRequest();
      req.setQuery(query);
      await expect(rawCall(stub, "queryInstances", req)).rejects.toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        details: "Invalid continuation token 'not-a-token'.",
      });
    } finally {
      stub.close();
    }
  });

  test("a completion with an unknown token is refused", async () => {
    const stub = rawStub();
    try {
      const res = new pb.OrchestratorResponse();
      res.setInstanceid("whatever");
      res.setCompletiontoken("not-a-token");
      await expect(rawCall(stub, "completeOrchestratorTask", res)).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
      const act = new pb.ActivityResponse();
      act.setCompletiontoken("not-a-token");
      await expect(rawCall(stub, "completeActivityTask", act)).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    } finally {
      stub.close();
    }
  });
});

describe("work is never lost", () => {
  /** A fake worker on its own task hub that takes work items and never completes them. */
  function hoardingWorker(taskHub: string): { items: any[]; close(): void } {
    const stub = rawStub();
    const items: any[] = [];
    const md = new grpc.Metadata();
    md.set("authorization", "Bearer mgmt-token");
    md.set("taskhub", taskHub);
    const stream = stub.getWorkItems(new pb.GetWorkItemsRequest(), md);
    stream.on("data", (item: any) => items.push(item));
    stream.on("error", () => {});
    return {
      items,
      close() {
        stream.cancel();
        stub.close();
      },
    };
  }

  test("a work item held by a worker that disconnects goes to another worker, and its stale token is refused", async () => {
    const hub = "lost-1";
    const c = t.createClient({ taskHub: hub });
    const hoarder = hoardingWorker(hub);
    await c.scheduleNewOrchestration(quick, "x", "lost-instance");
    await eventually("hoarder got the work item", () => hoarder.items.length > 0);
    const staleToken = hoarder.items[0].getCompletiontoken();
    hoarder.close();
    const real = t.createWorker({ taskHub: hub });
    real.addOrchestrator(quick);
    await real.start();
    expect((await c.waitForOrchestrationCompletion("lost-instance", true, 20))?.serializedOutput).toBe(JSON.stringify("done:x"));
    const stub = rawStub();
    try {
      const res = new pb.OrchestratorResponse();
      res.setInstanceid("lost-instance");
      res.setCompletiontoken(staleToken);
      await expect(rawCall(stub, "completeOrchestratorTask", res)).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    } finally {
      stub.close();
    }
  });

  test("a work item not completed within its lease goes back to the queue", async () => {
    const hub = "lease-1";
    const c = t.createClient({ taskHub: hub });
    const hoarder = hoardingWorker(hub);
    try {
      await c.scheduleNewOrchestration(quick, "y", "lease-instance");
      // The hub offers it again after the 1.5 s lease (to the same, only, worker).
      await eventually("work item offered twice", () => hoarder.items.length >= 2, 15_000);
      expect(hoarder.items[1].getOrchestratorrequest().getInstanceid()).toBe("lease-instance");
      expect(hoarder.items[1].getCompletiontoken()).not.toBe(hoarder.items[0].getCompletiontoken());
    } finally {
      hoarder.close();
    }
  });
});
