/** The SDK client as the engine's InstanceClient (the full path; wire/wire-client.ts is the lean one). */
import { PurgeInstanceCriteria, type TaskHubGrpcClient } from "@microsoft/durabletask-js";
import type { InstanceClient } from "../instance-client.js";
import { OrchestrationStatusCode } from "../instance-client.js";
import { queryInstances } from "../query.js";

/** How often waitUntilStarted looks: a running worker picks a new instance up within tens of milliseconds. */
const PICKUP_POLL_MS = 25;

export function sdkInstanceClient(client: TaskHubGrpcClient): InstanceClient {
  return {
    getInstance: (instanceId, withPayloads) => client.getOrchestrationState(instanceId, withPayloads),
    queryInstances: (filter) => queryInstances(client, filter),
    scheduleNew: (name, input, options = {}) => client.scheduleNewOrchestration(name, input, { instanceId: options.instanceId, startAt: options.startAt }),
    raiseEvent: (instanceId, name, data) => client.raiseOrchestrationEvent(instanceId, name, data),
    terminate: (instanceId, output) => client.terminateOrchestration(instanceId, output),
    suspend: (instanceId) => client.suspendOrchestration(instanceId),
    resume: (instanceId) => client.resumeOrchestration(instanceId),
    async purge(target) {
      if (typeof target === "string") return (await client.purgeOrchestration(target))?.deletedInstanceCount ?? 0;
      const criteria = new PurgeInstanceCriteria();
      criteria.setRuntimeStatusList([...target.statuses]);
      if (target.createdTo) criteria.setCreatedTimeTo(target.createdTo);
      return (await client.purgeOrchestration(criteria))?.deletedInstanceCount ?? 0;
    },
    restart: (instanceId, newInstanceId) => client.restartOrchestration(instanceId, newInstanceId),
    // Polled: the SDK's waitForOrchestrationStart only races its call against a timer, and the call it leaves open
    // (no deadline; grpc-js does not cancel it on close) would keep the process alive until the instance starts.
    async waitUntilStarted(instanceId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const state = await client.getOrchestrationState(instanceId, false);
        if (!state || state.runtimeStatus !== OrchestrationStatusCode.PENDING) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, PICKUP_POLL_MS));
      }
    },
  };
}
