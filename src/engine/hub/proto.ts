/**
 * The protocol modules of the hub: the SDK's own generated `TaskHubSidecarService` definition and messages, loaded
 * from the exact files `@microsoft/durabletask-js` loads, so both sides share one google-protobuf instance
 * (a second copy would break `instanceof` checks in the generated serializers).
 */
import { createRequire } from "node:module";
import type * as PbModule from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js";

const require = createRequire(import.meta.url);

export type { PbModule };
export const pb: typeof PbModule = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js");

/** The generated grpc-js service definition (method paths, serializers). */
export const serviceDefinition: Record<string, { path: string; requestStream: boolean; responseStream: boolean } & Record<string, unknown>> =
  require("@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js").TaskHubSidecarServiceService;

export interface StringValue {
  getValue(): string;
  setValue(value: string): StringValue;
}
export interface Timestamp {
  getSeconds(): number;
  getNanos(): number;
  setSeconds(value: number): Timestamp;
  setNanos(value: number): Timestamp;
  toDate(): Date;
}
export interface Empty {}

const wrappers = require("google-protobuf/google/protobuf/wrappers_pb.js") as { StringValue: new () => StringValue };
const timestamps = require("google-protobuf/google/protobuf/timestamp_pb.js") as { Timestamp: new () => Timestamp };
const empties = require("google-protobuf/google/protobuf/empty_pb.js") as { Empty: new () => Empty };

export type HistoryEvent = PbModule.HistoryEvent;
export type OrchestratorAction = PbModule.OrchestratorAction;
export type TaskFailureDetails = PbModule.TaskFailureDetails;
export const Status = pb.OrchestrationStatus;
export type Status = PbModule.OrchestrationStatus;

export function stringValue(value: string | undefined | null): StringValue | undefined {
  if (value === undefined || value === null) return undefined;
  const v = new wrappers.StringValue();
  v.setValue(value);
  return v;
}

/** The wrapped string, or undefined when the wrapper is absent. */
export function unwrap(value: StringValue | undefined | null): string | undefined {
  return value ? value.getValue() : undefined;
}

export function timestamp(ms: number): Timestamp {
  const t = new timestamps.Timestamp();
  const seconds = Math.floor(ms / 1000);
  t.setSeconds(seconds);
  t.setNanos((ms - seconds * 1000) * 1_000_000);
  return t;
}

/** Milliseconds since the epoch, or undefined for an absent timestamp. */
export function timestampMs(value: Timestamp | undefined | null): number | undefined {
  if (!value) return undefined;
  return value.getSeconds() * 1000 + Math.floor(value.getNanos() / 1_000_000);
}

export function empty(): Empty {
  return new empties.Empty();
}

export function isTerminal(status: number): boolean {
  return status === Status.ORCHESTRATION_STATUS_COMPLETED || status === Status.ORCHESTRATION_STATUS_FAILED || status === Status.ORCHESTRATION_STATUS_TERMINATED;
}
