/**
 * The protocol adapter: implements `TaskHubSidecarService` on top of HubBackend. It only translates — requests to
 * domain calls, records to protocol messages, named errors to gRPC status codes — and enforces the token and the
 * `taskhub` header. It holds no state of its own.
 */
import * as grpc from "@grpc/grpc-js";
import type { AppLogger } from "../../logging.js";
import { HubBackend, HubStoppingError, InvalidStateError, StaleCompletionError } from "./backend.js";
import { PayloadTooLargeError } from "./limits.js";
import { empty, pb, Status, stringValue, timestamp, timestampMs, unwrap, type PbModule } from "./proto.js";
import { DEFAULT_TASK_HUB } from "../task-hub.js";
import { InstanceExistsError, InstanceNotFoundError, StoreError, isTerminalStatus, type InstanceRecord } from "./store.js";
import { mapToRecord } from "./runtime-state.js";
import { createWorkFilter, type WorkFilter } from "./work-filter.js";


type AnyCall = grpc.ServerUnaryCall<any, any> | grpc.ServerWritableStream<any, any>;

class RpcError extends Error {
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
  if (error instanceof PayloadTooLargeError) return { code: grpc.status.RESOURCE_EXHAUSTED, details: `${error.message} (see the README's Limits)` };
  if (error instanceof InvalidStateError) return { code: grpc.status.FAILED_PRECONDITION, details: error.message };
  if (error instanceof StoreError && /continuation token/.test(error.message)) return { code: grpc.status.INVALID_ARGUMENT, details: error.message };
  return { code: grpc.status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}

/** The task hub a call addresses (its `taskhub` header; "default" without one). */
export function taskHubOf(call: { metadata: grpc.Metadata }): string {
  const value = call.metadata.get("taskhub")[0];
  const name = value === undefined ? "" : String(value).trim();
  return name || DEFAULT_TASK_HUB;
}

export function toOrchestrationState(record: InstanceRecord, withPayloads: boolean): PbModule.OrchestrationState {
  const state = new pb.OrchestrationState();
  state.setInstanceid(record.instanceId);
  state.setName(record.name);
  if (record.version) state.setVersion(stringValue(record.version) as never);
  state.setOrchestrationstatus(record.status as never);
  state.setCreatedtimestamp(timestamp(record.createdAt) as never);
  state.setLastupdatedtimestamp(timestamp(record.lastUpdatedAt) as never);
  if (record.scheduledStartAt) state.setScheduledstarttimestamp(timestamp(record.scheduledStartAt) as never);
  if (record.completedAt) state.setCompletedtimestamp(timestamp(record.completedAt) as never);
  state.setExecutionid(stringValue(record.executionId) as never);
  if (record.parent) state.setParentinstanceid(stringValue(record.parent.instanceId) as never);
  if (record.tags) for (const [k, v] of Object.entries(record.tags)) state.getTagsMap().set(k, v);
  if (record.failure) state.setFailuredetails(pb.TaskFailureDetails.deserializeBinary(record.failure));
  // The custom status (bounded by the hub's limit) goes with every state, like the other Durable Task backends do;
  // the input and output (large in old databases) only when asked for.
  if (record.customStatus !== undefined) state.setCustomstatus(stringValue(record.customStatus) as never);
  if (withPayloads) {
    if (record.input !== undefined) state.setInput(stringValue(record.input) as never);
    if (record.output !== undefined) state.setOutput(stringValue(record.output) as never);
  }
  return state;
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

const notImplemented = (what: string) => new RpcError(grpc.status.UNIMPLEMENTED, `${what} is not implemented by the local hub (durable entities and rewind are not supported).`);

export interface ServiceOptions {
  backend: HubBackend;
  logger: AppLogger;
  /** When set, every call must carry `authorization: Bearer <token>`. */
  token?: string;
}

/**
 * Builds the handler object for `server.addService(serviceDefinition, handlers)` (keys are the protocol's method
 * names) and `endWorkerStreams()`, which ends every open GetWorkItems stream (used when the hub stops).
 */
export function createServiceHandlers(options: ServiceOptions): { handlers: grpc.UntypedServiceImplementation; endWorkerStreams(): void } {
  const { backend, logger, token } = options;
  const workerCalls = new Set<grpc.ServerWritableStream<PbModule.GetWorkItemsRequest, PbModule.WorkItem>>();
  const expected = token ? `Bearer ${token}` : undefined;

  const authorize = (call: AnyCall): void => {
    if (!expected) return;
    const got = call.metadata.get("authorization")[0];
    if (got === undefined || String(got) !== expected) {
      throw new RpcError(grpc.status.UNAUTHENTICATED, "Missing or wrong hub token: send metadata 'authorization: Bearer <token>'.");
    }
  };

  function unary<Req, Res>(name: string, fn: (req: Req, taskHub: string, call: grpc.ServerUnaryCall<Req, Res>) => Res | Promise<Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      let result: Res | Promise<Res>;
      try {
        authorize(call);
        result = fn(call.request, taskHubOf(call), call);
      } catch (error) {
        logger.debug("hub: %s failed: %s", name, (error as Error).message);
        callback(toServiceError(error) as grpc.ServiceError);
        return;
      }
      Promise.resolve(result).then(
        (value) => callback(null, value),
        (error: unknown) => {
          logger.debug("hub: %s failed: %s", name, (error as Error).message);
          callback(toServiceError(error) as grpc.ServiceError);
        },
      );
    };
  }

  function waitHandler(name: string, done: (record: InstanceRecord) => boolean): grpc.handleUnaryCall<PbModule.GetInstanceRequest, PbModule.GetInstanceResponse> {
    return (call, callback) => {
      let taskHub: string;
      try {
        authorize(call);
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

  const handlers: grpc.UntypedServiceImplementation = {
    Hello: unary("Hello", () => empty()),

    StartInstance: unary<PbModule.CreateInstanceRequest, PbModule.CreateInstanceResponse>("StartInstance", async (req, taskHub) => {
      if (!req.getName()) throw new RpcError(grpc.status.INVALID_ARGUMENT, "StartInstance: an orchestration name is required.");
      const instanceId = await backend.createInstance(taskHub, {
        instanceId: req.getInstanceid() || undefined,
        name: req.getName(),
        input: unwrap(req.getInput()),
        version: unwrap(req.getVersion()) || undefined,
        tags: mapToRecord(req.getTagsMap()),
        scheduledStartAt: timestampMs(req.getScheduledstarttimestamp()) || undefined,
      });
      const res = new pb.CreateInstanceResponse();
      res.setInstanceid(instanceId);
      return res;
    }),

    GetInstance: unary<PbModule.GetInstanceRequest, PbModule.GetInstanceResponse>("GetInstance", (req, taskHub) => {
      const withPayloads = req.getGetinputsandoutputs();
      return instanceResponse(backend.getInstance(taskHub, req.getInstanceid(), withPayloads), withPayloads);
    }),

    WaitForInstanceStart: waitHandler("WaitForInstanceStart", (r) => r.status !== Status.ORCHESTRATION_STATUS_PENDING),
    WaitForInstanceCompletion: waitHandler("WaitForInstanceCompletion", (r) => isTerminalStatus(r.status)),

    RaiseEvent: unary<PbModule.RaiseEventRequest, PbModule.RaiseEventResponse>("RaiseEvent", async (req, taskHub) => {
      await backend.raiseEvent(taskHub, req.getInstanceid(), req.getName(), unwrap(req.getInput()));
      return new pb.RaiseEventResponse();
    }),

    TerminateInstance: unary<PbModule.TerminateRequest, PbModule.TerminateResponse>("TerminateInstance", async (req, taskHub) => {
      await backend.terminate(taskHub, req.getInstanceid(), unwrap(req.getOutput()), req.getRecursive());
      return new pb.TerminateResponse();
    }),

    SuspendInstance: unary<PbModule.SuspendRequest, PbModule.SuspendResponse>("SuspendInstance", async (req, taskHub) => {
      await backend.suspend(taskHub, req.getInstanceid(), unwrap(req.getReason()));
      return new pb.SuspendResponse();
    }),

    ResumeInstance: unary<PbModule.ResumeRequest, PbModule.ResumeResponse>("ResumeInstance", async (req, taskHub) => {
      await backend.resume(taskHub, req.getInstanceid(), unwrap(req.getReason()));
      return new pb.ResumeResponse();
    }),

    QueryInstances: unary<PbModule.QueryInstancesRequest, PbModule.QueryInstancesResponse>("QueryInstances", (req, taskHub) => {
      const q = req.getQuery() ?? new pb.InstanceQuery();
      const withPayloads = q.getFetchinputsandoutputs();
      const page = backend.queryInstances({
        taskHub,
        statuses: q.getRuntimestatusList() as number[],
        createdFrom: timestampMs(q.getCreatedtimefrom()),
        createdTo: timestampMs(q.getCreatedtimeto()),
        instanceIdPrefix: unwrap(q.getInstanceidprefix()) || undefined,
        pageSize: q.getMaxinstancecount() || 100,
        continuationToken: unwrap(q.getContinuationtoken()) || undefined,
        withPayloads,
      });
      const res = new pb.QueryInstancesResponse();
      res.setOrchestrationstateList(page.instances.map((r) => toOrchestrationState(r, withPayloads)));
      if (page.continuationToken) res.setContinuationtoken(stringValue(page.continuationToken) as never);
      return res;
    }),

    ListInstanceIds: unary<PbModule.ListInstanceIdsRequest, PbModule.ListInstanceIdsResponse>("ListInstanceIds", (req, taskHub) => {
      const page = backend.listInstanceIds({
        taskHub,
        statuses: req.getRuntimestatusList() as number[],
        completedFrom: timestampMs(req.getCompletedtimefrom()),
        completedTo: timestampMs(req.getCompletedtimeto()),
        pageSize: req.getPagesize() || 100,
        lastInstanceKey: unwrap(req.getLastinstancekey()) || undefined,
      });
      const res = new pb.ListInstanceIdsResponse();
      res.setInstanceidsList(page.instanceIds);
      if (page.lastInstanceKey) res.setLastinstancekey(stringValue(page.lastInstanceKey) as never);
      return res;
    }),

    PurgeInstances: unary<PbModule.PurgeInstancesRequest, PbModule.PurgeInstancesResponse>("PurgeInstances", async (req, taskHub) => {
      let deleted: number;
      const recursive = req.getRecursive();
      if (req.getInstanceid()) deleted = await backend.purgeInstance(taskHub, req.getInstanceid(), recursive);
      else if (req.hasPurgeinstancefilter()) {
        const f = req.getPurgeinstancefilter()!;
        deleted = await backend.purgeInstances({
          taskHub,
          statuses: f.getRuntimestatusList() as number[],
          createdFrom: timestampMs(f.getCreatedtimefrom()),
          createdTo: timestampMs(f.getCreatedtimeto()),
          recursive,
        });
      } else if (req.hasInstancebatch()) {
        deleted = 0;
        for (const id of req.getInstancebatch()!.getInstanceidsList()) deleted += await backend.purgeInstance(taskHub, id, recursive);
      } else throw new RpcError(grpc.status.INVALID_ARGUMENT, "PurgeInstances: give an instance id or a filter.");
      const res = new pb.PurgeInstancesResponse();
      res.setDeletedinstancecount(deleted);
      return res;
    }),

    RestartInstance: unary<PbModule.RestartInstanceRequest, PbModule.RestartInstanceResponse>("RestartInstance", async (req, taskHub) => {
      const instanceId = await backend.restartInstance(taskHub, req.getInstanceid(), req.getRestartwithnewinstanceid());
      const res = new pb.RestartInstanceResponse();
      res.setInstanceid(instanceId);
      return res;
    }),

    StreamInstanceHistory: (call: grpc.ServerWritableStream<PbModule.StreamInstanceHistoryRequest, PbModule.HistoryChunk>) => {
      try {
        authorize(call);
        const events = backend.getHistory(taskHubOf(call), call.request.getInstanceid());
        for (let i = 0; i < events.length || i === 0; i += 200) {
          const chunk = new pb.HistoryChunk();
          chunk.setEventsList(events.slice(i, i + 200));
          call.write(chunk);
        }
        call.end();
      } catch (error) {
        call.emit("error", toServiceError(error));
      }
    },

    GetWorkItems: (call: grpc.ServerWritableStream<PbModule.GetWorkItemsRequest, PbModule.WorkItem>) => {
      try {
        authorize(call);
      } catch (error) {
        call.emit("error", toServiceError(error));
        return;
      }
      let open = true;
      const stream = backend.connectWorker(taskHubOf(call), (item) => {
        if (!open) return false;
        try {
          call.write(item as PbModule.WorkItem);
          return true;
        } catch {
          return false;
        }
      }, workFilterOf(call.request));
      workerCalls.add(call);
      const close = () => {
        if (!open) return;
        open = false;
        workerCalls.delete(call);
        backend.disconnectWorker(stream);
      };
      call.on("cancelled", close);
      call.on("close", close);
      call.on("error", close);
      call.on("finish", close);
    },

    CompleteOrchestratorTask: unary<PbModule.OrchestratorResponse, PbModule.CompleteTaskResponse>("CompleteOrchestratorTask", async (req) => {
      await backend.completeOrchestratorTask(req);
      return new pb.CompleteTaskResponse();
    }),

    CompleteActivityTask: unary<PbModule.ActivityResponse, PbModule.CompleteTaskResponse>("CompleteActivityTask", async (req) => {
      await backend.completeActivityTask(req);
      return new pb.CompleteTaskResponse();
    }),

    AbandonTaskActivityWorkItem: unary<PbModule.AbandonActivityTaskRequest, PbModule.AbandonActivityTaskResponse>("AbandonTaskActivityWorkItem", (req) => {
      backend.abandon(req.getCompletiontoken());
      return new pb.AbandonActivityTaskResponse();
    }),

    AbandonTaskOrchestratorWorkItem: unary<PbModule.AbandonOrchestrationTaskRequest, PbModule.AbandonOrchestrationTaskResponse>(
      "AbandonTaskOrchestratorWorkItem",
      (req) => {
        backend.abandon(req.getCompletiontoken());
        return new pb.AbandonOrchestrationTaskResponse();
      },
    ),

    AbandonTaskEntityWorkItem: unary("AbandonTaskEntityWorkItem", () => {
      throw notImplemented("AbandonTaskEntityWorkItem");
    }),
    RewindInstance: unary("RewindInstance", () => {
      throw notImplemented("RewindInstance");
    }),
    CompleteEntityTask: unary("CompleteEntityTask", () => {
      throw notImplemented("CompleteEntityTask");
    }),
    SignalEntity: unary("SignalEntity", () => {
      throw notImplemented("SignalEntity");
    }),
    GetEntity: unary("GetEntity", () => {
      throw notImplemented("GetEntity");
    }),
    QueryEntities: unary("QueryEntities", () => {
      throw notImplemented("QueryEntities");
    }),
    CleanEntityStorage: unary("CleanEntityStorage", () => {
      throw notImplemented("CleanEntityStorage");
    }),
    CreateTaskHub: unary("CreateTaskHub", () => new pb.CreateTaskHubResponse()),
    DeleteTaskHub: unary("DeleteTaskHub", () => {
      throw new RpcError(grpc.status.UNIMPLEMENTED, "DeleteTaskHub is not implemented by the local hub: purge instances instead.");
    }),
    SkipGracefulOrchestrationTerminations: unary("SkipGracefulOrchestrationTerminations", () => {
      throw new RpcError(grpc.status.UNIMPLEMENTED, "SkipGracefulOrchestrationTerminations is not implemented by the local hub.");
    }),
  };
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
