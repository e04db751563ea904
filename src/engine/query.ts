import type { OrchestrationState, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import type { InstanceFilter } from "./types.js";
import { runtimeStatusToSdk } from "./snapshot.js";

/** Instances per QueryInstances call: a view of up to this many costs exactly one call per refresh. */
export const QUERY_PAGE_SIZE = 1000;

/**
 * Every instance matching the filter, without inputs and outputs (an instance's payloads are fetched on their own,
 * see payloads.ts): name, status, times, failure and custom status. One QueryInstances RPC per page of up to
 * QUERY_PAGE_SIZE (the local hub also ends a page at a byte budget); throws the SDK's gRPC error.
 */
export async function queryInstances(client: TaskHubGrpcClient, filter: InstanceFilter = {}, pageSize = QUERY_PAGE_SIZE): Promise<OrchestrationState[]> {
  const pageable = instancesWithoutPayloads(client, filter, pageSize);
  const out: OrchestrationState[] = [];
  for await (const page of pageable.asPages(undefined, pageSize)) {
    out.push(...page.values);
    if (!page.hasMoreResults) break;
  }
  return out;
}

/** The SDK's pager over QueryInstances without payloads (custom status kept), `pageSize` instances per call. */
export function instancesWithoutPayloads(client: TaskHubGrpcClient, filter: InstanceFilter, pageSize: number) {
  keepCustomStatusWithoutPayloads(client);
  return client.getAllInstances({
    statuses: filter.statuses?.map(runtimeStatusToSdk),
    instanceIdPrefix: filter.instanceIdPrefix,
    createdFrom: filter.createdFrom,
    createdTo: filter.createdTo,
    pageSize,
    fetchInputsAndOutputs: false,
  });
}

type StateFromProto = (proto: { getCustomstatus(): { getValue(): string } | undefined }, fetchPayloads: boolean) => OrchestrationState | undefined;
const PATCHED = Symbol("keepsCustomStatusWithoutPayloads");

/**
 * The one seam into the SDK's private parts for queries: the SDK (0.4) drops the custom status of states queried
 * without payloads, though backends send it (it is bounded; the inputs and outputs are not). This wraps the client's
 * private `_createOrchestrationStateFromProto` to keep it. Returns false (and changes nothing) if the method is gone:
 * test/engine/query-seam.test.ts fails that day.
 */
export function keepCustomStatusWithoutPayloads(client: TaskHubGrpcClient): boolean {
  const target = client as unknown as { _createOrchestrationStateFromProto?: StateFromProto; [PATCHED]?: boolean };
  if (target[PATCHED]) return true;
  const original = target._createOrchestrationStateFromProto;
  if (typeof original !== "function") return false;
  target._createOrchestrationStateFromProto = function (this: unknown, proto, fetchPayloads) {
    const state = original.call(this, proto, fetchPayloads);
    if (state && !fetchPayloads && state.serializedCustomStatus === undefined) {
      (state as { serializedCustomStatus?: string }).serializedCustomStatus = proto.getCustomstatus()?.getValue();
    }
    return state;
  };
  target[PATCHED] = true;
  return true;
}
