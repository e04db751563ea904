/**
 * Purging and restarting finished (or, for restart under a new id, any) instances. Built on the calls' InstanceClient
 * alone, like instance-controls.ts, so the full engine and the lean one (`purge` and `restart` without the SDK) act alike.
 */
import { UsageError } from "../errors.js";
import type { Engine } from "./engine.js";
import type { CallTarget, EngineCalls } from "./engine-calls.js";
import { startEachOnce } from "./engine-core.js";
import { randomUuids } from "./random-uuids.js";
import { freshMonitorInput } from "./monitor/input.js";
import { MONITOR_ORCHESTRATOR, isOwnMonitorOrchestration } from "./monitor/names.js";
import { runtimeStatusFromSdk, runtimeStatusToSdk } from "./snapshot.js";
import { TERMINAL_STATUSES, isTerminal } from "./types.js";

export function instanceCleanup(calls: EngineCalls<CallTarget>): Pick<Engine, "purge" | "restart"> {
  const { logger } = calls;
  const instances = () => calls.connection.instances;
  return {
    async purge(target) {
      if (typeof target === "string") {
        const s = await calls.mustGet(target);
        if (!isTerminal(s.runtimeStatus)) throw new UsageError(`Cannot purge '${target}': it is ${s.runtimeStatus}`, "terminate it first");
        return calls.call(`purge ${target}`, () => instances().purge(target));
      }
      const statuses = (target.statuses ?? TERMINAL_STATUSES).filter(isTerminal);
      if (statuses.length === 0) throw new UsageError("Only Completed, Failed and Terminated instances can be purged");
      return calls.call("purge", () => instances().purge({ statuses: statuses.map(runtimeStatusToSdk), createdTo: target.createdBefore }));
    },
    async restart(instanceId, restartOptions) {
      const state = await calls.call(`get ${instanceId}`, () => instances().getInstance(instanceId, true));
      if (!state) throw calls.notFound(instanceId);
      const newId = restartOptions?.newInstanceId ?? false;
      // A new run names the one it came from (status and details show it); the same id replaces the run instead.
      // A monitor restarts from its spec alone: the stored input of a continued-as-new execution carries the old
      // deadline and counters, and the backend's restart would replay that (ending at once with Timeout).
      const fresh = isOwnMonitorOrchestration(state.name) ? freshMonitorInput(state.serializedInput, newId ? instanceId : undefined) : undefined;
      if (!fresh) return calls.call(`restart ${instanceId}`, () => instances().restart(instanceId, newId));
      if (!newId && !isTerminal(runtimeStatusFromSdk(state.runtimeStatus))) {
        throw new UsageError(`Cannot restart '${instanceId}' under the same id while it is running`, "terminate it first, or restart it with a new id");
      }
      const id = newId ? (await randomUuids(1))[0]! : instanceId;
      const schedule = () => instances().scheduleNew(MONITOR_ORCHESTRATOR, fresh, { instanceId: id });
      await startEachOnce(calls, `restart ${instanceId}`, [id], schedule, id);
      logger.info("restarted %s as %s", instanceId, id);
      return id;
    },
  };
}
