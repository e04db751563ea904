/**
 * The protocol of the hub: the SDK's own generated `TaskHubSidecarService` messages (reached through the SDK seam)
 * and helpers for the wrappers they use.
 */
import { pb, wellKnownTypes, type PbModule, type StringValue, type Timestamp, type Empty } from "../sdk-seam.js";

export {
  pb,
  serviceDefinition,
  type PbModule,
  type ServiceDefinition,
  type SidecarServiceServer,
  type StringValue,
  type Timestamp,
  type Empty,
} from "../sdk-seam.js";

export type HistoryEvent = PbModule.HistoryEvent;
export type OrchestratorAction = PbModule.OrchestratorAction;
export type TaskFailureDetails = PbModule.TaskFailureDetails;
export const Status = pb.OrchestrationStatus;
export type Status = PbModule.OrchestrationStatus;

export function stringValue(value: string | undefined | null): StringValue | undefined {
  if (value === undefined || value === null) return undefined;
  const v = new wellKnownTypes.StringValue();
  v.setValue(value);
  return v;
}

/** The wrapped string, or undefined when the wrapper is absent. */
export function unwrap(value: StringValue | undefined | null): string | undefined {
  return value ? value.getValue() : undefined;
}

export function timestamp(ms: number): Timestamp {
  const t = new wellKnownTypes.Timestamp();
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
  return new wellKnownTypes.Empty();
}

