/**
 * The orchestration state machine: turns one orchestrator turn (the events it was shown and the actions it returned)
 * into the events appended to its history and the work it creates elsewhere. Pure: no I/O, no clock (the caller
 * passes `now`), no randomness (the caller passes `newExecutionId`). The caller persists the outcome atomically.
 */
import * as ev from "./events.js";
import { pb, Status, timestampMs, unwrap, type HistoryEvent, type OrchestratorAction, type TaskFailureDetails } from "./proto.js";
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

/**
 * Applies one orchestrator turn. Never throws for well-formed actions; unknown action types (entities, rewind)
 * fail the orchestration with a failure that names them.
 */
export function applyTurn(input: TurnInput): TurnOutcome {
  const { instance, now } = input;
  let status = instance.status;
  let terminateRecurse = false;
  let terminateOutput: string | undefined;
  for (const e of input.newEvents) {
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
      case Event.EXECUTIONTERMINATED:
        terminateRecurse = e.getExecutionterminated()!.getRecurse();
        terminateOutput = unwrap(e.getExecutionterminated()!.getInput());
        break;
    }
  }
  if (status === Status.ORCHESTRATION_STATUS_PENDING) status = Status.ORCHESTRATION_STATUS_RUNNING;

  const out: TurnOutcome = {
    status,
    customStatus: input.customStatus,
    completed: false,
    appendHistory: [...input.newEvents],
    activities: [],
    timers: [],
    subOrchestrations: [],
    messages: [],
  };

  for (const action of input.actions) {
    const id = action.getId();
    switch (action.getOrchestratoractiontypeCase()) {
      case Action.SCHEDULETASK: {
        const a = action.getScheduletask()!;
        const e = new pb.HistoryEvent();
        e.setEventid(id);
        e.setTimestamp(input.newEvents[0]?.getTimestamp());
        const scheduled = new pb.TaskScheduledEvent();
        scheduled.setName(a.getName());
        if (a.getVersion()) scheduled.setVersion(a.getVersion());
        if (a.getInput()) scheduled.setInput(a.getInput());
        const tags = mapToRecord(a.getTagsMap());
        if (tags) for (const [k, v] of Object.entries(tags)) scheduled.getTagsMap().set(k, v);
        e.setTaskscheduled(scheduled);
        out.appendHistory.push(e);
        out.activities.push({ taskId: id, name: a.getName(), version: unwrap(a.getVersion()), input: unwrap(a.getInput()), tags });
        break;
      }
      case Action.CREATETIMER: {
        const fireAt = timestampMs(action.getCreatetimer()!.getFireat()) ?? now;
        const created = new pb.TimerCreatedEvent();
        created.setFireat(action.getCreatetimer()!.getFireat());
        const e = new pb.HistoryEvent();
        e.setEventid(id);
        e.setTimestamp(input.newEvents[0]?.getTimestamp());
        e.setTimercreated(created);
        out.appendHistory.push(e);
        out.timers.push({ fireAt, event: ev.timerFired(fireAt, id, fireAt) });
        break;
      }
      case Action.CREATESUBORCHESTRATION: {
        const a = action.getCreatesuborchestration()!;
        const created = new pb.SubOrchestrationInstanceCreatedEvent();
        created.setInstanceid(a.getInstanceid());
        created.setName(a.getName());
        if (a.getVersion()) created.setVersion(a.getVersion());
        if (a.getInput()) created.setInput(a.getInput());
        const e = new pb.HistoryEvent();
        e.setEventid(id);
        e.setTimestamp(input.newEvents[0]?.getTimestamp());
        e.setSuborchestrationinstancecreated(created);
        out.appendHistory.push(e);
        out.subOrchestrations.push({
          instanceId: a.getInstanceid(),
          name: a.getName(),
          version: unwrap(a.getVersion()),
          input: unwrap(a.getInput()),
          taskId: id,
          tags: mapToRecord(a.getTagsMap()),
        });
        break;
      }
      case Action.SENDEVENT: {
        const a = action.getSendevent()!;
        const target = a.getInstance()?.getInstanceid() ?? "";
        const sent = new pb.EventSentEvent();
        sent.setInstanceid(target);
        sent.setName(a.getName());
        if (a.getData()) sent.setInput(a.getData());
        const e = new pb.HistoryEvent();
        e.setEventid(id);
        e.setTimestamp(input.newEvents[0]?.getTimestamp());
        e.setEventsent(sent);
        out.appendHistory.push(e);
        if (target) out.messages.push({ instanceId: target, event: ev.eventRaised(now, a.getName(), unwrap(a.getData())) });
        break;
      }
      case Action.TERMINATEORCHESTRATION: {
        const a = action.getTerminateorchestration()!;
        out.messages.push({ instanceId: a.getInstanceid(), event: ev.executionTerminated(now, unwrap(a.getReason()), a.getRecurse()) });
        break;
      }
      case Action.COMPLETEORCHESTRATION: {
        const a = action.getCompleteorchestration()!;
        const completionStatus = a.getOrchestrationstatus() as number;
        if (completionStatus === Status.ORCHESTRATION_STATUS_CONTINUED_AS_NEW) {
          const executionId = input.newExecutionId();
          const newInput = unwrap(a.getResult());
          const startMessages = [
            ev.executionStarted(now, {
              name: instance.name,
              instanceId: instance.instanceId,
              executionId,
              input: newInput,
              version: unwrap(a.getNewversion()) ?? instance.version,
              parent: instance.parent,
              tags: instance.tags,
            }),
            ...a.getCarryovereventsList(),
          ];
          out.status = Status.ORCHESTRATION_STATUS_RUNNING;
          out.output = undefined;
          out.failure = undefined;
          out.appendHistory = [];
          out.continuedAsNew = { executionId, input: newInput, startMessages };
          // Work scheduled by the old execution (timers, activities) is dropped: it is pinned to the old execution id.
          out.activities = [];
          out.timers = [];
        } else {
          out.status = completionStatus;
          out.output = unwrap(a.getResult());
          out.failure = a.getFailuredetails();
        }
        break;
      }
      default:
        out.status = Status.ORCHESTRATION_STATUS_FAILED;
        out.failure = ev.failureDetails(
          "UnsupportedAction",
          `The local hub does not support orchestrator action type ${action.getOrchestratoractiontypeCase()} (entities and rewind are not implemented).`,
        );
        break;
    }
  }

  if (isTerminalStatus(out.status) && !out.continuedAsNew) {
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
    if (out.status === Status.ORCHESTRATION_STATUS_TERMINATED && terminateRecurse) {
      for (const child of openSubOrchestrations([...input.pastEvents(), ...out.appendHistory])) {
        out.messages.push({ instanceId: child, event: ev.executionTerminated(now, terminateOutput, true) });
      }
    }
    out.activities = [];
    out.timers = [];
  }
  return out;
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
