/**
 * Every use of `@microsoft/durabletask-js` beyond its public API, in one module: its generated protocol files and
 * google-protobuf's well-known types (the hub speaks the SDK's own messages), the worker's log event ids, and three
 * private fields. The SDK is pinned to an exact version in package.json; `test/engine/sdk-seam.test.ts` fails when
 * any of these moves or changes type, so an upgrade fails loudly instead of quietly turning a fix into a no-op.
 */
import { createRequire } from "node:module";
import type { OrchestrationContext, TaskHubGrpcClient, TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import type * as PbModule from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js";
import type * as GrpcPbModule from "@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import type * as TimestampPb from "google-protobuf/google/protobuf/timestamp_pb.js";
import type * as WrappersPb from "google-protobuf/google/protobuf/wrappers_pb.js";

const require = createRequire(import.meta.url);

// ── Generated protocol (dist/proto) and google-protobuf ─────────────────────────────────────────────────────────────
// Loaded from the files the SDK loads, and google-protobuf resolved from here resolves to the SDK's copy (one version,
// deduplicated by npm): a second instance would break `instanceof` checks in the generated serializers. The types are
// the SDK's generated `.d.ts` and @types/google-protobuf, so every message the hub builds or reads is checked.

export type { PbModule };
export const pb: typeof PbModule = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js");

/** The generated grpc-js service definition (method paths, serializers), keyed by the protocol's camelCase names. */
export type ServiceDefinition = typeof GrpcPbModule.TaskHubSidecarServiceService;
export const serviceDefinition: ServiceDefinition = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js").TaskHubSidecarServiceService;

/** What a server implementing `TaskHubSidecarService` provides: one handler per method, typed by its messages. */
export type SidecarServiceServer = GrpcPbModule.ITaskHubSidecarServiceServer;

export type StringValue = WrappersPb.StringValue;
export type Timestamp = TimestampPb.Timestamp;
export type Empty = EmptyPb.Empty;

export const wellKnownTypes: {
  StringValue: typeof WrappersPb.StringValue;
  Timestamp: typeof TimestampPb.Timestamp;
  Empty: typeof EmptyPb.Empty;
} = {
  StringValue: require("google-protobuf/google/protobuf/wrappers_pb.js").StringValue,
  Timestamp: require("google-protobuf/google/protobuf/timestamp_pb.js").Timestamp,
  Empty: require("google-protobuf/google/protobuf/empty_pb.js").Empty,
};

// ── Worker log event ids (dist/worker/logs.js, marked @internal) ─────────────────────────────────────────────────────

const logs = require("@microsoft/durabletask-js/dist/worker/logs.js") as Record<string, unknown>;
const eventId = (name: string): number => logs[name] as number;

/** The worker lifecycle events the engine derives the worker's state from. */
export const SDK_EVENTS = {
  workerConnected: eventId("EVENT_WORKER_CONNECTED"),
  workerError: eventId("EVENT_WORKER_ERROR"),
  streamEnded: eventId("EVENT_STREAM_ENDED"),
  streamRetry: eventId("EVENT_STREAM_RETRY"),
  streamError: eventId("EVENT_STREAM_ERROR"),
  connectionRetry: eventId("EVENT_CONNECTION_RETRY"),
  streamErrorInfo: eventId("EVENT_STREAM_ERROR_INFO"),
} as const;

/** Per-work-item chatter (work item received, orchestration/activity started/completed …): logged at debug. */
export const SDK_CHATTY_EVENTS: ReadonlySet<number> = new Set(
  [
    "EVENT_ORCHESTRATION_STARTED",
    "EVENT_ORCHESTRATION_COMPLETED",
    "EVENT_ACTIVITY_STARTED",
    "EVENT_ACTIVITY_COMPLETED",
    "EVENT_WORK_ITEM_RECEIVED",
    "EVENT_ORCHESTRATION_REBUILDING",
    "EVENT_ORCHESTRATION_PROCESSING",
    "EVENT_ORCHESTRATION_WAITING",
    "EVENT_ORCHESTRATION_RETURNING_ACTIONS",
    "EVENT_ORCHESTRATION_EVENT_RAISED",
    "EVENT_ORCHESTRATION_EVENT_BUFFERED",
    // Logged for every buffered event at every replay of a suspended instance: N events made N²/2 lines.
    "EVENT_ORCHESTRATION_SUSPENDED_BUFFERING",
    "EVENT_ORCHESTRATION_NO_TASKS",
    "EVENT_ORCHESTRATION_PROCESSING_EVENT",
  ].map(eventId),
);

// ── Error classes the SDK throws but does not export ─────────────────────────────────────────────────────────────────

const SdkTimeoutError = (require("@microsoft/durabletask-js/dist/exception/timeout-error.js") as { TimeoutError: new (message?: string) => Error })
  .TimeoutError;

/** True when the SDK gave up waiting (e.g. `waitForOrchestrationCompletion` past its timeout): its `TimeoutError`. */
export function isSdkTimeout(error: unknown): boolean {
  return error instanceof SdkTimeoutError;
}

// ── Private fields ───────────────────────────────────────────────────────────────────────────────────────────────────

/** The worker's reconnect backoff (`_backoff`, an `ExponentialBackoff`): the parts `tameSdkBackoff` replaces. */
interface SdkBackoff {
  wait(): Promise<void>;
  peekNextDelay(): number;
  _attemptCount: number;
  _currentDelayMs: number;
  _multiplier: number;
  _maxDelayMs: number;
}

/** The worker's reconnect backoff, or undefined when the SDK no longer has one of that shape. */
export function workerBackoff(worker: TaskHubGrpcWorker): SdkBackoff | undefined {
  const backoff = (worker as unknown as { _backoff?: Partial<SdkBackoff> })._backoff;
  if (!backoff || typeof backoff.wait !== "function" || typeof backoff.peekNextDelay !== "function") return undefined;
  for (const field of ["_attemptCount", "_currentDelayMs", "_multiplier", "_maxDelayMs"] as const) {
    if (typeof backoff[field] !== "number") return undefined;
  }
  return backoff as SdkBackoff;
}

/**
 * Closes the client's gRPC channel at once (its `_stub`) and says whether it could; `TaskHubGrpcClient.stop()` does
 * the same and then sleeps a second (a grpc-node workaround for long-lived processes).
 */
export function closeClientChannel(client: TaskHubGrpcClient): boolean {
  const stub = (client as unknown as { _stub?: { close?: unknown } })._stub;
  if (typeof stub?.close !== "function") return false;
  (stub.close as () => void).call(stub);
  return true;
}

/** The orchestration context's event waiters by event name (`_pendingEvents`), or undefined when gone. */
export function pendingEventWaiters(ctx: OrchestrationContext): Record<string, unknown> | undefined {
  const pending = (ctx as unknown as { _pendingEvents?: unknown })._pendingEvents;
  return pending && typeof pending === "object" ? (pending as Record<string, unknown>) : undefined;
}

/** The parts of the SDK's generated gRPC stub a work item's execution uses (completion and abandon). */
export interface SdkWorkItemStub {
  completeActivityTask(request: unknown, metadata: unknown, callback: (error: Error | null, response?: unknown) => void): unknown;
  abandonTaskActivityWorkItem(request: unknown, metadata: unknown, callback: (error: Error | null, response?: unknown) => void): unknown;
  abandonTaskOrchestratorWorkItem(request: unknown, metadata: unknown, callback: (error: Error | null, response?: unknown) => void): unknown;
}

/** How the worker runs one work item it received: request, completion token, the stub to complete it with. */
export type SdkWorkItemExecutor = (request: unknown, completionToken: string, stub: SdkWorkItemStub) => Promise<void>;

/** The worker's activity request (the instance and task id name the activity call). */
export interface SdkActivityRequest {
  getName(): string;
  getTaskid(): number;
  getOrchestrationinstance(): { getInstanceid(): string } | undefined;
}

/**
 * Replaces how the worker runs activity and orchestrator work items (`_executeActivityInternal`,
 * `_executeOrchestratorInternal`, which the SDK tracks as its pending work and which complete through the stub they
 * are given). `wrap` receives the SDK's own executor, bound. Returns false, changing nothing, when either is gone.
 */
export function interceptWorkItems(
  worker: TaskHubGrpcWorker,
  wrap: { activity: (original: SdkWorkItemExecutor) => SdkWorkItemExecutor; orchestrator: (original: SdkWorkItemExecutor) => SdkWorkItemExecutor },
): boolean {
  const w = worker as unknown as Record<string, unknown>;
  const activity = w._executeActivityInternal;
  const orchestrator = w._executeOrchestratorInternal;
  if (typeof activity !== "function" || typeof orchestrator !== "function") return false;
  w._executeActivityInternal = wrap.activity((activity as SdkWorkItemExecutor).bind(worker));
  w._executeOrchestratorInternal = wrap.orchestrator((orchestrator as SdkWorkItemExecutor).bind(worker));
  return true;
}

// ── google-protobuf's string reading (its minified BinaryDecoder: `fa` is readString, `b` the bytes, `a` the cursor) ──

interface ProtobufDecoder {
  b: Uint8Array;
  a: number;
  fa(length: number): string;
  readString(length: number): string;
}

const decoderPrototype: ProtobufDecoder = (require("google-protobuf") as { jspb: { BinaryDecoder: { prototype: ProtobufDecoder } } }).jspb.BinaryDecoder.prototype;

/** google-protobuf's own string reading, as published (the reference for the faster one). */
export const publishedReadString: (this: ProtobufDecoder, length: number) => string = decoderPrototype.fa;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function readStringFast(this: ProtobufDecoder, length: number): string {
  // A malformed length (a ten-byte varint reads as negative) is google-protobuf's to handle, as published.
  if (length < 0) return publishedReadString.call(this, length);
  const start = this.a;
  let text: string;
  try {
    text = utf8.decode(this.b.subarray(start, start + length));
  } catch {
    return publishedReadString.call(this, length);
  }
  this.a = start + length;
  return text;
}

/**
 * Makes google-protobuf read string fields with Node's TextDecoder, once per process; returns whether it does.
 * google-protobuf reads a string by pushing each UTF-16 code unit into a growing array and joining them with
 * String.fromCharCode: for a monitor's ~900-character custom status ~30× slower than TextDecoder, and in a heap profile
 * of the dashboard at 1,000 monitors the largest single source of garbage (~5 MB/s). Same strings: bytes that are not
 * valid UTF-8 (the fatal decoder throws) are read by google-protobuf's own code, and a leading BOM is kept as it was.
 * Installed only when the decoder still has the shape read here and reads a sample as google-protobuf does.
 */
export function fastProtobufStrings(): boolean {
  if (decoderPrototype.fa === readStringFast) return true;
  if (typeof decoderPrototype.fa !== "function" || decoderPrototype.readString !== decoderPrototype.fa) return false;
  const sample = new TextEncoder().encode("\uFEFFé漢🙂 ok");
  const read = (fn: (this: ProtobufDecoder, length: number) => string) => {
    try {
      const decoder = Object.assign(Object.create(decoderPrototype) as ProtobufDecoder, { b: sample, a: 0 });
      return `${fn.call(decoder, sample.length)}@${decoder.a}`;
    } catch {
      return undefined;
    }
  };
  const expected = read(publishedReadString);
  if (expected === undefined || read(readStringFast) !== expected) return false;
  decoderPrototype.fa = decoderPrototype.readString = readStringFast;
  return true;
}
