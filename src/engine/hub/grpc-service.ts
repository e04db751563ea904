/**
 * The protocol adapter: implements `TaskHubSidecarService` on top of HubBackend. It only translates — requests to
 * domain calls, records to protocol messages, named errors to gRPC status codes — and enforces the token and the
 * `taskhub` header. It holds no state of its own beyond the open worker streams.
 */
import * as grpc from "@grpc/grpc-js";
import type { AppLogger } from "../../logging.js";
import { HubBackend, HubStoppingError, InvalidStateError, StaleCompletionError, type OutgoingWorkItem } from "./backend.js";
import { PayloadTooLargeError } from "./limits.js";
import {
  empty,
  pb,
  serviceDefinition,
  Status,
  stringValue,
  timestamp,
  timestampMs,
  unwrap,
  type PbModule,
  type ServiceDefinition,
  type SidecarServiceServer,
} from "./proto.js";
import { DEFAULT_TASK_HUB } from "../task-hub.js";
import {
  InstanceExistsError,
  InstanceNotFoundError,
  InvalidContinuationTokenError,
  StorageFullError,
  isTerminalStatus,
  type InstanceRecord,
} from "./store.js";
import { STORAGE_FULL_TRAILER } from "../storage-full.js";
import { mapToRecord } from "./runtime-state.js";
import { createWorkFilter, type WorkFilter } from "./work-filter.js";
import { REMOVED_TAG, decodeWatchToken, encodeWatchToken, isWatchToken } from "./watch-token.js";
import { encodeQueryInstancesResponse } from "./instances-wire.js";

type WorkItemsCall = grpc.ServerWritableStream<PbModule.GetWorkItemsRequest, PbModule.WorkItem>;
type Call = { metadata: grpc.Metadata };

export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

function toServiceError(error: unknown): Partial<grpc.ServiceError> {
  if (error instanceof RpcError) return { code: error.code, details: error.message };
  if (error instanceof InstanceExistsError) return { code: grpc.status.ALREADY_EXISTS, details: error.message };
  if (error instanceof InstanceNotFoundError) return { code: grpc.status.NOT_FOUND, details: error.message };
  if (error instanceof StaleCompletionError) return { code: grpc.status.NOT_FOUND, details: error.message };
  if (error instanceof HubStoppingError) return { code: grpc.status.UNAVAILABLE, details: error.message };
  if (error instanceof StorageFullError) return { code: grpc.status.RESOURCE_EXHAUSTED, details: error.message, metadata: storageFullTrailer() };
  if (error instanceof PayloadTooLargeError) return { code: grpc.status.RESOURCE_EXHAUSTED, details: `${error.message} (see the README's Limits)` };
  if (error instanceof InvalidStateError) return { code: grpc.status.FAILED_PRECONDITION, details: error.message };
  if (error instanceof InvalidContinuationTokenError) return { code: grpc.status.INVALID_ARGUMENT, details: error.message };
  return { code: grpc.status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}

function storageFullTrailer(): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(STORAGE_FULL_TRAILER, "1");
  return metadata;
}

/** The task hub a call addresses (its `taskhub` header; "default" without one). */
export function taskHubOf(call: Call): string {
  const value = call.metadata.get("taskhub")[0];
  const name = value === undefined ? "" : String(value).trim();
  return name || DEFAULT_TASK_HUB;
}

/**
 * The service definition the hub serves: the SDK's, except that GetWorkItems and QueryInstances also accept an answer
 * already serialized (an orchestrator work item is assembled from the stored history bytes, see wire.ts; a list of
 * instances is written straight from the records, see instances-wire.ts).
 */
export const hubServiceDefinition: ServiceDefinition = (() => {
  const { getWorkItems, queryInstances } = serviceDefinition;
  const serializeWorkItem = getWorkItems.responseSerialize;
  const serializeInstances = queryInstances.responseSerialize;
  return {
    ...serviceDefinition,
    getWorkItems: { ...getWorkItems, responseSerialize: (value: OutgoingWorkItem): Buffer => (Buffer.isBuffer(value) ? value : serializeWorkItem(value)) },
    queryInstances: {
      ...queryInstances,
      responseSerialize: (value: PbModule.QueryInstancesResponse | Buffer): Buffer => (Buffer.isBuffer(value) ? value : serializeInstances(value)),
    },
  };
})();

/** A QueryInstances answer already serialized: `hubServiceDefinition`'s serializer passes it through as it is. */
function serializedAnswer(bytes: Buffer): PbModule.QueryInstancesResponse {
  return bytes as unknown as PbModule.QueryInstancesResponse;
}

/** Writes a work item to a GetWorkItems stream; bytes pass through `hubServiceDefinition`'s serializer as they are. */
function writeWorkItem(call: WorkItemsCall, item: OutgoingWorkItem): void {
  call.write(item as PbModule.WorkItem);
}

// ── Records to messages ──────────────────────────────────────────────────────────────────────────────────────────────

export function toOrchestrationState(record: InstanceRecord, withPayloads: boolean): PbModule.OrchestrationState {
  const state = new pb.OrchestrationState();
  state.setInstanceid(record.instanceId);
  state.setName(record.name);
  if (record.version) state.setVersion(stringValue(record.version));
  state.setOrchestrationstatus(record.status);
  state.setCreatedtimestamp(timestamp(record.createdAt));
  state.setLastupdatedtimestamp(timestamp(record.lastUpdatedAt));
  if (record.scheduledStartAt) state.setScheduledstarttimestamp(timestamp(record.scheduledStartAt));
  if (record.completedAt) state.setCompletedtimestamp(timestamp(record.completedAt));
  state.setExecutionid(stringValue(record.executionId));
  if (record.parent) state.setParentinstanceid(stringValue(record.parent.instanceId));
  if (record.tags) for (const [k, v] of Object.entries(record.tags)) state.getTagsMap().set(k, v);
  if (record.failure) state.setFailuredetails(pb.TaskFailureDetails.deserializeBinary(record.failure));
  // The custom status (bounded by the hub's limit) goes with every state, like the other Durable Task backends do;
  // the input and output (large in old databases) only when asked for.
  if (record.customStatus !== undefined) state.setCustomstatus(stringValue(record.customStatus));
  if (withPayloads) {
    if (record.input !== undefined) state.setInput(stringValue(record.input));
    if (record.output !== undefined) state.setOutput(stringValue(record.output));
  }
  return state;
}

/**
 * QueryInstances with a watch token (watch-token.ts): the instances changed since its cursor, in change order (the
 * query's filters do not apply: a watcher filters what it receives), deleted ones as placeholders tagged REMOVED_TAG.
 */
function watchAnswer(backend: HubBackend, taskHub: string, token: string, pageSize: number): PbModule.QueryInstancesResponse {
  const cursor = decodeWatchToken(token);
  if (!cursor) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid watch token '${token}'.`);
  const page = backend.instancesChangedSince({ taskHub, cursor, pageSize });
  return serializedAnswer(
    encodeQueryInstancesResponse({
      records: page.upserted,
      withPayloads: false,
      removed: { ids: page.removed, tag: REMOVED_TAG },
      continuationToken: encodeWatchToken({ ...page.cursor, more: page.more, reset: page.reset }),
    }),
  );
}

function instanceResponse(record: InstanceRecord | undefined, withPayloads: boolean): PbModule.GetInstanceResponse {
  const res = new pb.GetInstanceResponse();
  res.setExists(!!record);
  if (record) res.setOrchestrationstate(toOrchestrationState(record, withPayloads));
  return res;
}

/** The request's work item filters as the dispatcher reads them; undefined when the worker sent none. */
function workFilterOf(request: PbModule.GetWorkItemsRequest): WorkFilter | undefined {
  const filters = request.getWorkitemfilters();
  if (!filters) return undefined;
  const named = (f: { getName(): string; getVersionsList(): string[] }) => ({ name: f.getName(), versions: f.getVersionsList() });
  return createWorkFilter({
    orchestrations: filters.getOrchestrationsList().map(named),
    activities: filters.getActivitiesList().map(named),
    entities: filters.getEntitiesList().map((e) => e.getName()),
  });
}

// ── Calls: the token, errors, deadlines ──────────────────────────────────────────────────────────────────────────────

/** What every handler shares: the token check, and unary calls that map thrown errors to status codes. */
export interface CallKit {
  /** @throws RpcError(UNAUTHENTICATED) without the hub's token. */
  authorize(call: Call): void;
  unary<Req, Res>(name: string, fn: (req: Req, taskHub: string) => Res | Promise<Res>): grpc.handleUnaryCall<Req, Res>;
}

export function callKit(logger: AppLogger, token: string | undefined): CallKit {
  const expected = token ? `Bearer ${token}` : undefined;
  const authorize = (call: Call): void => {
    if (!expected) return;
    const got = call.metadata.get("authorization")[0];
    if (got === undefined || String(got) !== expected) {
      throw new RpcError(grpc.status.UNAUTHENTICATED, "Missing or wrong hub token: send metadata 'authorization: Bearer <token>'.");
    }
  };
  const fail = (name: string, error: unknown): grpc.ServiceError => {
    logger.debug("hub: %s failed: %s", name, error instanceof Error ? error.message : String(error));
    return toServiceError(error) as grpc.ServiceError;
  };
  return {
    authorize,
    unary: (name, fn) => (call, callback) => {
      let result;
      try {
        authorize(call);
        result = fn(call.request, taskHubOf(call));
      } catch (error) {
        callback(fail(name, error));
        return;
      }
      Promise.resolve(result).then(
        (value) => callback(null, value),
        (error: unknown) => callback(fail(name, error)),
      );
    },
  };
}

/** WaitForInstanceStart/Completion: answers once `done` holds, or at the call's deadline, or never if cancelled. */
function waitHandler(
  backend: HubBackend,
  kit: CallKit,
  name: string,
  done: (record: InstanceRecord) => boolean,
): grpc.handleUnaryCall<PbModule.GetInstanceRequest, PbModule.GetInstanceResponse> {
  return (call, callback) => {
    let taskHub: string;
    try {
      kit.authorize(call);
      taskHub = taskHubOf(call);
    } catch (error) {
      callback(toServiceError(error) as grpc.ServiceError);
      return;
    }
    const req = call.request;
    const controller = new AbortController();
    let finished = false;
    const finish = (error: Partial<grpc.ServiceError> | null, value?: PbModule.GetInstanceResponse) => {
      if (finished) return;
      finished = true;
      controller.abort();
      if (deadlineTimer) clearTimeout(deadlineTimer);
      if (error) callback(error as grpc.ServiceError);
      else callback(null, value);
    };
    const deadline = call.getDeadline();
    const deadlineMs = deadline instanceof Date ? deadline.getTime() : Number(deadline);
    const deadlineTimer = Number.isFinite(deadlineMs)
      ? setTimeout(() => finish({ code: grpc.status.DEADLINE_EXCEEDED, details: `${name}: deadline exceeded` }), Math.max(0, deadlineMs - Date.now()))
      : undefined;
    call.on("cancelled", () => finish({ code: grpc.status.CANCELLED, details: "cancelled" }));
    backend.waitForInstance(taskHub, req.getInstanceid(), done, controller.signal).then(
      (record) => finish(null, instanceResponse(record, req.getGetinputsandoutputs())),
      (error: unknown) => finish(toServiceError(error)),
    );
  };
}

// ── Handlers, by who calls them ──────────────────────────────────────────────────────────────────────────────────────

type ClientMethods =
  | "hello"
  | "startInstance"
  | "getInstance"
  | "waitForInstanceStart"
  | "waitForInstanceCompletion"
  | "raiseEvent"
  | "terminateInstance"
  | "suspendInstance"
  | "resumeInstance"
  | "restartInstance"
  | "createTaskHub";

/** What clients call to start, read, wait for and change single instances. */
function instanceHandlers(backend: HubBackend, kit: CallKit): Pick<SidecarServiceServer, ClientMethods> {
  const { unary } = kit;
  return {
    hello: unary("Hello", () => empty()),

    startInstance: unary("StartInstance", async (req, taskHub) => {
      if (!req.getName()) throw new RpcError(grpc.status.INVALID_ARGUMENT, "StartInstance: an orchestration name is required.");
      const instanceId = await backend.createInstance(taskHub, {
        instanceId: req.getInstanceid() || undefined,
        name: req.getName(),
        input: unwrap(req.getInput()),
        version: unwrap(req.getVersion()) || undefined,
        tags: mapToRecord(req.getTagsMap()),
        scheduledStartAt: timestampMs(req.getScheduledstarttimestamp()) || undefined,
      });
      return new pb.CreateInstanceResponse().setInstanceid(instanceId);
    }),

    getInstance: unary("GetInstance", (req, taskHub) => {
      const withPayloads = req.getGetinputsandoutputs();
      return instanceResponse(backend.getInstance(taskHub, req.getInstanceid(), withPayloads), withPayloads);
    }),

    waitForInstanceStart: waitHandler(backend, kit, "WaitForInstanceStart", (r) => r.status !== Status.ORCHESTRATION_STATUS_PENDING),
    waitForInstanceCompletion: waitHandler(backend, kit, "WaitForInstanceCompletion", (r) => isTerminalStatus(r.status)),

    raiseEvent: unary("RaiseEvent", async (req, taskHub) => {
      await backend.raiseEvent(taskHub, req.getInstanceid(), req.getName(), unwrap(req.getInput()));
      return new pb.RaiseEventResponse();
    }),

    terminateInstance: unary("TerminateInstance", async (req, taskHub) => {
      await backend.terminate(taskHub, req.getInstanceid(), unwrap(req.getOutput()), req.getRecursive());
      return new pb.TerminateResponse();
    }),

    suspendInstance: unary("SuspendInstance", async (req, taskHub) => {
      await backend.suspend(taskHub, req.getInstanceid(), unwrap(req.getReason()));
      return new pb.SuspendResponse();
    }),

    resumeInstance: unary("ResumeInstance", async (req, taskHub) => {
      await backend.resume(taskHub, req.getInstanceid(), unwrap(req.getReason()));
      return new pb.ResumeResponse();
    }),

    restartInstance: unary("RestartInstance", async (req, taskHub) => {
      const instanceId = await backend.restartInstance(taskHub, req.getInstanceid(), req.getRestartwithnewinstanceid());
      return new pb.RestartInstanceResponse().setInstanceid(instanceId);
    }),

    createTaskHub: unary("CreateTaskHub", () => new pb.CreateTaskHubResponse()),
  };
}

/** What clients call to list, page through, read the history of, and purge many instances. */
function collectionHandlers(
  backend: HubBackend,
  kit: CallKit,
): Pick<SidecarServiceServer, "queryInstances" | "listInstanceIds" | "purgeInstances" | "streamInstanceHistory"> {
  const { unary } = kit;
  return {
    queryInstances: unary("QueryInstances", (req, taskHub) => {
      const q = req.getQuery() ?? new pb.InstanceQuery();
      const token = unwrap(q.getContinuationtoken()) || undefined;
      if (isWatchToken(token)) return watchAnswer(backend, taskHub, token, q.getMaxinstancecount());
      const withPayloads = q.getFetchinputsandoutputs();
      const page = backend.queryInstances({
        taskHub,
        statuses: q.getRuntimestatusList(),
        createdFrom: timestampMs(q.getCreatedtimefrom()),
        createdTo: timestampMs(q.getCreatedtimeto()),
        instanceIdPrefix: unwrap(q.getInstanceidprefix()) || undefined,
        pageSize: q.getMaxinstancecount() || 100,
        continuationToken: token,
        withPayloads,
      });
      return serializedAnswer(
        encodeQueryInstancesResponse({ records: page.instances, withPayloads, continuationToken: page.continuationToken || undefined }),
      );
    }),

    listInstanceIds: unary("ListInstanceIds", (req, taskHub) => {
      const page = backend.listInstanceIds({
        taskHub,
        statuses: req.getRuntimestatusList(),
        completedFrom: timestampMs(req.getCompletedtimefrom()),
        completedTo: timestampMs(req.getCompletedtimeto()),
        pageSize: req.getPagesize() || 100,
        lastInstanceKey: unwrap(req.getLastinstancekey()) || undefined,
      });
      const res = new pb.ListInstanceIdsResponse();
      res.setInstanceidsList(page.instanceIds);
      if (page.lastInstanceKey) res.setLastinstancekey(stringValue(page.lastInstanceKey));
      return res;
    }),

    purgeInstances: unary("PurgeInstances", async (req, taskHub) => {
      const deleted = await purge(backend, req, taskHub);
      return new pb.PurgeInstancesResponse().setDeletedinstancecount(deleted);
    }),

    streamInstanceHistory: (call) => {
      try {
        kit.authorize(call);
        const events = backend.getHistory(taskHubOf(call), call.request.getInstanceid());
        for (let i = 0; i < events.length || i === 0; i += 200) call.write(new pb.HistoryChunk().setEventsList(events.slice(i, i + 200)));
        call.end();
      } catch (error) {
        call.emit("error", toServiceError(error));
      }
    },
  };
}

/** Purges by instance id, by filter, or a batch of ids; returns how many instances were deleted. */
async function purge(backend: HubBackend, req: PbModule.PurgeInstancesRequest, taskHub: string): Promise<number> {
  const recursive = req.getRecursive();
  if (req.getInstanceid()) return backend.purgeInstance(taskHub, req.getInstanceid(), recursive);
  const filter = req.getPurgeinstancefilter();
  if (filter) {
    return backend.purgeInstances({
      taskHub,
      statuses: filter.getRuntimestatusList(),
      createdFrom: timestampMs(filter.getCreatedtimefrom()),
      createdTo: timestampMs(filter.getCreatedtimeto()),
      recursive,
    });
  }
  const batch = req.getInstancebatch();
  if (!batch) throw new RpcError(grpc.status.INVALID_ARGUMENT, "PurgeInstances: give an instance id or a filter.");
  let deleted = 0;
  for (const id of batch.getInstanceidsList()) deleted += await backend.purgeInstance(taskHub, id, recursive);
  return deleted;
}

type WorkerMethods =
  | "getWorkItems"
  | "completeOrchestratorTask"
  | "completeActivityTask"
  | "abandonTaskActivityWorkItem"
  | "abandonTaskOrchestratorWorkItem";

/** What workers call: the work item stream, completions and abandons. `workerCalls` tracks the open streams. */
function workerHandlers(backend: HubBackend, kit: CallKit, workerCalls: Set<WorkItemsCall>): Pick<SidecarServiceServer, WorkerMethods> {
  const { unary } = kit;
  return {
    getWorkItems: (call) => {
      try {
        kit.authorize(call);
      } catch (error) {
        call.emit("error", toServiceError(error));
        return;
      }
      let open = true;
      const send = (item: OutgoingWorkItem): boolean => {
        if (!open) return false;
        try {
          writeWorkItem(call, item);
          return true;
        } catch {
          return false;
        }
      };
      const stream = backend.connectWorker(taskHubOf(call), send, workFilterOf(call.request));
      workerCalls.add(call);
      const close = () => {
        if (!open) return;
        open = false;
        workerCalls.delete(call);
        backend.disconnectWorker(stream);
      };
      for (const event of ["cancelled", "close", "error", "finish"]) call.on(event, close);
    },

    completeOrchestratorTask: unary("CompleteOrchestratorTask", async (req) => {
      await backend.completeOrchestratorTask(req);
      return new pb.CompleteTaskResponse();
    }),

    completeActivityTask: unary("CompleteActivityTask", async (req) => {
      await backend.completeActivityTask(req);
      return new pb.CompleteTaskResponse();
    }),

    abandonTaskActivityWorkItem: unary("AbandonTaskActivityWorkItem", (req) => {
      backend.abandon(req.getCompletiontoken());
      return new pb.AbandonActivityTaskResponse();
    }),

    abandonTaskOrchestratorWorkItem: unary("AbandonTaskOrchestratorWorkItem", (req) => {
      backend.abandon(req.getCompletiontoken());
      return new pb.AbandonOrchestrationTaskResponse();
    }),
  };
}

type UnsupportedMethods =
  | "abandonTaskEntityWorkItem"
  | "rewindInstance"
  | "completeEntityTask"
  | "signalEntity"
  | "getEntity"
  | "queryEntities"
  | "cleanEntityStorage"
  | "deleteTaskHub"
  | "skipGracefulOrchestrationTerminations";

/** Methods the local hub refuses with UNIMPLEMENTED (durable entities, rewind, …). */
function unsupportedHandlers(kit: CallKit): Pick<SidecarServiceServer, UnsupportedMethods> {
  const refuse = (name: string, message = `${name} is not implemented by the local hub (durable entities and rewind are not supported).`) =>
    kit.unary<unknown, never>(name, () => {
      throw new RpcError(grpc.status.UNIMPLEMENTED, message);
    });
  return {
    abandonTaskEntityWorkItem: refuse("AbandonTaskEntityWorkItem"),
    rewindInstance: refuse("RewindInstance"),
    completeEntityTask: refuse("CompleteEntityTask"),
    signalEntity: refuse("SignalEntity"),
    getEntity: refuse("GetEntity"),
    queryEntities: refuse("QueryEntities"),
    cleanEntityStorage: refuse("CleanEntityStorage"),
    deleteTaskHub: refuse("DeleteTaskHub", "DeleteTaskHub is not implemented by the local hub: purge instances instead."),
    skipGracefulOrchestrationTerminations: refuse(
      "SkipGracefulOrchestrationTerminations",
      "SkipGracefulOrchestrationTerminations is not implemented by the local hub.",
    ),
  };
}

export interface ServiceOptions {
  backend: HubBackend;
  logger: AppLogger;
  /** When set, every call must carry `authorization: Bearer <token>`. */
  token?: string;
}

/**
 * Builds the handlers for `server.addService(hubServiceDefinition, handlers)` (one per method of the SDK's
 * `ITaskHubSidecarServiceServer`) and `endWorkerStreams()`, which ends every open GetWorkItems stream (used when the
 * hub stops).
 */
export function createServiceHandlers(options: ServiceOptions): { handlers: SidecarServiceServer; endWorkerStreams(): void } {
  const { backend, logger, token } = options;
  const kit = callKit(logger, token);
  const workerCalls = new Set<WorkItemsCall>();
  const handlers = {
    ...instanceHandlers(backend, kit),
    ...collectionHandlers(backend, kit),
    ...workerHandlers(backend, kit, workerCalls),
    ...unsupportedHandlers(kit),
  } satisfies SidecarServiceServer;
  return {
    handlers,
    endWorkerStreams() {
      for (const call of [...workerCalls]) {
        try {
          call.end();
        } catch {
          // already gone
        }
      }
    },
  };
}
