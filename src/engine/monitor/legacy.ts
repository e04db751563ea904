/**
 * Whether the legacy orchestrator name (`monitor`, releases before 0.2) still has work on this task hub.
 *
 * Why ask: registering `monitor` on a shared task hub would take a user's own orchestrator of that name (a likely
 * name) and fail it. So our worker registers the legacy names only on our own database (embedded profile) and only
 * while monitors stored under that name are unfinished; once they are done, new instances use the prefixed names.
 */
import { OrchestrationStatus, type TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { LEGACY_MONITOR_ORCHESTRATOR } from "./names.js";

const UNFINISHED = [OrchestrationStatus.RUNNING, OrchestrationStatus.PENDING, OrchestrationStatus.SUSPENDED];

/**
 * True when an unfinished instance is named `monitor`: asked of the hub's database when this process runs the hub
 * (`ownHub`; one indexed read), else one QueryInstances per 1000 unfinished instances, no payloads (at 1,000 monitors
 * that query kept a starting dashboard's hub busy for ~0.4 s, serializing every custom status).
 */
export async function hasUnfinishedLegacyMonitors(
  client: TaskHubGrpcClient,
  ownHub?: (name: string, statuses: readonly number[]) => boolean | undefined,
): Promise<boolean> {
  const own = ownHub?.(LEGACY_MONITOR_ORCHESTRATOR, UNFINISHED);
  if (own !== undefined) return own;
  const pageable = client.getAllInstances({ statuses: UNFINISHED, pageSize: 1000, fetchInputsAndOutputs: false });
  for await (const page of pageable.asPages(undefined, 1000)) {
    if (page.values.some((state) => state.name === LEGACY_MONITOR_ORCHESTRATOR)) return true;
    if (!page.hasMoreResults) break;
  }
  return false;
}
