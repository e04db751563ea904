/**
 * The watch feed against a backend that does not know our watch token (DTS, its emulator, an older hub): it falls
 * back to the paged query, once, and keeps listing that way. The backend here is a stand-in for the outside world: a
 * gRPC server answering QueryInstances with the SDK's own messages, either refusing the token (INVALID_ARGUMENT, as a
 * backend does with a continuation token it did not issue) or ignoring it (a plain page).
 */
import { Server, ServerCredentials, status, type ServiceDefinition, type sendUnaryData } from "@grpc/grpc-js";
import { NoOpLogger, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { afterEach, describe, expect, it } from "vitest";
import { pb, stringValue, unwrap } from "../../src/engine/hub/proto.js";
import { isWatchToken } from "../../src/engine/hub/watch-token.js";
import { hubWatchFeed } from "../../src/engine/instance-feed.js";

type Behaviour = "refuses" | "ignores";

const raw = { serialize: (b: Buffer) => b, deserialize: (b: Buffer) => b };
const definition = {
  QueryInstances: {
    path: "/TaskHubSidecarService/QueryInstances",
    requestStream: false,
    responseStream: false,
    requestSerialize: raw.serialize,
    requestDeserialize: raw.deserialize,
    responseSerialize: raw.serialize,
    responseDeserialize: raw.deserialize,
  },
} as unknown as ServiceDefinition;

/** A backend with three instances, served two per page with its own continuation tokens ("page-2"). */
async function startBackend(behaviour: Behaviour) {
  const tokens: Array<string | undefined> = [];
  const server = new Server();
  server.addService(definition, {
    QueryInstances: (call: { request: Buffer }, callback: sendUnaryData<Buffer>) => {
      const token = unwrap(pb.QueryInstancesRequest.deserializeBinary(call.request).getQuery()?.getContinuationtoken());
      tokens.push(token);
      if (token && isWatchToken(token) && behaviour === "refuses") return callback({ code: status.INVALID_ARGUMENT, details: `Invalid continuation token '${token}'.` });
      const ids = token === "page-2" ? ["c"] : ["a", "b"];
      const res = new pb.QueryInstancesResponse();
      res.setOrchestrationstateList(
        ids.map((id) => {
          const state = new pb.OrchestrationState();
          state.setInstanceid(id);
          state.setName("TheirOrchestrator");
          state.setOrchestrationstatus(pb.OrchestrationStatus.ORCHESTRATION_STATUS_RUNNING);
          return state;
        }),
      );
      if (token !== "page-2") res.setContinuationtoken(stringValue("page-2"));
      callback(null, Buffer.from(res.serializeBinary()));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const client = new TaskHubGrpcClient({ hostAddress: `127.0.0.1:${port}`, logger: new NoOpLogger() });
  return {
    client,
    tokens,
    stop: async () => {
      await client.stop();
      server.forceShutdown();
    },
  };
}

describe("the watch feed on a backend without a change log", () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  for (const behaviour of ["refuses", "ignores"] as const) {
    it(`falls back to the paged query once when the backend ${behaviour} the watch token, and lists every instance each refresh`, async () => {
      const backend = await startBackend(behaviour);
      stops.push(backend.stop);
      const fallbacks: string[] = [];
      const feed = hubWatchFeed(() => backend.client, {}, (why) => fallbacks.push(why));

      for (let refresh = 0; refresh < 2; refresh++) {
        const seen: string[] = [];
        const kind = await feed.refresh(async (page) => {
          seen.push(...page.states.map((s) => s.instanceId));
        });
        expect(kind, `refresh ${refresh}`).toBe("list");
        expect(seen.sort(), `refresh ${refresh}`).toEqual(["a", "b", "c"]);
      }
      expect(fallbacks).toHaveLength(1);
      expect(fallbacks[0]).toMatch(behaviour === "refuses" ? /refused a watch token/ : /plain page/);
      // One watch token was ever sent; after it, plain paged queries only (first page, then the backend's own token).
      expect(backend.tokens.filter((t) => t !== undefined && isWatchToken(t))).toHaveLength(1);
      expect(backend.tokens.slice(1)).toEqual([undefined, "page-2", undefined, "page-2"]);
    });
  }
});
