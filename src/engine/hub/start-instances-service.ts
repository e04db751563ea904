/** The hub's StartInstances handler (start-instances-protocol.ts): every instance created at once, so one commit holds them. */
import * as grpc from "@grpc/grpc-js";
import type { HubBackend } from "./backend.js";
import { RpcError, type CallKit } from "./grpc-service.js";
import { MAX_START_INSTANCES, type StartInstance, type StartInstancesResponse } from "./start-instances-protocol.js";

/** The request's instances, or RpcError(INVALID_ARGUMENT) naming what is wrong. */
function instancesOf(request: unknown): StartInstance[] {
  const instances = (request as { instances?: unknown } | undefined)?.instances;
  if (!Array.isArray(instances)) throw new RpcError(grpc.status.INVALID_ARGUMENT, "StartInstances: the request must be JSON { instances: [...] }.");
  if (instances.length > MAX_START_INSTANCES) {
    throw new RpcError(grpc.status.INVALID_ARGUMENT, `StartInstances: ${instances.length} instances in one call, over the limit of ${MAX_START_INSTANCES}.`);
  }
  instances.forEach((item: Partial<Record<keyof StartInstance, unknown>>, i) => {
    const ok =
      typeof item === "object" && item !== null &&
      typeof item.name === "string" && item.name !== "" &&
      typeof item.instanceId === "string" && item.instanceId !== "" &&
      (item.input === undefined || typeof item.input === "string");
    if (!ok) throw new RpcError(grpc.status.INVALID_ARGUMENT, `StartInstances: instance ${i + 1} needs a name, an instanceId and a string input (or none).`);
  });
  return instances as StartInstance[];
}

export function startInstancesHandlers(backend: HubBackend, kit: CallKit): grpc.UntypedServiceImplementation {
  return {
    startInstances: kit.unary("StartInstances", async (request: unknown, taskHub): Promise<StartInstancesResponse> => {
      const instances = instancesOf(request);
      const instanceIds = await Promise.all(instances.map((i) => backend.createInstance(taskHub, { name: i.name, instanceId: i.instanceId, input: i.input })));
      return { instanceIds };
    }),
  };
}
