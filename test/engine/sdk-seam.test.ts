/**
 * The SDK seam (src/engine/sdk-seam.ts) against the installed SDK: every private field, generated file and log event
 * id it relies on is there with the type it expects. Fails on an SDK upgrade that moves any of them.
 */
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  InMemoryOrchestrationBackend,
  NoOpLogger,
  TaskHubGrpcClient,
  TaskHubGrpcWorker,
  TestOrchestrationClient,
  TestOrchestrationWorker,
  type OrchestrationContext,
} from "@microsoft/durabletask-js";
import {
  SDK_CHATTY_EVENTS,
  SDK_EVENTS,
  closeClientChannel,
  interceptWorkItems,
  isSdkTimeout,
  pb,
  pendingEventWaiters,
  serviceDefinition,
  wellKnownTypes,
  workerBackoff,
} from "../../src/engine/sdk-seam.js";

const require = createRequire(import.meta.url);
const ourPackage = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
const sdkPackagePath = require.resolve("@microsoft/durabletask-js/package.json");
const sdkPackage = JSON.parse(readFileSync(sdkPackagePath, "utf8"));

describe("the SDK seam", () => {
  it("the SDK is pinned to the exact installed version; google-protobuf is declared and is the SDK's own copy", () => {
    expect(ourPackage.dependencies["@microsoft/durabletask-js"]).toBe(sdkPackage.version);
    expect(ourPackage.dependencies["google-protobuf"]).toBeDefined();
    const fromSdk = createRequire(sdkPackagePath).resolve("google-protobuf");
    expect(realpathSync(require.resolve("google-protobuf"))).toBe(realpathSync(fromSdk));
  });

  it("the generated protocol files load, with the messages and service methods the hub uses", () => {
    for (const message of ["HistoryEvent", "OrchestratorAction", "OrchestratorRequest", "OrchestratorResponse", "WorkItem", "TaskFailureDetails"]) {
      expect(typeof (pb as unknown as Record<string, unknown>)[message], message).toBe("function");
    }
    expect(typeof pb.OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED).toBe("number");
    for (const method of ["getWorkItems", "startInstance", "completeOrchestratorTask", "completeActivityTask", "raiseEvent", "terminateInstance"]) {
      expect(serviceDefinition[method]?.path, method).toMatch(/^\/TaskHubSidecarService\//);
    }
    const ts = new wellKnownTypes.Timestamp().setSeconds(12).setNanos(5_000_000);
    expect(ts.toDate().getTime()).toBe(12_005);
    expect(new wellKnownTypes.StringValue().setValue("x").getValue()).toBe("x");
    // The SDK's messages accept our wrappers: one google-protobuf instance on both sides.
    const event = new pb.ExecutionStartedEvent().setInput(new wellKnownTypes.StringValue().setValue("in"));
    expect(pb.ExecutionStartedEvent.deserializeBinary(event.serializeBinary()).getInput()?.getValue()).toBe("in");
  });

  it("the worker log event ids are numbers, all different", () => {
    const ids = [...Object.values(SDK_EVENTS), ...SDK_CHATTY_EVENTS];
    for (const id of ids) expect(Number.isInteger(id), String(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(SDK_CHATTY_EVENTS.size).toBe(14);
  });

  it("the worker's reconnect backoff has the methods and numeric fields tameSdkBackoff replaces", () => {
    const worker = new TaskHubGrpcWorker({ hostAddress: "127.0.0.1:1", logger: new NoOpLogger() });
    const backoff = workerBackoff(worker);
    expect(backoff).toBeDefined();
    expect(backoff!.peekNextDelay()).toBeGreaterThan(0);
    expect(backoff!._attemptCount).toBe(0);
    expect(backoff!._multiplier).toBeGreaterThan(1);
    expect(backoff!._maxDelayMs).toBeGreaterThanOrEqual(backoff!._currentDelayMs);
  });

  it("the SDK's timeout is recognised by its class, not by its text", () => {
    // The positive case runs on the real client in engine-facade.test.ts (waitForCompletion past its timeout).
    expect(isSdkTimeout(new Error("Timed out waiting for orchestration 'x' to complete after 1s"))).toBe(false);
    expect(isSdkTimeout(undefined)).toBe(false);
  });

  it("the worker runs activity and orchestrator work items through the two executors the drain wraps", () => {
    const worker = new TaskHubGrpcWorker({ hostAddress: "127.0.0.1:1", logger: new NoOpLogger() });
    const seen: string[] = [];
    const wrap = (kind: string) => () => async (_request: unknown, token: string) => {
      seen.push(`${kind}:${token}`);
    };
    expect(interceptWorkItems(worker, { activity: wrap("activity"), orchestrator: wrap("orchestrator") })).toBe(true);
    // The SDK's dispatch methods (called from its stream's data handler) go through the wrapped executors.
    const w = worker as unknown as Record<string, (req: unknown, token: string, stub: unknown) => void>;
    w._executeActivity!({}, "a1", {});
    w._executeOrchestrator!({ getInstanceid: () => "i" }, "o1", {});
    expect(seen).toEqual(["activity:a1", "orchestrator:o1"]);
  });

  it("the client's channel closes through its stub", async () => {
    const client = new TaskHubGrpcClient({ hostAddress: "127.0.0.1:1", logger: new NoOpLogger() });
    expect(closeClientChannel(client)).toBe(true);
  });

  it("an orchestration context keeps its event waiters by name", async () => {
    const backend = new InMemoryOrchestrationBackend();
    const worker = new TestOrchestrationWorker(backend);
    const client = new TestOrchestrationClient(backend);
    let waiting: string[] | undefined;
    const name = worker.addNamedOrchestrator("waits", async function* (ctx: OrchestrationContext): any {
      const go = ctx.waitForExternalEvent("go");
      waiting = Object.keys(pendingEventWaiters(ctx) ?? {});
      return yield go;
    });
    await worker.start();
    try {
      const id = await client.scheduleNewOrchestration(name);
      await client.waitForOrchestrationStart(id, false, 10);
      await client.raiseOrchestrationEvent(id, "go", 1);
      const state = await client.waitForOrchestrationCompletion(id, true, 10);
      expect(state?.serializedOutput).toBe("1");
    } finally {
      await worker.stop();
    }
    expect(waiting).toContain("go");
  });
});
