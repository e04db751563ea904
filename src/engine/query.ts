import type { OrchestrationState, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import type { InstanceFilter } from "./types.js";
import { runtimeStatusToSdk } from "./snapshot.js";

/** Instances per QueryInstances call: a view of up to this many costs exactly one call per refresh. */
export const QUERY_PAGE_SIZE = 1000;

/**
 * Every instance matching the filter, with payloads (the SDK only returns the custom status together with the
 * inputs and outputs). One QueryInstances RPC per page of QUERY_PAGE_SIZE; throws the SDK's gRPC error.
 */
export async function queryInstances(client: TaskHubGrpcClient, filter: InstanceFilter = {}, pageSize = QUERY_PAGE_SIZE): Promise<OrchestrationState[]> {
  const pageable = client.getAllInstances({
    statuses: filter.statuses?.map(runtimeStatusToSdk),
    instanceIdPrefix: filter.instanceIdPrefix,
    createdFrom: filter.createdFrom,
    createdTo: filter.createdTo,
    pageSize,
    fetchInputsAndOutputs: true,
  });
  const out: OrchestrationState[] = [];
  for await (const page of pageable.asPages(undefined, pageSize)) {
    out.push(...page.values);
    if (!page.hasMoreResults) break;
  }
  return out;
}
