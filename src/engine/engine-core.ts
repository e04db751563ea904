/**
 * The engine's calls that need nothing but an InstanceClient: get, list and start. The full engine (create-engine.ts)
 * and the lean one (lean-engine.ts) are both built on them, so an instance becomes the same snapshot on either path.
 * No SDK or gRPC import here: the lean path must not load them.
 */
import type { Engine } from "./engine.js";
import type { CallTarget, EngineCalls } from "./engine-calls.js";
import { prepareMonitorInput } from "./monitor/input.js";
import { MONITOR_ORCHESTRATOR } from "./monitor/names.js";
import type { MonitorDefaults } from "./profile.js";
import { toSnapshot } from "./snapshot.js";

/** Reading instances: one, or every one matching a filter (newest first); waiting for one to be picked up. */
export function instanceLookups(calls: EngineCalls<CallTarget>): Pick<Engine, "get" | "list" | "waitUntilStarted"> {
  return {
    get: (instanceId) => calls.get(instanceId),
    waitUntilStarted: (instanceId, timeoutMs) =>
      calls.call(`wait for ${instanceId} to start`, () => calls.connection.instances.waitUntilStarted(instanceId, timeoutMs)),
    async list(filter, options) {
      const states = await calls.call("list", () => calls.fetchAll(filter, options));
      return states.map((s) => toSnapshot(s, calls.specs)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },
  };
}

/** Starting one monitor: the profile's defaults (read at each start: a config edit can change them) fill what the spec leaves out. */
export function startOne(calls: EngineCalls<CallTarget>, defaults: () => MonitorDefaults | undefined): Pick<Engine, "start"> {
  return {
    async start(spec, startOptions = {}) {
      const input = prepareMonitorInput(spec, defaults());
      const id = await calls.call("start", () =>
        calls.connection.instances.scheduleNew(MONITOR_ORCHESTRATOR, input, { instanceId: startOptions.instanceId, startAt: startOptions.startAt }),
      );
      calls.logger.info("started %s (%s, job %s)", id, input.spec.kind, input.spec.jobId);
      return id;
    },
  };
}
