/**
 * Instance states (the SDK client's or the wire client's) → the engine's MonitorSnapshot (no SDK or protobuf types
 * leave this module's callers).
 */
import { OrchestrationStatusCode as Code, type InstanceState } from "./instance-client.js";
import { parseMonitorInput } from "./monitor/input.js";
import {
  completeView,
  isObject,
  needsInput,
  oneLine,
  readInputSchedule,
  readMonitorOutput,
  readMonitorStatus,
  type InputSchedule,
  type MonitorView,
  type OutputView,
} from "./monitor/convention.js";
import { appendRecent } from "./monitor/status.js";
import type { MonitorSnapshot, MonitorSpec, RecentPoint, RuntimeStatus } from "./types.js";
import { isTerminal } from "./types.js";

const FROM_SDK: Record<number, RuntimeStatus> = {
  [Code.RUNNING]: "Running",
  [Code.COMPLETED]: "Completed",
  [Code.CONTINUED_AS_NEW]: "ContinuedAsNew",
  [Code.FAILED]: "Failed",
  [Code.TERMINATED]: "Terminated",
  // Deprecated in the protocol (older backends' data may hold it): it ended from outside, like a termination.
  [Code.CANCELED]: "Terminated",
  [Code.PENDING]: "Pending",
  [Code.SUSPENDED]: "Suspended",
};

const TO_SDK: Record<RuntimeStatus, number> = {
  Running: Code.RUNNING,
  Completed: Code.COMPLETED,
  ContinuedAsNew: Code.CONTINUED_AS_NEW,
  Failed: Code.FAILED,
  Terminated: Code.TERMINATED,
  Pending: Code.PENDING,
  Suspended: Code.SUSPENDED,
};

/** A protocol (and SDK) OrchestrationStatus number as the engine's status. */
export function runtimeStatusFromSdk(status: number): RuntimeStatus {
  return FROM_SDK[status] ?? "Running";
}

/** The protocol (and SDK) OrchestrationStatus number of a status. */
export function runtimeStatusToSdk(status: RuntimeStatus): number {
  return TO_SDK[status];
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Display text for a payload that is not ours: a JSON string is unquoted ("\"done\"" → "done"), anything else stays as is. */
function plainText(text: string): string {
  const v = parseJson(text);
  return typeof v === "string" ? v : text;
}

/** The output as a monitor's (the convention's reader), when the text is one. */
export function parseMonitorOutput(text: string | undefined): OutputView | undefined {
  return readMonitorOutput(parseJson(text));
}

/** Inputs larger than this are not kept nor parsed for the convention (the details screen fetches them itself). */
const INPUT_CAP_CHARS = 64 * 1024;

/**
 * Instances whose parsed input (and, in payloads.ts, final output) are kept: above the number a view shows (the README's
 * 10,000 monitors), or a big view would fetch the same payloads again on every refresh.
 */
export const CACHED_INSTANCES = 20_000;

interface InputEntry {
  spec: MonitorSpec | null;
  schedule: InputSchedule;
  /** The parsed input, when it was small enough to keep. */
  value?: unknown;
}

/**
 * Parses inputs once per instance: an instance's input never changes for a given creation time
 * (a restart with the same id gets a new creation time). Bounded: oldest entries go first. Holds our monitors'
 * specs and, for any orchestration, the schedule its input declares by the convention (interval, timeout).
 */
export class SpecCache {
  private readonly entries = new Map<string, InputEntry>();
  constructor(private readonly max = CACHED_INSTANCES) {}

  private key(instanceId: string, createdAt: Date): string {
    return `${instanceId}@${createdAt.getTime()}`;
  }

  has(instanceId: string, createdAt: Date): boolean {
    return this.entries.has(this.key(instanceId, createdAt));
  }

  /** Records an instance's input text ("" for none); texts over INPUT_CAP_CHARS are recorded as unknown. */
  put(instanceId: string, createdAt: Date, serializedInput: string): InputEntry {
    const value = serializedInput.length <= INPUT_CAP_CHARS ? parseJson(serializedInput) : undefined;
    const entry: InputEntry = {
      spec: value === undefined ? null : (parseMonitorInput(serializedInput) ?? null),
      schedule: readInputSchedule(value),
      ...(value === undefined ? {} : { value }),
    };
    this.entries.set(this.key(instanceId, createdAt), entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /** The entry for this instance, parsing `serializedInput` the first time it is given. */
  entry(instanceId: string, createdAt: Date, serializedInput?: string): InputEntry | undefined {
    const cached = this.entries.get(this.key(instanceId, createdAt));
    if (cached || serializedInput === undefined) return cached;
    return this.put(instanceId, createdAt, serializedInput);
  }

  get(instanceId: string, createdAt: Date, serializedInput: string | undefined): MonitorSpec | undefined {
    return this.entry(instanceId, createdAt, serializedInput)?.spec ?? undefined;
  }
}

/** A state's custom status parsed (JSON) and read by the convention (undefined: not a monitor's). */
interface ParsedCustomStatus {
  value: unknown;
  view: MonitorView | undefined;
}

/** Per state object: a listed state is looked at by the payload fetches and then made a snapshot, parsed once for both. */
const parsedCustomStatuses = new WeakMap<InstanceState, ParsedCustomStatus>();

function parsedCustomStatus(state: InstanceState): ParsedCustomStatus {
  let parsed = parsedCustomStatuses.get(state);
  if (!parsed) {
    const value = parseJson(state.serializedCustomStatus);
    parsed = { value, view: readMonitorStatus(value) };
    parsedCustomStatuses.set(state, parsed);
  }
  return parsed;
}

/**
 * The state's custom status as a monitor's, or undefined. Parsed once per state object: a state whose payloads are
 * still being fetched is looked at again every refresh (10,000 of them on a big hub). Callers must not change it.
 */
export function statusViewOf(state: InstanceState): MonitorView | undefined {
  return parsedCustomStatus(state).view;
}

/** True when a listed instance (no payloads) looks like a convention monitor whose schedule only its input tells. */
export function wantsInput(state: InstanceState, specs: SpecCache): boolean {
  if (state.serializedInput !== undefined || specs.has(state.instanceId, state.createdAt)) return false;
  const view = statusViewOf(state);
  return view !== undefined && needsInput(view);
}

/**
 * One instance state as a snapshot. The input comes from the cache (parsed once per instance); the custom status is
 * read by the convention every time it changes (what it leaves out is filled from the input's schedule); the
 * output only for terminal instances.
 */
export function toSnapshot(state: InstanceState, specs: SpecCache): MonitorSnapshot {
  const runtimeStatus = runtimeStatusFromSdk(state.runtimeStatus);
  const snapshot: MonitorSnapshot = {
    instanceId: state.instanceId,
    name: state.name,
    runtimeStatus,
    createdAt: state.createdAt,
    updatedAt: state.lastUpdatedAt,
  };
  const input = specs.entry(state.instanceId, state.createdAt, state.serializedInput);
  if (input?.spec) snapshot.spec = input.spec;
  if (input && "value" in input) snapshot.input = input.value;
  if (state.serializedCustomStatus) {
    const { value, view } = parsedCustomStatus(state);
    if (value !== undefined) snapshot.customStatusValue = value;
    if (view) snapshot.customStatus = completeView(view, input?.schedule ?? {}, state.createdAt);
    else snapshot.rawCustomStatus = oneLine(value, state.serializedCustomStatus);
  }
  if (isTerminal(runtimeStatus) && state.serializedOutput) {
    const value = parseJson(state.serializedOutput);
    if (value !== undefined) snapshot.outputValue = value;
    const output = readMonitorOutput(value);
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

/**
 * A monitor that publishes no `recent` points gets the ones the dashboard has seen: the previous snapshot's, plus
 * one when a new check shows (check count or last check time moved). Returns `next`, changed in place.
 */
export function carryRecent(prev: MonitorSnapshot | undefined, next: MonitorSnapshot): MonitorSnapshot {
  const view = next.customStatus;
  if (!view || (isObject(next.customStatusValue) && Array.isArray(next.customStatusValue.recent))) return next;
  const before = prev?.customStatus;
  const seen = before?.recent ?? [];
  const moved = !before || before.checkCount !== view.checkCount || before.lastCheckTime !== view.lastCheckTime || before.progress !== view.progress;
  if (!moved) {
    view.recent = seen;
    return next;
  }
  const point: RecentPoint = { t: view.lastCheckTime ?? next.updatedAt.toISOString(), status: (view.status ?? "Running") as RecentPoint["status"] };
  if (view.progress !== undefined) point.progress = view.progress;
  view.recent = appendRecent(seen, point);
  return next;
}


/** True when two snapshots of the same instance differ in what the UI shows. */
export function snapshotChanged(a: MonitorSnapshot, b: MonitorSnapshot): boolean {
  return (
    a.updatedAt.getTime() !== b.updatedAt.getTime() ||
    a.runtimeStatus !== b.runtimeStatus ||
    a.createdAt.getTime() !== b.createdAt.getTime() ||
    (a.spec === undefined) !== (b.spec === undefined) ||
    JSON.stringify(a.customStatus ?? a.rawCustomStatus) !== JSON.stringify(b.customStatus ?? b.rawCustomStatus) ||
    JSON.stringify(a.output ?? a.rawOutput) !== JSON.stringify(b.output ?? b.rawOutput)
  );
}
