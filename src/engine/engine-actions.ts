/**
 * The engine's commands on instances (start; purge and restart are instance-cleanup.ts's, terminate, suspend, resume
 * and raise instance-controls.ts's) and its reads (history, list, wait), each over `EngineCalls`: see `Engine` for
 * every method's contract.
 */
import { NotFoundError, UsageError, WaitTimeoutError } from "../errors.js";
import type { Engine } from "./engine.js";
import type { EngineCalls } from "./engine-calls.js";
import { toEngineError } from "./connection/errors.js";
import { mapHistory } from "./history.js";
import { forEachInFlight } from "./in-flight.js";
import { prepareMonitorInput } from "./monitor/input.js";
import { MONITOR_ORCHESTRATOR, isCheckActivity } from "./monitor/names.js";
import type { MonitorDefaults } from "./profile.js";
import { isSdkTimeout } from "./sdk-seam.js";
import { toSnapshot } from "./snapshot.js";
import { instanceLookups, startEachOnce, startOne } from "./engine-core.js";
import { randomUuids } from "./random-uuids.js";
import { instanceControls } from "./instance-controls.js";
import { instanceCleanup } from "./instance-cleanup.js";

/** startMany's requests in flight: enough to hide each round trip, few enough not to flood a remote scheduler. */
export const START_MANY_IN_FLIGHT = 32;

type InstanceCommands = Pick<
  Engine,
  "start" | "startMany" | "terminate" | "suspend" | "resume" | "raise" | "pollNow" | "setInterval" | "purge" | "restart"
>;
type InstanceReads = Pick<Engine, "get" | "history" | "list" | "waitUntilStarted" | "waitForCompletion">;

/** Starting monitors (one, or many over one connection). */
function startCommands(calls: EngineCalls, defaults: () => MonitorDefaults | undefined): Pick<Engine, "start" | "startMany"> {
  const { connection, logger } = calls;
  return {
    ...startOne(calls, defaults),
    async startMany(specs) {
      const inputs = specs.map((spec, i) => {
        try {
          return prepareMonitorInput(spec, defaults());
        } catch (error) {
          throw error instanceof UsageError ? new UsageError(`spec ${i + 1}: ${error.message}`, error.tryMessage) : error;
        }
      });
      const ids = await randomUuids(inputs.length);
      const schedule = (i: number) => () => connection.instances.scheduleNew(MONITOR_ORCHESTRATOR, inputs[i], { instanceId: ids[i] });
      // Our hub starts them all in a few calls; other backends (and a hub of an earlier release) one call each, for
      // what the batches left (all of them, or what a retried batch found not started when the hub turned out older).
      const left = await startEachOnce(
        calls,
        "start",
        ids,
        async (indexes) => ((await connection.startInstances(MONITOR_ORCHESTRATOR, indexes.map((i) => ({ instanceId: ids[i]!, input: inputs[i] })))) ? [] : indexes),
        [],
      );
      await forEachInFlight(left, START_MANY_IN_FLIGHT, async (i) => {
        await startEachOnce(calls, "start", [ids[i]!], schedule(i), ids[i]!);
      });
      logger.info("started %d monitors", ids.length);
      return ids;
    },
  };
}

/** Every command on instances. */
export function instanceCommands(calls: EngineCalls, defaults: () => MonitorDefaults | undefined): InstanceCommands {
  return {
    ...startCommands(calls, defaults),
    ...instanceCleanup(calls),
    ...instanceControls(calls),
  };
}

/** Reading instances: one, a list, its history, or waiting for it to finish. */
export function instanceReads(calls: EngineCalls): InstanceReads {
  const { connection, specs } = calls;
  return {
    ...instanceLookups(calls),
    async history(instanceId) {
      await calls.mustGet(instanceId);
      const events = await calls.call(`history ${instanceId}`, () => connection.client.getOrchestrationHistory(instanceId));
      return mapHistory(events, isCheckActivity);
    },
    async waitForCompletion(instanceId, timeoutMs = 5 * 60_000) {
      await calls.mustGet(instanceId);
      let state;
      try {
        state = await connection.client.waitForOrchestrationCompletion(instanceId, true, Math.max(1, Math.ceil(timeoutMs / 1000)));
      } catch (error) {
        if (isSdkTimeout(error)) throw new WaitTimeoutError(instanceId, timeoutMs);
        throw toEngineError(error, connection.info, `wait for ${instanceId}`);
      }
      if (!state) throw new NotFoundError(`No instance '${instanceId}'`);
      return toSnapshot(state, specs);
    },
  };
}
