/**
 * A method of our own beside the Durable Task sidecar protocol, served by our hub only: StartInstances starts many
 * orchestrations in one call (`start --specs`: a thousand monitors cost one round trip and one commit instead of a
 * thousand). JSON on the wire (the SDK's generated protobuf has no such message); the same token and `taskhub` header
 * as every call. A hub without it answers UNIMPLEMENTED, and clients start the instances one call each instead.
 */
import type { ServiceDefinition } from "@grpc/grpc-js";

export const START_INSTANCES_PATH = "/durablemonitortui.LocalHub/StartInstances";

/** The most instances one call may start (clients send bigger batches in slices of this size). */
export const MAX_START_INSTANCES = 500;

export interface StartInstance {
  name: string;
  instanceId: string;
  /** The serialized input (JSON text), as StartInstance's `input`. */
  input?: string;
}

export interface StartInstancesRequest {
  instances: StartInstance[];
}

export interface StartInstancesResponse {
  instanceIds: string[];
}

const toJson = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), "utf8");

/** Malformed JSON becomes `undefined`, which the handler refuses as INVALID_ARGUMENT (a throw here would be INTERNAL). */
function fromJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

export const startInstancesDefinition: ServiceDefinition = {
  startInstances: {
    path: START_INSTANCES_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: toJson,
    requestDeserialize: fromJson,
    responseSerialize: toJson,
    responseDeserialize: fromJson,
  },
};
