/** The one seam into the SDK's private parts for queries (src/engine/query.ts): this fails the day it moves. */
import { describe, expect, it } from "vitest";
import { TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { keepCustomStatusWithoutPayloads } from "../../src/engine/query.js";
import { pb, stringValue } from "../../src/engine/hub/proto.js";

describe("query seam", () => {
  it("keeps the custom status of a state queried without payloads, and only that", async () => {
    const client = new TaskHubGrpcClient({ hostAddress: "127.0.0.1:1" });
    try {
      expect(keepCustomStatusWithoutPayloads(client)).toBe(true);
      const proto = new pb.OrchestrationState();
      proto.setInstanceid("i");
      proto.setName("n");
      proto.setCustomstatus(stringValue('{"step":1}'));
      proto.setInput(stringValue('"big"'));
      const build = (client as unknown as { _createOrchestrationStateFromProto(p: unknown, f: boolean): { serializedCustomStatus?: string; serializedInput?: string } })
        ._createOrchestrationStateFromProto;
      const state = build.call(client, proto, false);
      expect(state.serializedCustomStatus).toBe('{"step":1}');
      expect(state.serializedInput).toBeUndefined();
    } finally {
      await client.stop();
    }
  });
});
