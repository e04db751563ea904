/**
 * The Durable Task sidecar messages the wire client sends and reads, by the field numbers of the SDK's
 * orchestrator_service.proto (test/engine/wire-proto.test.ts round-trips each against the SDK's generated classes).
 * Decoded states follow what the SDK's client makes of them (missing timestamps are the epoch, a query's states
 * carry no input or output), so the engine cannot tell the two clients apart.
 */
import type { InstanceFailure, InstanceState, PurgeFilterRequest } from "../instance-client.js";
import { ProtoReader } from "./proto-reader.js";
import { ProtoWriter } from "./proto-writer.js";

const LEN = 2;

export interface QueryRequest {
  statuses?: readonly number[];
  createdFrom?: Date;
  createdTo?: Date;
  instanceIdPrefix?: string;
  pageSize: number;
  continuationToken?: string;
  fetchInputsAndOutputs?: boolean;
}

export interface CreateRequest {
  instanceId: string;
  name: string;
  /** The serialized input (JSON text). */
  input?: string;
  /** Absent: now (sent as the epoch, as the SDK sends it). */
  startAt?: Date;
}

function timestamp(date: Date): ProtoWriter {
  const ms = date.getTime();
  return new ProtoWriter().int(1, Math.floor(ms / 1000)).int(2, (((ms % 1000) + 1000) % 1000) * 1_000_000);
}

function stringValue(value: string | undefined): ProtoWriter | undefined {
  return value === undefined ? undefined : new ProtoWriter().string(1, value);
}

/** QueryInstancesRequest { InstanceQuery query = 1 }. */
export function encodeQueryRequest(q: QueryRequest): Buffer {
  const query = new ProtoWriter()
    .packed(1, q.statuses)
    .message(2, q.createdFrom && timestamp(q.createdFrom))
    .message(3, q.createdTo && timestamp(q.createdTo))
    .int(5, q.pageSize)
    .message(6, stringValue(q.continuationToken || undefined))
    .message(7, stringValue(q.instanceIdPrefix || undefined))
    .bool(8, q.fetchInputsAndOutputs);
  return new ProtoWriter().message(1, query).finish();
}

/** GetInstanceRequest { string instanceId = 1; bool getInputsAndOutputs = 2 }. */
export function encodeGetRequest(instanceId: string, withPayloads: boolean): Buffer {
  return new ProtoWriter().string(1, instanceId).bool(2, withPayloads).finish();
}

/** CreateInstanceRequest { instanceId = 1; name = 2; StringValue input = 4; Timestamp scheduledStartTimestamp = 5 }. */
export function encodeCreateRequest(r: CreateRequest): Buffer {
  return new ProtoWriter()
    .string(1, r.instanceId)
    .string(2, r.name)
    .message(4, stringValue(r.input))
    .message(5, timestamp(r.startAt ?? new Date(0)))
    .finish();
}

/** RaiseEventRequest { instanceId = 1; name = 2; StringValue input = 3 }: the data as JSON, `null` for none (as the SDK). */
export function encodeRaiseRequest(instanceId: string, name: string, data: unknown): Buffer {
  return new ProtoWriter().string(1, instanceId).string(2, name).message(3, stringValue(JSON.stringify(data ?? null))).finish();
}

/** TerminateRequest { instanceId = 1; StringValue output = 2; bool recursive = 3 }: the output as JSON (as the SDK). */
export function encodeTerminateRequest(instanceId: string, output: unknown): Buffer {
  return new ProtoWriter().string(1, instanceId).message(2, stringValue(JSON.stringify(output ?? null))).finish();
}

/**
 * PurgeInstancesRequest { instanceId = 1 | PurgeInstanceFilter purgeInstanceFilter = 2; bool recursive = 3 }, with
 * PurgeInstanceFilter { Timestamp createdTimeFrom = 1; Timestamp createdTimeTo = 2; repeated status runtimeStatus = 3 }:
 * as the SDK sends it (not recursive; the filter always set).
 */
export function encodePurgeRequest(target: string | PurgeFilterRequest): Buffer {
  if (typeof target === "string") return new ProtoWriter().string(1, target).finish();
  const filter = new ProtoWriter().message(2, target.createdTo && timestamp(target.createdTo)).packed(3, target.statuses);
  return new ProtoWriter().message(2, filter).finish();
}

/** PurgeInstancesResponse { int32 deletedInstanceCount = 1 }. */
export function decodePurgeResponse(bytes: Buffer): number {
  const r = new ProtoReader(bytes);
  let deleted = 0;
  r.forEachField((field, wt) => {
    if (field === 1 && wt === 0) deleted = r.int();
  });
  return deleted;
}

/** RestartInstanceRequest { instanceId = 1; bool restartWithNewInstanceId = 2 }; its response is the new run's id (field 1). */
export function encodeRestartRequest(instanceId: string, newInstanceId: boolean): Buffer {
  return new ProtoWriter().string(1, instanceId).bool(2, newInstanceId).finish();
}

/** SuspendRequest and ResumeRequest { instanceId = 1; StringValue reason = 2 }: the id alone (as the SDK sends them). */
export function encodeInstanceIdRequest(instanceId: string): Buffer {
  return new ProtoWriter().string(1, instanceId).finish();
}

/** google.protobuf.Timestamp as the SDK's toDate() reads it. */
function readTimestamp(r: ProtoReader): Date {
  let seconds = 0;
  let nanos = 0;
  r.forEachField((field, wt) => {
    if (wt !== 0) return;
    if (field === 1) seconds = r.int();
    else if (field === 2) nanos = r.int();
  });
  return new Date(seconds * 1000 + nanos / 1_000_000);
}

/** google.protobuf.StringValue: a present wrapper is its value, "" when empty. */
function readStringValue(r: ProtoReader): string {
  let value = "";
  r.forEachField((field, wt) => {
    if (field === 1 && wt === LEN) value = r.string();
  });
  return value;
}

/** TaskFailureDetails { errorType = 1; errorMessage = 2; StringValue stackTrace = 3 } (inner failures skipped). */
function readFailure(r: ProtoReader): InstanceFailure {
  let errorType = "";
  let message = "";
  let stackTrace: string | undefined;
  r.forEachField((field, wt) => {
    if (wt !== LEN) return;
    if (field === 1) errorType = r.string();
    else if (field === 2) message = r.string();
    else if (field === 3) stackTrace = readStringValue(r.message());
  });
  return { message, errorType, ...(stackTrace !== undefined ? { stackTrace } : {}) };
}

/** A TaskFailureDetails message's bytes (as the hub stores an instance's failure). */
export function decodeFailureDetails(bytes: Uint8Array): InstanceFailure {
  return readFailure(new ProtoReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}

/** OrchestrationState, the fields the engine reads (version, tags, parent … are skipped). */
function readState(r: ProtoReader): InstanceState {
  const s: InstanceState = { instanceId: "", name: "", runtimeStatus: 0, createdAt: new Date(0), lastUpdatedAt: new Date(0) };
  r.forEachField((field, wt) => {
    if (field === 4 && wt === 0) {
      s.runtimeStatus = r.int();
      return;
    }
    if (wt !== LEN) return;
    switch (field) {
      case 1:
        s.instanceId = r.string();
        break;
      case 2:
        s.name = r.string();
        break;
      case 6:
        s.createdAt = readTimestamp(r.message());
        break;
      case 7:
        s.lastUpdatedAt = readTimestamp(r.message());
        break;
      case 8:
        s.serializedInput = readStringValue(r.message());
        break;
      case 9:
        s.serializedOutput = readStringValue(r.message());
        break;
      case 10:
        s.serializedCustomStatus = readStringValue(r.message());
        break;
      case 11:
        s.failureDetails = readFailure(r.message());
        break;
    }
  });
  return s;
}

/**
 * GetInstanceResponse { bool exists = 1; OrchestrationState orchestrationState = 2 }: the state (under the id that was
 * asked for, as the SDK names it), or undefined when it does not exist.
 */
export function decodeGetResponse(bytes: Buffer, instanceId: string): InstanceState | undefined {
  const r = new ProtoReader(bytes);
  let exists = false;
  let state: InstanceState | undefined;
  r.forEachField((field, wt) => {
    if (field === 1 && wt === 0) exists = r.bool();
    else if (field === 2 && wt === LEN) state = readState(r.message());
  });
  if (!exists) return undefined;
  return { ...(state ?? readState(new ProtoReader(Buffer.alloc(0)))), instanceId };
}

/**
 * QueryInstancesResponse { repeated OrchestrationState orchestrationState = 1; StringValue continuationToken = 2 }.
 * States without an instance id are dropped; without `withPayloads`, inputs and outputs too (the custom status stays).
 */
export function decodeQueryResponse(bytes: Buffer, withPayloads: boolean): { states: InstanceState[]; continuationToken?: string } {
  const r = new ProtoReader(bytes);
  const states: InstanceState[] = [];
  let continuationToken: string | undefined;
  r.forEachField((field, wt) => {
    if (wt !== LEN) return;
    if (field === 1) {
      const s = readState(r.message());
      if (!s.instanceId) return;
      if (!withPayloads) {
        delete s.serializedInput;
        delete s.serializedOutput;
      }
      states.push(s);
    } else if (field === 2) continuationToken = readStringValue(r.message());
  });
  return { states, ...(continuationToken ? { continuationToken } : {}) };
}

/** CreateInstanceResponse and RestartInstanceResponse { string instanceId = 1 }. */
export function decodeInstanceIdResponse(bytes: Buffer): string {
  const r = new ProtoReader(bytes);
  let instanceId = "";
  r.forEachField((field, wt) => {
    if (field === 1 && wt === LEN) instanceId = r.string();
  });
  return instanceId;
}
