/**
 * SDK instance states → the engine's MonitorSnapshot (no SDK or protobuf types leave this module's callers).
 */
import { OrchestrationStatus, type OrchestrationState } from "@microsoft/durabletask-js";
import { parseMonitorInput } from "./monitor/input.js";
import type { MonitorOutput, MonitorSnapshot, MonitorSpec, MonitorStatus, RuntimeStatus } from "./types.js";
import { TERMINAL_STATUSES } from "./types.js";

const FROM_SDK: Record<number, RuntimeStatus> = {
  [OrchestrationStatus.RUNNING]: "Running",
  [OrchestrationStatus.COMPLETED]: "Completed",
  [OrchestrationStatus.CONTINUED_AS_NEW]: "ContinuedAsNew",
  [OrchestrationStatus.FAILED]: "Failed",
  [OrchestrationStatus.TERMINATED]: "Terminated",
  [OrchestrationStatus.PENDING]: "Pending",
  [OrchestrationStatus.SUSPENDED]: "Suspended",
};

const TO_SDK: Record<RuntimeStatus, OrchestrationStatus> = {
  Running: OrchestrationStatus.RUNNING,
  Completed: OrchestrationStatus.COMPLETED,
  ContinuedAsNew: OrchestrationStatus.CONTINUED_AS_NEW,
  Failed: OrchestrationStatus.FAILED,
  Terminated: OrchestrationStatus.TERMINATED,
  Pending: OrchestrationStatus.PENDING,
  Suspended: OrchestrationStatus.SUSPENDED,
};

export function runtimeStatusFromSdk(status: OrchestrationStatus): RuntimeStatus {
  return FROM_SDK[status] ?? "Running";
}

export function runtimeStatusToSdk(status: RuntimeStatus): OrchestrationStatus {
  return TO_SDK[status];
}

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Display text for a payload that is not ours: a JSON string is unquoted ("\"done\"" → "done"), anything else stays as is. */
export function plainText(text: string): string {
  const v = parseJson(text);
  return typeof v === "string" ? v : text;
}

/** The monitor's custom status when the text is one (checked loosely: the fields the UI relies on). */
export function parseMonitorStatus(text: string | undefined): MonitorStatus | undefined {
  const v = parseJson(text);
  if (!isObject(v)) return undefined;
  if (typeof v.jobId !== "string" || typeof v.status !== "string" || typeof v.checkCount !== "number") return undefined;
  return { ...(v as unknown as MonitorStatus), recent: Array.isArray(v.recent) ? (v.recent as MonitorStatus["recent"]) : [] };
}

/** The monitor's output when the text is one. */
export function parseMonitorOutput(text: string | undefined): MonitorOutput | undefined {
  const v = parseJson(text);
  if (!isObject(v)) return undefined;
  if (typeof v.jobId !== "string" || typeof v.finalStatus !== "string") return undefined;
  return v as unknown as MonitorOutput;
}

/**
 * Parses inputs once per instance: an instance's input never changes for a given creation time
 * (a restart with the same id gets a new creation time). Bounded: oldest entries go first.
 */
export class SpecCache {
  private readonly specs = new Map<string, MonitorSpec | null>();
  constructor(private readonly max = 5000) {}

  private key(instanceId: string, createdAt: Date): string {
    return `${instanceId}@${createdAt.getTime()}`;
  }

  has(instanceId: string, createdAt: Date): boolean {
    return this.specs.has(this.key(instanceId, createdAt));
  }

  get(instanceId: string, createdAt: Date, serializedInput: string | undefined): MonitorSpec | undefined {
    const key = this.key(instanceId, createdAt);
    let spec = this.specs.get(key);
    if (spec === undefined) {
      spec = parseMonitorInput(serializedInput) ?? null;
      if (serializedInput !== undefined) {
        this.specs.set(key, spec);
        if (this.specs.size > this.max) this.specs.delete(this.specs.keys().next().value!);
      }
    }
    return spec ?? undefined;
  }
}

/**
 * One SDK state as a snapshot. The spec comes from the cache (parsed once per instance); the custom status is
 * parsed every time it changes; the output only for terminal instances.
 */
export function toSnapshot(state: OrchestrationState, specs: SpecCache): MonitorSnapshot {
  const runtimeStatus = runtimeStatusFromSdk(state.runtimeStatus);
  const snapshot: MonitorSnapshot = {
    instanceId: state.instanceId,
    name: state.name,
    runtimeStatus,
    createdAt: state.createdAt,
    updatedAt: state.lastUpdatedAt,
  };
  const spec = specs.get(state.instanceId, state.createdAt, state.serializedInput);
  if (spec) snapshot.spec = spec;
  if (state.serializedCustomStatus) {
    const status = parseMonitorStatus(state.serializedCustomStatus);
    if (status) snapshot.customStatus = status;
    else snapshot.rawCustomStatus = plainText(state.serializedCustomStatus);
  }
  if (isTerminal(runtimeStatus) && state.serializedOutput) {
    const output = parseMonitorOutput(state.serializedOutput);
    if (output) snapshot.output = output;
    else snapshot.rawOutput = plainText(state.serializedOutput);
  }
  if (state.failureDetails) {
    snapshot.failure = {
      message: state.failureDetails.message,
      errorType: state.failureDetails.errorType || undefined,
      stackTrace: state.failureDetails.stackTrace || undefined,
    };
  }
  return snapshot;
}

/** True when two snapshots of the same instance differ in what the UI shows. */
export function snapshotChanged(a: MonitorSnapshot, b: MonitorSnapshot): boolean {
  return (
    a.updatedAt.getTime() !== b.updatedAt.getTime() ||
    a.runtimeStatus !== b.runtimeStatus ||
    a.createdAt.getTime() !== b.createdAt.getTime() ||
    JSON.stringify(a.customStatus ?? a.rawCustomStatus) !== JSON.stringify(b.customStatus ?? b.rawCustomStatus) ||
    JSON.stringify(a.output ?? a.rawOutput) !== JSON.stringify(b.output ?? b.rawOutput)
  );
}
