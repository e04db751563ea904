/**
 * StartInstances, our hub's bulk start (`start --specs`): many instances per call, in order, the same as the SDK's
 * StartInstance would make them; refused without the token or with a malformed request; a hub without it makes the
 * client say so (undefined) instead of failing, so the caller can start them one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";
import { startInstances } from "../../src/engine/connection/start-instances.js";
import { START_INSTANCES_PATH, startInstancesDefinition } from "../../src/engine/hub/start-instances-protocol.js";
import { metadataFor, startTestHub, type TestHub } from "../helpers/hub.js";

const TOKEN = "start-instances-token";

describe("StartInstances", () => {
  let t: TestHub;
  const target = (token = TOKEN) => ({ address: t.hub.address, useTls: false, metadata: metadataFor("default", token) });

  beforeAll(async () => {
    t = await startTestHub({ token: TOKEN });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("starts every input's instance (over several calls past 500), ids in order, readable by the SDK's client", async () => {
    const entries = Array.from({ length: 620 }, (_, i) => ({ instanceId: randomUUID(), input: { n: i, text: `input ${i}` } }));
    const ids = await startInstances(target(), "Bulk.Orchestrator", entries);
    expect(ids).toEqual(entries.map((e) => e.instanceId));
    const client = t.createClient();
    for (const i of [0, 499, 500, 619]) {
      const state = await client.getOrchestrationState(ids![i]!, true);
      expect(state?.name).toBe("Bulk.Orchestrator");
      expect(JSON.parse(state!.serializedInput!)).toEqual({ n: i, text: `input ${i}` });
    }
  });

  it("needs the hub's token", async () => {
    await expect(startInstances(target("wrong"), "Bulk.Orchestrator", [{ instanceId: randomUUID(), input: {} }])).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it("refuses a malformed request, or more than 500 instances in one call, as INVALID_ARGUMENT", async () => {
    const client = new grpc.Client(t.hub.address, grpc.credentials.createInsecure());
    const method = startInstancesDefinition.startInstances!;
    const send = (request: unknown) =>
      new Promise<grpc.ServiceError | null>((resolve) => {
        void metadataFor("default", TOKEN)().then((metadata) =>
          client.makeUnaryRequest(START_INSTANCES_PATH, method.requestSerialize, method.responseDeserialize, request, metadata, (error) => resolve(error)),
        );
      });
    try {
      expect(await send({ instances: [{ instanceId: "no-name" }] })).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/instance 1 needs a name/) });
      expect(await send({ nothing: true })).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
      const many = Array.from({ length: 501 }, (_, i) => ({ name: "X", instanceId: `too-many-${i}` }));
      expect(await send({ instances: many })).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/501 instances/) });
      expect(await t.createClient().getOrchestrationState("too-many-0")).toBeUndefined();
    } finally {
      client.close();
    }
  });

  it("a hub without StartInstances (an earlier release): undefined, so the caller starts them one by one", async () => {
    const older = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      older.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
    );
    try {
      expect(await startInstances({ address: `127.0.0.1:${port}`, useTls: false, metadata: metadataFor("default", TOKEN) }, "X", [{ instanceId: randomUUID(), input: {} }])).toBeUndefined();
    } finally {
      older.forceShutdown();
    }
  });
});
