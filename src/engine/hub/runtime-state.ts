/**
 * The orchestration state machine: turns one orchestrator turn (the events it was shown and the actions it returned)
 * into the events appended to its history and the work it creates elsewhere. Pure: no I/O, no clock (the caller
 * passes `now`), no randomness (the caller passes `newExecutionId`). The caller persists the outcome atomically.
 */
import * as ev from "./events.js";
import { pb, Status, timestampMs, unwrap, type HistoryEvent, type OrchestratorAction, type PbModule, type TaskFailureDetails } from "./proto.js";
import { isTerminalStatus } from "./store.js";

const Action = pb.OrchestratorAction.OrchestratoractiontypeCase;
const Event = pb.HistoryEvent.EventtypeCase;

/** What the state machine needs to know about the instance before the turn. */
export interface InstanceBefore {
  instanceId: string;
  executionId: string;
  name: string;
  version?: string;
  status: number;
  input?: string;
  customStatus?: string;
  parent?: ev.ParentRef;
  tags?: Record<string, string>;
}

export interface TurnInput {
  instance: InstanceBefore;
  /** History committed before this turn (called only when needed: a recursive terminate). */
  pastEvents: () => HistoryEvent[];
  /** Events shown to the orchestrator in this turn (starting with OrchestratorStarted). */
  newEvents: HistoryEvent[];
  actions: OrchestratorAction[];
  /** The custom status the orchestrator reported this turn (undefined = it has none). */
  customStatus: string | undefined;
  now: number;
  newExecutionId: () => string;
}

export interface ActivityToRun {
  taskId: number;
  name: string;
  version?: string;
  input?: string;
  tags?: Record<string, string>;
}

export interface TimerToFire {
  fireAt: number;
  event: HistoryEvent;
}

export interface SubOrchestrationToStart {
  instanceId: string;
  name: string;
  version?: string;
  input?: string;
  taskId: number;
  tags?: Record<string, string>;
}

/** An event for another instance (or for this one in a later turn). `executionId` pins it to one execution. */
export interface OutgoingMessage {
  instanceId: string;
  executionId?: string;
  event: HistoryEvent;
}

export interface TurnOutcome {
  status: number;
  output?: string;
  failure?: TaskFailureDetails;
  customStatus?: string;
  /** The instance reached Completed, Failed or Terminated in this turn. */
  completed: boolean;
  /** Events to append to the history (after `pastEvents`, or replacing them when `continuedAsNew`). */
  appendHistory: HistoryEvent[];
  /** Set when the instance continued as new: history is reset to nothing and these messages start the new execution. */
  continuedAsNew?: { executionId: string; input?: string; startMessages: HistoryEvent[] };
  activities: ActivityToRun[];
  timers: TimerToFire[];
  subOrchestrations: SubOrchestrationToStart[];
  messages: OutgoingMessage[];
}

/** A protobuf string map (tags) as a plain record; undefined when empty. */
export function mapToRecord(map: { forEach(cb: (value: string, key: string) => void): void }): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  map.forEach((v, k) => {
    out[k] = v;
    any = true;
  });
  return any ? out : undefined;
}

/** Child instances this execution created whose completion it has not seen yet. */
export function openSubOrchestrations(events: HistoryEvent[]): string[] {
  const created = new Map<number, string>();
  for (const e of events) {
    switch (e.getEventtypeCase()) {
      case Event.SUBORCHESTRATIONINSTANCECREATED:
        created.set(e.getEventid(), e.getSuborchestrationinstancecreated()!.getInstanceid());
        break;
      case Event.SUBORCHESTRATIONINSTANCECOMPLETED:
        created.delete(e.getSuborchestrationinstancecompleted()!.getTaskscheduledid());
        break;
      case Event.SUBORCHESTRATIONINSTANCEFAILED:
        created.delete(e.getSuborchestrationinstancefailed()!.getTaskscheduledid());
        break;
    }
  }
  return [...created.values()];
}

/** What the turn's new events say before the actions: the status (suspend, resume, start) and a terminate request. */
interface EventsEffect {
  status: number;
  terminate?: { recurse: boolean; output?: string };
}

function readNewEvents(status: number, newEvents: HistoryEvent[]): EventsEffect {
  let terminate: EventsEffect["terminate"];
  for (const e of newEvents) {
    switch (e.getEventtypeCase()) {
      case Event.EXECUTIONSTARTED:
        if (status === Status.ORCHESTRATION_STATUS_PENDING) status = Status.ORCHESTRATION_STATUS_RUNNING;
        break;
      case Event.EXECUTIONSUSPENDED:
        status = Status.ORCHESTRATION_STATUS_SUSPENDED;
        break;
      case Event.EXECUTIONRESUMED:
        status = Status.ORCHESTRATION_STATUS_RUNNING;
        break;
      case Event.EXECUTIONTERMINATED: {
        const terminated = e.getExecutionterminated()!;
        terminate = { recurse: terminated.getRecurse(), output: unwrap(terminated.getInput()) };
        break;
      }
    }
  }
  if (status === Status.ORCHESTRATION_STATUS_PENDING) status = Status.ORCHESTRATION_STATUS_RUNNING;
  return { status, terminate };
}

/**
 * Applies one orchestrator turn. Never throws for well-formed actions; unknown action types (entities, rewind)
 * fail the orchestration with a failure that names them.
 */
export function applyTurn(input: TurnInput): TurnOutcome {
  const effect = readNewEvents(input.instance.status, input.newEvents);
  const out: TurnOutcome = {
    status: effect.status,
    customStatus: input.customStatus,
    completed: false,
    appendHistory: [...input.newEvents],
    activities: [],
    timers: [],
    subOrchestrations: [],
    messages: [],
  };
  // Events recording the actions carry the time the turn was handed out (its OrchestratorStarted event).
  const turnTime = timestampMs(input.newEvents[0]?.getTimestamp()) ?? input.now;
  for (const action of input.actions) applyAction(out, action, input, turnTime);
  if (isTerminalStatus(out.status) && !out.continuedAsNew) endExecution(out, input, effect.terminate);
  return out;
}

/** Records one action in `out`: the history event that remembers it, and the work it creates. */
function applyAction(out: TurnOutcome, action: OrchestratorAction, input: TurnInput, turnTime: number): void {
  const id = action.getId();
  const now = input.now;
  switch (action.getOrchestratoractiontypeCase()) {
    case Action.SCHEDULETASK: {
      const a = action.getScheduletask()!;
      const task = { name: a.getName(), version: unwrap(a.getVersion()), input: unwrap(a.getInput()), tags: mapToRecord(a.getTagsMap()) };
      out.appendHistory.push(ev.taskScheduled(turnTime, id, task));
      out.activities.push({ taskId: id, ...task });
      break;
    }
    case Action.CREATETIMER: {
      const requested = timestampMs(action.getCreatetimer()!.getFireat());
      const fireAt = requested ?? now;
      out.appendHistory.push(ev.timerCreated(turnTime, id, requested));
      out.timers.push({ fireAt, event: ev.timerFired(fireAt, id, fireAt) });
      break;
    }
    case Action.CREATESUBORCHESTRATION: {
      const a = action.getCreatesuborchestration()!;
      const child = { instanceId: a.getInstanceid(), name: a.getName(), version: unwrap(a.getVersion()), input: unwrap(a.getInput()) };
      out.appendHistory.push(ev.subOrchestrationCreated(turnTime, id, child));
      out.subOrchestrations.push({ ...child, taskId: id, tags: mapToRecord(a.getTagsMap()) });
      break;
    }
    case Action.SENDEVENT: {
      const a = action.getSendevent()!;
      const target = a.getInstance()?.getInstanceid() ?? "";
      const data = unwrap(a.getData());
      out.appendHistory.push(ev.eventSent(turnTime, id, target, a.getName(), data));
      if (target) out.messages.push({ instanceId: target, event: ev.eventRaised(now, a.getName(), data) });
      break;
    }
    case Action.TERMINATEORCHESTRATION: {
      const a = action.getTerminateorchestration()!;
      out.messages.push({ instanceId: a.getInstanceid(), event: ev.executionTerminated(now, unwrap(a.getReason()), a.getRecurse()) });
      break;
    }
    case Action.COMPLETEORCHESTRATION:
      completeOrchestration(out, action.getCompleteorchestration()!, input);
      break;
    default:
      out.status = Status.ORCHESTRATION_STATUS_FAILED;
      out.failure = ev.failureDetails(
        "UnsupportedAction",
        `The local hub does not support orchestrator action type ${action.getOrchestratoractiontypeCase()} (entities and rewind are not implemented).`,
      );
      break;
  }
}

/** The orchestration completed, failed, was terminated, or continues as new (a new execution, a fresh history). */
function completeOrchestration(out: TurnOutcome, a: PbModule.CompleteOrchestrationAction, input: TurnInput): void {
  const { instance, now } = input;
  const completionStatus = a.getOrchestrationstatus();
  if (completionStatus !== Status.ORCHESTRATION_STATUS_CONTINUED_AS_NEW) {
    out.status = completionStatus;
    out.output = unwrap(a.getResult());
    out.failure = a.getFailuredetails();
    return;
  }
  const executionId = input.newExecutionId();
  const newInput = unwrap(a.getResult());
  const started = ev.executionStarted(now, {
    name: instance.name,
    instanceId: instance.instanceId,
    executionId,
    input: newInput,
    version: unwrap(a.getNewversion()) ?? instance.version,
    parent: instance.parent,
    tags: instance.tags,
  });
  out.status = Status.ORCHESTRATION_STATUS_RUNNING;
  out.output = undefined;
  out.failure = undefined;
  out.appendHistory = [];
  out.continuedAsNew = { executionId, input: newInput, startMessages: [started, ...a.getCarryovereventsList()] };
  // Work scheduled by the old execution (timers, activities) is dropped: it is pinned to the old execution id.
  out.activities = [];
  out.timers = [];
}

/** The execution ended: record it, tell the parent, pass a recursive terminate on to open children, drop new work. */
function endExecution(out: TurnOutcome, input: TurnInput, terminate: EventsEffect["terminate"]): void {
  const { instance, now } = input;
  out.completed = true;
  out.appendHistory.push(ev.executionCompleted(now, out.status, out.output, out.failure));
  if (instance.parent) {
    const event =
      out.status === Status.ORCHESTRATION_STATUS_COMPLETED
        ? ev.subOrchestrationCompleted(now, instance.parent.taskId, out.output)
        : ev.subOrchestrationFailed(
            now,
            instance.parent.taskId,
            out.failure ??
              ev.failureDetails(
                out.status === Status.ORCHESTRATION_STATUS_TERMINATED ? "OrchestrationTerminated" : "OrchestrationFailed",
                `Sub-orchestration '${instance.instanceId}' ended with status ${statusName(out.status)}.`,
              ),
          );
    out.messages.push({ instanceId: instance.parent.instanceId, executionId: instance.parent.executionId, event });
  }
  if (out.status === Status.ORCHESTRATION_STATUS_TERMINATED && terminate?.recurse) {
    for (const child of openSubOrchestrations([...input.pastEvents(), ...out.appendHistory])) {
      out.messages.push({ instanceId: child, event: ev.executionTerminated(now, terminate.output, true) });
    }
  }
  out.activities = [];
  out.timers = [];
}

const STATUS_NAMES: Record<number, string> = {
  [Status.ORCHESTRATION_STATUS_RUNNING]: "Running",
  [Status.ORCHESTRATION_STATUS_COMPLETED]: "Completed",
  [Status.ORCHESTRATION_STATUS_CONTINUED_AS_NEW]: "ContinuedAsNew",
  [Status.ORCHESTRATION_STATUS_FAILED]: "Failed",
  [Status.ORCHESTRATION_STATUS_CANCELED]: "Canceled",
  [Status.ORCHESTRATION_STATUS_TERMINATED]: "Terminated",
  [Status.ORCHESTRATION_STATUS_PENDING]: "Pending",
  [Status.ORCHESTRATION_STATUS_SUSPENDED]: "Suspended",
};

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `Unknown(${status})`;
}
