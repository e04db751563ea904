/**
 * The engine's calls that need nothing but an InstanceClient: get, list and start. The full engine (create-engine.ts)
 * and the lean one (lean-engine.ts) are both built on them, so an instance becomes the same snapshot on either path.
 * No SDK or gRPC import here: the lean path must not load them.
 */
import type { Engine } from "./engine.js";
import type { CallTarget, EngineCalls } from "./engine-calls.js";
import { prepareMonitorInput } from "./monitor/input.js";
import { randomUuids } from "./random-uuids.js";
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

/**
 * Sends the start of the instances `ids` (`send` gets the indexes still to start) as one backend call named `what`, run
 * so that no instance starts twice. The call is retried once after the embedded hub's owner exited mid-call
 * (engine-calls.ts), and the first attempt may have been committed before its answer was lost: the retry first lists
 * what the hub created since, and sends only the rest. The ids are the caller's, drawn once, so a committed start is
 * recognised.
 */
export async function startEachOnce<T>(
  calls: EngineCalls<CallTarget>,
  what: string,
  ids: readonly string[],
  send: (indexes: number[]) => Promise<T>,
  noneLeft: T,
): Promise<T> {
  // Recovery exists only for the embedded hub, whose creation times come from this machine's clock: the second back
  // only covers the clock being stepped back a little between here and the first attempt's commit.
  const since = new Date(Date.now() - 1000);
  let attempts = 0;
  return calls.call(what, async () => {
    let indexes = ids.map((_, i) => i);
    if (attempts++ > 0) {
      const created = new Set((await calls.connection.instances.queryInstances({ createdFrom: since })).map((s) => s.instanceId));
      indexes = indexes.filter((i) => !created.has(ids[i]!));
      calls.logger.info("start retried: %d of %d instances were started by the first attempt", ids.length - indexes.length, ids.length);
    }
    return indexes.length ? send(indexes) : noneLeft;
  });
}

/** Starting one monitor: the profile's defaults (read at each start: a config edit can change them) fill what the spec leaves out. */
export function startOne(calls: EngineCalls<CallTarget>, defaults: () => MonitorDefaults | undefined): Pick<Engine, "start"> {
  return {
    async start(spec, startOptions = {}) {
      const input = prepareMonitorInput(spec, defaults());
      const id = startOptions.instanceId ?? (await randomUuids(1))[0]!;
      const schedule = () => calls.connection.instances.scheduleNew(MONITOR_ORCHESTRATOR, input, { instanceId: id, startAt: startOptions.startAt });
      await startEachOnce(calls, "start", [id], schedule, id);
      calls.logger.info("started %s (%s, job %s)", id, input.spec.kind, input.spec.jobId);
      return id;
    },
  };
}
