/**
 * The client side of our hub's StartInstances (engine/hub/start-instances-protocol.ts): many orchestrations started in
 * a few calls. The caller gives the instance ids (random UUIDs, drawn once: a retry sends the same ones), and the input
 * is serialized as the SDK's client does (JSON.stringify), so an instance started this way is indistinguishable from
 * one started by scheduleNewOrchestration.
 */
import { Client, status, type ServiceError } from "@grpc/grpc-js";
import { MAX_START_INSTANCES, START_INSTANCES_PATH, startInstancesDefinition, type StartInstancesResponse } from "../hub/start-instances-protocol.js";
import { channelCredentials, channelOptions, type ChannelTarget } from "./channel.js";

const METHOD = startInstancesDefinition.startInstances!;

/** The deadline of each call (one call carries up to MAX_START_INSTANCES instances). */
const CALL_DEADLINE_MS = 60_000;

/** One orchestration to start: its instance id and its input (any JSON value). */
export interface InstanceToStart {
  instanceId: string;
  input: unknown;
}

/**
 * Starts one orchestration named `name` per entry, in calls of up to MAX_START_INSTANCES; resolves with the ids in the
 * entries' order, or with undefined when the hub does not offer StartInstances (a hub of an earlier release: the caller
 * starts them one call each). Rejects with the call's ServiceError otherwise (instances of earlier calls stay started).
 */
export async function startInstances(target: ChannelTarget, name: string, entries: readonly InstanceToStart[]): Promise<string[] | undefined> {
  const client = new Client(target.address, channelCredentials(target.useTls), channelOptions());
  try {
    const ids: string[] = [];
    for (let at = 0; at < entries.length; at += MAX_START_INSTANCES) {
      const instances = entries.slice(at, at + MAX_START_INSTANCES).map(({ instanceId, input }) => ({ name, instanceId, input: JSON.stringify(input) }));
      const metadata = await target.metadata();
      const response = await new Promise<StartInstancesResponse | undefined>((resolve, reject) => {
        client.makeUnaryRequest(
          START_INSTANCES_PATH,
          METHOD.requestSerialize,
          METHOD.responseDeserialize as (bytes: Buffer) => StartInstancesResponse,
          { instances },
          metadata,
          { deadline: Date.now() + CALL_DEADLINE_MS },
          (error: ServiceError | null, value?: StartInstancesResponse) => {
            if (error?.code === status.UNIMPLEMENTED && at === 0) resolve(undefined);
            else if (error) reject(error);
            else resolve(value);
          },
        );
      });
      if (!response) return undefined;
      ids.push(...response.instanceIds);
    }
    return ids;
  } finally {
    client.close();
  }
}
