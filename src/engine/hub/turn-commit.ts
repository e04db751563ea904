/**
 * Turns the outcome of an orchestrator turn (runtime-state's `applyTurn`) into what the store commits at once: the
 * instance's new row, the history to append, the inbox rows it consumed, timers and messages, activities and child
 * instances. Pure: the caller passes the clock and the execution id maker, and persists the result.
 */
import * as ev from "./events.js";
import { Status, type HistoryEvent } from "./proto.js";
import type { SubOrchestrationToStart, TurnOutcome } from "./runtime-state.js";
import type { InstanceRecord, NewMessage, TurnCommit } from "./store.js";

/** What a leased orchestrator turn was built from; handed back with the lease when the worker completes it. */
export interface TurnContext {
  record: InstanceRecord;
  /** The serialized history before the turn. */
  past: Uint8Array[];
  /** The events shown to the worker this turn (OrchestratorStarted first), and the same serialized. */
  newEvents: HistoryEvent[];
  newEventBytes: Uint8Array[];
  /** Inbox rows the turn consumes (its new events, and stale ones of earlier executions). */
  consumedIds: number[];
}

export interface TurnCommitPlan {
  commit: TurnCommit;
  /** The commit's durable timers (for this instance's execution), to arm once committed. */
  timers: NewMessage[];
  /** The commit's other messages (to other instances, or starting this one's next execution), to dispatch once committed. */
  messages: NewMessage[];
}

interface TurnCommitInput {
  taskHub: string;
  context: TurnContext;
  outcome: TurnOutcome;
  now: number;
  newExecutionId: () => string;
}

const encode = (event: HistoryEvent): Uint8Array => event.serializeBinary();

/** The commit for one orchestrator turn. */
export function buildTurnCommit({ taskHub, context, outcome, now, newExecutionId }: TurnCommitInput): TurnCommitPlan {
  const { record } = context;
  const instanceId = record.instanceId;
  const continued = outcome.continuedAsNew;
  const executionId = continued?.executionId ?? record.executionId;
  const instance: InstanceRecord = {
    ...record,
    executionId,
    status: outcome.status,
    input: continued ? continued.input : record.input,
    output: outcome.output,
    customStatus: outcome.customStatus,
    failure: outcome.failure ? outcome.failure.serializeBinary() : undefined,
    lastUpdatedAt: now,
    completedAt: outcome.completed ? now : undefined,
  };
  const timers: NewMessage[] = outcome.timers.map((timer) => ({
    taskHub,
    instanceId,
    executionId,
    event: encode(timer.event),
    visibleAt: timer.fireAt,
    delayed: timer.fireAt > now,
  }));
  const messages: NewMessage[] = outcome.messages.map((m) => ({
    taskHub,
    instanceId: m.instanceId,
    executionId: m.executionId,
    event: encode(m.event),
    visibleAt: now,
  }));
  for (const e of continued?.startMessages ?? []) messages.push({ taskHub, instanceId, executionId, event: encode(e), visibleAt: now });
  const parent = { instanceId, executionId, name: record.name };
  const commit: TurnCommit = {
    instance,
    resetHistory: !!continued,
    historyStartSeq: continued ? 0 : context.past.length,
    // The events the worker was shown are stored as the bytes they came as; only the turn's own events are encoded.
    appendHistory: outcome.appendHistory.map((e, i) => (e === context.newEvents[i] ? context.newEventBytes[i]! : encode(e))),
    consumedMessageIds: context.consumedIds,
    messages: [...timers, ...messages],
    activities: outcome.activities.map((a) => ({ taskHub, instanceId, executionId, ...a })),
    newInstances: outcome.subOrchestrations.map((s) => childInstance(taskHub, s, { ...parent, taskId: s.taskId }, now, newExecutionId())),
  };
  return { commit, timers, messages };
}

/** A sub-orchestration to create: its Pending row and the ExecutionStarted message that starts it. */
function childInstance(
  taskHub: string,
  s: SubOrchestrationToStart,
  parent: ev.ParentRef & { executionId: string },
  now: number,
  executionId: string,
): TurnCommit["newInstances"][number] {
  const started = ev.executionStarted(now, { name: s.name, instanceId: s.instanceId, executionId, input: s.input, version: s.version, parent, tags: s.tags });
  return {
    record: {
      taskHub,
      instanceId: s.instanceId,
      executionId,
      name: s.name,
      version: s.version,
      status: Status.ORCHESTRATION_STATUS_PENDING,
      input: s.input,
      createdAt: now,
      lastUpdatedAt: now,
      parent,
      tags: s.tags,
    },
    startMessages: [{ taskHub, instanceId: s.instanceId, executionId, event: encode(started), visibleAt: now }],
  };
}

/** The event that tells the parent a sub-orchestration could not start: its id is taken by a running instance. */
export function subOrchestrationRejected(now: number, sub: SubOrchestrationToStart): HistoryEvent {
  return ev.subOrchestrationFailed(
    now,
    sub.taskId,
    ev.failureDetails("OrchestrationAlreadyExists", `A sub-orchestration with instance id '${sub.instanceId}' is already running.`),
  );
}
