/**
 * Acting on a running instance: terminate, suspend, resume and raise (poll-now, set-interval). Built on the calls'
 * InstanceClient alone, so the full engine and the lean one (one-shot commands: no SDK loaded) act alike.
 */
import { UsageError } from "../errors.js";
import type { Engine } from "./engine.js";
import type { CallTarget, EngineCalls } from "./engine-calls.js";
import { EVENT_POLL_NOW, EVENT_SET_INTERVAL, isOwnMonitorOrchestration } from "./monitor/names.js";
import { intervalIssue } from "./monitor/spec.js";
import { parseIntervalEventData } from "./monitor/status.js";

type InstanceControls = Pick<Engine, "terminate" | "suspend" | "resume" | "raise" | "pollNow" | "setInterval">;

/** Refuses, before any call, an event a monitor would ignore or a set-interval it could not read. */
function checkEvent(eventName: string, data: unknown): void {
  if (!eventName.trim()) throw new UsageError("The event name cannot be empty");
  if (eventName === EVENT_SET_INTERVAL && parseIntervalEventData(data) === undefined) {
    const issue = typeof data === "number" ? intervalIssue(data) : "the data must be a number of seconds";
    throw new UsageError(`set-interval: ${issue ?? "the data must be a number of seconds"} (got ${JSON.stringify(data)})`);
  }
}

/**
 * The controls over `calls`. Each throws NotFoundError for an unknown instance, UsageError for one that has ended (or
 * an event a monitor would ignore), and the calls' named errors for a backend that fails (engine-calls.ts).
 */
export function instanceControls(calls: EngineCalls<CallTarget>): InstanceControls {
  const { logger } = calls;
  const instances = () => calls.connection.instances;
  const controls: InstanceControls = {
    async terminate(instanceId, reason, current) {
      await calls.mustBeActive(instanceId, "terminate", current);
      await calls.call(`terminate ${instanceId}`, () => instances().terminate(instanceId, reason ?? "terminated by user"));
    },
    async suspend(instanceId, reason, current) {
      const s = await calls.mustBeActive(instanceId, "suspend", current);
      if (s.runtimeStatus === "Suspended") return;
      logger.info("suspend %s%s", instanceId, reason ? ` (${reason})` : "");
      await calls.call(`suspend ${instanceId}`, () => instances().suspend(instanceId));
    },
    async resume(instanceId, reason, current) {
      await calls.mustBeActive(instanceId, "resume", current);
      logger.info("resume %s%s", instanceId, reason ? ` (${reason})` : "");
      await calls.call(`resume ${instanceId}`, () => instances().resume(instanceId));
    },
    async raise(instanceId, eventName, data, current) {
      checkEvent(eventName, data);
      const target = await calls.mustBeActive(instanceId, `raise '${eventName}' on`, current);
      // Our monitors know two events and would ignore any other; other orchestrations get what is sent.
      if (isOwnMonitorOrchestration(target.name) && eventName !== EVENT_POLL_NOW && eventName !== EVENT_SET_INTERVAL) {
        throw new UsageError(`A monitor does not know the event '${eventName}'; it accepts ${EVENT_POLL_NOW} (no data) and ${EVENT_SET_INTERVAL} (seconds)`);
      }
      await calls.call(`raise ${eventName}`, () => instances().raiseEvent(instanceId, eventName, data));
    },
    pollNow: (instanceId) => controls.raise(instanceId, EVENT_POLL_NOW),
    setInterval: (instanceId, seconds) => controls.raise(instanceId, EVENT_SET_INTERVAL, seconds),
  };
  return controls;
}
