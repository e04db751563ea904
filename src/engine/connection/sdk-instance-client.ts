/** The SDK client as the engine's InstanceClient (the full path; wire/wire-client.ts is the lean one). */
import type { TaskHubGrpcClient } from "@microsoft/durabletask-js";
import type { InstanceClient } from "../instance-client.js";
import { queryInstances } from "../query.js";
import { isSdkTimeout } from "../sdk-seam.js";

export function sdkInstanceClient(client: TaskHubGrpcClient): InstanceClient {
  return {
    getInstance: (instanceId, withPayloads) => client.getOrchestrationState(instanceId, withPayloads),
    queryInstances: (filter) => queryInstances(client, filter),
    scheduleNew: (name, input, options = {}) => client.scheduleNewOrchestration(name, input, { instanceId: options.instanceId, startAt: options.startAt }),
    async waitUntilStarted(instanceId, timeoutMs) {
      try {
        await client.waitForOrchestrationStart(instanceId, false, timeoutMs / 1000);
        return true;
      } catch (error) {
        if (isSdkTimeout(error)) return false;
        throw error;
      }
    },
  };
}
