/**
 * The wire client's hand-written protobuf against the SDK's generated classes (the field numbers of
 * orchestrator_service.proto): what it writes, the SDK reads back field for field (and byte for byte where the SDK
 * builds the same request); what the SDK writes, it reads, skipping fields it does not use. A drift in the SDK's
 * proto fails here. Also: the status numbers it relies on match grpc-js's and the SDK's.
 */
import * as grpc from "@grpc/grpc-js";
import { OrchestrationStatus } from "@microsoft/durabletask-js";
import { describe, expect, test } from "vitest";
import { pb, stringValue, timestamp } from "../../src/engine/hub/proto.js";
import { OrchestrationStatusCode } from "../../src/engine/instance-client.js";
import { GrpcStatus } from "../../src/engine/wire/grpc-status.js";
import {
  decodeInstanceIdResponse,
  decodeGetResponse,
  decodeQueryResponse,
  encodeCreateRequest,
  encodeGetRequest,
  encodeInstanceIdRequest,
  encodeQueryRequest,
  encodeRaiseRequest,
  encodeTerminateRequest,
  encodePurgeRequest,
  encodeRestartRequest,
  decodePurgeResponse,
} from "../../src/engine/wire/messages.js";
import { ProtoDecodeError, ProtoReader } from "../../src/engine/wire/proto-reader.js";
import { ProtoWriter } from "../../src/engine/wire/proto-writer.js";

const bytes = (message: { serializeBinary(): Uint8Array }) => Buffer.from(message.serializeBinary());

/** A state with every field the proto has set, including those the wire client skips. */
function fullState(id: string): InstanceType<typeof pb.OrchestrationState> {
  const failure = new pb.TaskFailureDetails();
  failure.setErrortype("Error");
  failure.setErrormessage("boom ✗");
  failure.setStacktrace(stringValue("Error: boom\n    at x"));
  const inner = new pb.TaskFailureDetails();
  inner.setErrormessage("inner");
  failure.setInnerfailure(inner);
  failure.setIsnonretriable(true);
  const s = new pb.OrchestrationState();
  s.setInstanceid(id);
  s.setName("job_monitor");
  s.setVersion(stringValue("1.0"));
  s.setOrchestrationstatus(pb.OrchestrationStatus.ORCHESTRATION_STATUS_FAILED);
  s.setScheduledstarttimestamp(timestamp(1_700_000_000_000));
  s.setCreatedtimestamp(timestamp(1_764_620_000_123));
  s.setLastupdatedtimestamp(timestamp(1_764_620_005_456));
  s.setInput(stringValue(JSON.stringify({ job_id: "j-1", polling_interval_seconds: 5 })));
  s.setOutput(stringValue(""));
  s.setCustomstatus(stringValue(JSON.stringify({ job_id: "j-1", status: "Running", check_count: 3, last_check_time: "2026-12-01T20:00:00Z" })));
  s.setFailuredetails(failure);
  s.setExecutionid(stringValue("exec-1"));
  s.setCompletedtimestamp(timestamp(1_764_620_006_000));
  s.setParentinstanceid(stringValue("parent"));
  s.getTagsMap().set("team", "ops");
  return s;
}

describe("status numbers", () => {
  test("gRPC status codes and names match grpc-js", () => {
    const fromGrpc = Object.fromEntries(Object.entries(grpc.status).filter(([, v]) => typeof v === "number"));
    expect(GrpcStatus).toEqual(fromGrpc);
  });

  test("orchestration status numbers match the proto and the SDK's enum", () => {
    for (const [name, code] of Object.entries(OrchestrationStatusCode)) {
      expect(pb.OrchestrationStatus[`ORCHESTRATION_STATUS_${name}` as keyof typeof pb.OrchestrationStatus], name).toBe(code);
      if (name !== "CANCELED") expect(OrchestrationStatus[name as keyof typeof OrchestrationStatus], name).toBe(code);
    }
    expect(Object.keys(pb.OrchestrationStatus)).toHaveLength(Object.keys(OrchestrationStatusCode).length);
  });
});

describe("requests the wire client writes", () => {
  test("QueryInstancesRequest: every field as the SDK reads it, and the same bytes as the SDK's own request", () => {
    const created = new Date(Date.UTC(2026, 11, 1, 20, 0, 0, 250));
    const mine = encodeQueryRequest({
      statuses: [OrchestrationStatusCode.RUNNING, OrchestrationStatusCode.FAILED, OrchestrationStatusCode.SUSPENDED],
      createdFrom: created,
      createdTo: new Date(created.getTime() + 1000),
      instanceIdPrefix: "job-",
      pageSize: 1000,
      continuationToken: "next-page",
      fetchInputsAndOutputs: true,
    });
    const q = pb.QueryInstancesRequest.deserializeBinary(mine).getQuery()!;
    expect(q.getRuntimestatusList()).toEqual([0, 3, 7]);
    expect(q.getCreatedtimefrom()!.toDate()).toEqual(created);
    expect(q.getCreatedtimeto()!.toDate()).toEqual(new Date(created.getTime() + 1000));
    expect(q.getInstanceidprefix()!.getValue()).toBe("job-");
    expect(q.getMaxinstancecount()).toBe(1000);
    expect(q.getContinuationtoken()!.getValue()).toBe("next-page");
    expect(q.getFetchinputsandoutputs()).toBe(true);

    const sdkQuery = new pb.InstanceQuery();
    sdkQuery.setRuntimestatusList([0, 3, 7]);
    sdkQuery.setCreatedtimefrom(timestamp(created.getTime()));
    sdkQuery.setCreatedtimeto(timestamp(created.getTime() + 1000));
    sdkQuery.setInstanceidprefix(stringValue("job-"));
    sdkQuery.setMaxinstancecount(1000);
    sdkQuery.setContinuationtoken(stringValue("next-page"));
    sdkQuery.setFetchinputsandoutputs(true);
    const sdk = new pb.QueryInstancesRequest();
    sdk.setQuery(sdkQuery);
    expect(mine).toEqual(bytes(sdk));

    const bare = pb.QueryInstancesRequest.deserializeBinary(encodeQueryRequest({ pageSize: 50 })).getQuery()!;
    expect([bare.getRuntimestatusList(), bare.getMaxinstancecount(), bare.hasContinuationtoken(), bare.getFetchinputsandoutputs()]).toEqual([[], 50, false, false]);
  });

  test("GetInstanceRequest and CreateInstanceRequest: as the SDK's client builds them", () => {
    const get = new pb.GetInstanceRequest();
    get.setInstanceid("id-1 ✓");
    get.setGetinputsandoutputs(true);
    expect(encodeGetRequest("id-1 ✓", true)).toEqual(bytes(get));

    const create = new pb.CreateInstanceRequest();
    create.setInstanceid("id-2");
    create.setName("DurableMonitorTui.Monitor");
    create.setInput(stringValue(JSON.stringify({ spec: { jobId: "ü" } })));
    create.setScheduledstarttimestamp(timestamp(0)); // the SDK sends the epoch for "now"
    expect(encodeCreateRequest({ instanceId: "id-2", name: "DurableMonitorTui.Monitor", input: JSON.stringify({ spec: { jobId: "ü" } }) })).toEqual(bytes(create));

    const later = new Date(Date.UTC(2027, 0, 2, 3, 4, 5, 6));
    const scheduled = pb.CreateInstanceRequest.deserializeBinary(encodeCreateRequest({ instanceId: "x", name: "n", startAt: later }));
    expect(scheduled.getScheduledstarttimestamp()!.toDate()).toEqual(later);
  });

  test("RaiseEvent, Terminate, Suspend and Resume requests: the same bytes as the SDK's client builds", () => {
    const raise = (data: unknown) => {
      const r = new pb.RaiseEventRequest();
      r.setInstanceid("id-3");
      r.setName("set-interval");
      r.setInput(stringValue(JSON.stringify(data ?? null))); // the SDK's default: null
      return bytes(r);
    };
    for (const data of [30, { seconds: 30 }, "ü", undefined, null, 0]) expect(encodeRaiseRequest("id-3", "set-interval", data), JSON.stringify(data)).toEqual(raise(data));

    const terminate = new pb.TerminateRequest();
    terminate.setInstanceid("id-4");
    terminate.setOutput(stringValue(JSON.stringify("not needed today")));
    terminate.setRecursive(false);
    expect(encodeTerminateRequest("id-4", "not needed today")).toEqual(bytes(terminate));

    for (const message of [new pb.SuspendRequest(), new pb.ResumeRequest()]) {
      message.setInstanceid("id-5");
      expect(encodeInstanceIdRequest("id-5")).toEqual(bytes(message));
    }
  });

  test("PurgeInstances and RestartInstance requests: the same bytes as the SDK's client builds", () => {
    const byId = new pb.PurgeInstancesRequest();
    byId.setInstanceid("id-6");
    byId.setRecursive(false);
    expect(encodePurgeRequest("id-6")).toEqual(bytes(byId));

    const before = new Date(Date.UTC(2026, 11, 1, 12, 30, 15, 250));
    for (const createdTo of [before, undefined]) {
      const filter = new pb.PurgeInstanceFilter();
      if (createdTo) filter.setCreatedtimeto(timestamp(createdTo.getTime()));
      filter.setRuntimestatusList([OrchestrationStatus.COMPLETED, OrchestrationStatus.FAILED, OrchestrationStatus.TERMINATED] as never);
      const request = new pb.PurgeInstancesRequest();
      request.setPurgeinstancefilter(filter);
      request.setRecursive(false);
      const statuses = [OrchestrationStatusCode.COMPLETED, OrchestrationStatusCode.FAILED, OrchestrationStatusCode.TERMINATED];
      expect(encodePurgeRequest({ statuses, createdTo }), String(createdTo)).toEqual(bytes(request));
    }

    for (const newId of [true, false]) {
      const restart = new pb.RestartInstanceRequest();
      restart.setInstanceid("id-7");
      restart.setRestartwithnewinstanceid(newId);
      expect(encodeRestartRequest("id-7", newId)).toEqual(bytes(restart));
    }
  });

  test("negative int64 values (a timestamp before 1970) are ten-byte two's complement, as protobuf writes them", () => {
    const before = new Date(-1500);
    const q = pb.QueryInstancesRequest.deserializeBinary(encodeQueryRequest({ pageSize: 1, createdFrom: before })).getQuery()!;
    expect(q.getCreatedtimefrom()!.getSeconds()).toBe(-2);
    expect(q.getCreatedtimefrom()!.toDate()).toEqual(before);
  });
});

describe("answers the wire client reads", () => {
  test("GetInstanceResponse: the fields the engine reads, as the SDK's client maps them; the rest skipped", () => {
    const res = new pb.GetInstanceResponse();
    res.setExists(true);
    res.setOrchestrationstate(fullState("sample-1"));
    expect(decodeGetResponse(bytes(res), "sample-1")).toEqual({
      instanceId: "sample-1",
      name: "job_monitor",
      runtimeStatus: OrchestrationStatusCode.FAILED,
      createdAt: new Date(1_764_620_000_123),
      lastUpdatedAt: new Date(1_764_620_005_456),
      serializedInput: JSON.stringify({ job_id: "j-1", polling_interval_seconds: 5 }),
      serializedOutput: "",
      serializedCustomStatus: JSON.stringify({ job_id: "j-1", status: "Running", check_count: 3, last_check_time: "2026-12-01T20:00:00Z" }),
      failureDetails: { message: "boom ✗", errorType: "Error", stackTrace: "Error: boom\n    at x" },
    });
  });

  test("GetInstanceResponse: not there is undefined; a bare state gets the epoch and the id asked for", () => {
    expect(decodeGetResponse(bytes(new pb.GetInstanceResponse()), "x")).toBeUndefined();
    const res = new pb.GetInstanceResponse();
    res.setExists(true);
    res.setOrchestrationstate(new pb.OrchestrationState());
    expect(decodeGetResponse(bytes(res), "asked")).toEqual({ instanceId: "asked", name: "", runtimeStatus: 0, createdAt: new Date(0), lastUpdatedAt: new Date(0) });
  });

  test("QueryInstancesResponse: states without payloads (custom status kept), the continuation token, nameless ids dropped", () => {
    const res = new pb.QueryInstancesResponse();
    res.setOrchestrationstateList([fullState("a"), new pb.OrchestrationState(), fullState("b")]);
    res.setContinuationtoken(stringValue("page-2"));
    const page = decodeQueryResponse(bytes(res), false);
    expect(page.continuationToken).toBe("page-2");
    expect(page.states.map((s) => s.instanceId)).toEqual(["a", "b"]);
    expect(page.states[0]!.serializedInput).toBeUndefined();
    expect(page.states[0]!.serializedOutput).toBeUndefined();
    expect(page.states[0]!.serializedCustomStatus).toContain('"check_count":3');
    expect(decodeQueryResponse(bytes(res), true).states[0]!.serializedOutput).toBe("");
    expect(decodeQueryResponse(bytes(new pb.QueryInstancesResponse()), false)).toEqual({ states: [] });
  });

  test("PurgeInstancesResponse and RestartInstanceResponse", () => {
    const purged = new pb.PurgeInstancesResponse();
    purged.setDeletedinstancecount(42);
    expect(decodePurgeResponse(bytes(purged))).toBe(42);
    expect(decodePurgeResponse(Buffer.alloc(0))).toBe(0);
    const restarted = new pb.RestartInstanceResponse();
    restarted.setInstanceid("run-2");
    expect(decodeInstanceIdResponse(bytes(restarted))).toBe("run-2");
  });

  test("CreateInstanceResponse", () => {
    const res = new pb.CreateInstanceResponse();
    res.setInstanceid("new-id");
    expect(decodeInstanceIdResponse(bytes(res))).toBe("new-id");
  });

  test("unknown fields of every wire type are skipped; malformed input is an error, not a wrong answer", () => {
    const unknown = new ProtoWriter().int(99, 7).string(100, "later").finish();
    const fixed = Buffer.from([(101 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8, (102 << 3) | 5, 1, 2, 3, 4]);
    const known = new ProtoWriter().string(1, "id-x").finish();
    expect(decodeInstanceIdResponse(Buffer.concat([unknown, fixed, known]))).toBe("id-x");
    expect(() => decodeInstanceIdResponse(Buffer.from([0x0a, 0x05, 0x61]))).toThrow(ProtoDecodeError);
    expect(() => decodeInstanceIdResponse(Buffer.from([0x0a, 0x80]))).toThrow(ProtoDecodeError);
    expect(() => new ProtoReader(Buffer.from([0x00, 0x00])).forEachField(() => {})).toThrow(/field number 0/);
    expect(() => decodeInstanceIdResponse(Buffer.from([(3 << 3) | 3]))).toThrow(/wire type 3/);
  });
});
