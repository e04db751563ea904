/**
 * The hub's size limits (documented in the README's "Limits"): nothing a client or a worker sends may grow the
 * database or a work item without bound. A client request over a limit is refused (RESOURCE_EXHAUSTED, naming the
 * field, its size and the limit); an orchestrator turn over a limit fails that orchestration with the same reason;
 * an activity result over the limit becomes that activity's failure.
 */
import { byteSize, formatSize } from "../byte-size.js";
import * as ev from "./events.js";
import { pb, Status, unwrap, type PbModule } from "./proto.js";

export interface HubLimits {
  /** An orchestration's input (at start, and the input of continue-as-new and sub-orchestrations). */
  inputBytes: number;
  /** An orchestration's output, a termination output. */
  outputBytes: number;
  /** An orchestration's custom status. */
  customStatusBytes: number;
  /** An event's payload (raised, sent, suspend/resume reasons) and an activity's input or result. */
  eventBytes: number;
  /** The history of one execution (continue-as-new starts a new one). */
  historyBytes: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_HUB_LIMITS: HubLimits = {
  inputBytes: MiB,
  outputBytes: MiB,
  customStatusBytes: 64 * 1024,
  eventBytes: MiB,
  historyBytes: 16 * MiB,
};

/** A payload is over one of the hub's limits. Mapped to gRPC RESOURCE_EXHAUSTED. */
export class PayloadTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadTooLargeError";
  }
}

/** The reason `text` is refused as `what`, or undefined when it fits. */
export function overLimit(what: string, text: string | undefined, limit: number): string | undefined {
  const size = byteSize(text);
  return size > limit ? `${what} is ${formatSize(size)}, over the hub's limit of ${formatSize(limit)}` : undefined;
}

/** @throws PayloadTooLargeError when `text` is over `limit`. */
export function requireWithin(what: string, text: string | undefined, limit: number): void {
  const reason = overLimit(what, text, limit);
  if (reason) throw new PayloadTooLargeError(reason);
}

const Action = pb.OrchestratorAction.OrchestratoractiontypeCase;

/**
 * Why an orchestrator turn is over a limit (its custom status, an action's payload, or the execution's history with
 * what it appends), or undefined when it fits. `historyBytes` is the size of the history so far plus the new events.
 */
export function oversizedTurn(response: PbModule.OrchestratorResponse, historyBytes: number, limits: HubLimits): string | undefined {
  const customStatus = overLimit("The custom status", unwrap(response.getCustomstatus()), limits.customStatusBytes);
  if (customStatus) return customStatus;
  let appended = historyBytes;
  let continuesAsNew = false;
  for (const action of response.getActionsList()) {
    let reason: string | undefined;
    let payload: string | undefined;
    switch (action.getOrchestratoractiontypeCase()) {
      case Action.SCHEDULETASK:
        payload = unwrap(action.getScheduletask()!.getInput());
        reason = overLimit(`The input of activity '${action.getScheduletask()!.getName()}'`, payload, limits.eventBytes);
        break;
      case Action.CREATESUBORCHESTRATION:
        payload = unwrap(action.getCreatesuborchestration()!.getInput());
        reason = overLimit("A sub-orchestration's input", payload, limits.inputBytes);
        break;
      case Action.SENDEVENT:
        payload = unwrap(action.getSendevent()!.getData());
        reason = overLimit("A sent event's data", payload, limits.eventBytes);
        break;
      case Action.COMPLETEORCHESTRATION: {
        const a = action.getCompleteorchestration()!;
        payload = unwrap(a.getResult());
        if ((a.getOrchestrationstatus() as number) === Status.ORCHESTRATION_STATUS_CONTINUED_AS_NEW) {
          continuesAsNew = true;
          reason = overLimit("The continue-as-new input", payload, limits.inputBytes);
        } else reason = overLimit("The output", payload, limits.outputBytes);
        break;
      }
    }
    if (reason) return reason;
    appended += byteSize(payload);
  }
  if (!continuesAsNew && appended > limits.historyBytes) {
    return `The history of this execution would be ${formatSize(appended)}, over the hub's limit of ${formatSize(limits.historyBytes)} (continue-as-new starts a fresh history)`;
  }
  return undefined;
}

/** Replaces the turn's actions with one: fail the orchestration with `reason`. */
export function failTurn(response: PbModule.OrchestratorResponse, reason: string): void {
  const complete = new pb.CompleteOrchestrationAction();
  complete.setOrchestrationstatus(Status.ORCHESTRATION_STATUS_FAILED);
  complete.setFailuredetails(ev.failureDetails("PayloadTooLarge", reason));
  const action = new pb.OrchestratorAction();
  action.setId(-1);
  action.setCompleteorchestration(complete);
  response.setActionsList([action]);
}
