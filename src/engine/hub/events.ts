/**
 * Builders for the history events the hub writes. Every event carries the hub's clock as its timestamp.
 * Pure: no I/O; each call returns a fresh message.
 */
import { pb, stringValue, timestamp, type HistoryEvent, type TaskFailureDetails } from "./proto.js";

function base(now: number, eventId = -1): HistoryEvent {
  const event = new pb.HistoryEvent();
  event.setEventid(eventId);
  event.setTimestamp(timestamp(now));
  return event;
}

export function orchestratorStarted(now: number): HistoryEvent {
  const event = base(now);
  event.setOrchestratorstarted(new pb.OrchestratorStartedEvent());
  return event;
}

export interface ParentRef {
  instanceId: string;
  executionId?: string;
  name?: string;
  taskId: number;
}

export interface ExecutionStartedInit {
  name: string;
  instanceId: string;
  executionId: string;
  input?: string;
  version?: string;
  parent?: ParentRef;
  scheduledStartAt?: number;
  tags?: Record<string, string>;
}

export function executionStarted(now: number, init: ExecutionStartedInit): HistoryEvent {
  const instance = new pb.OrchestrationInstance();
  instance.setInstanceid(init.instanceId);
  instance.setExecutionid(stringValue(init.executionId));
  const started = new pb.ExecutionStartedEvent();
  started.setName(init.name);
  started.setOrchestrationinstance(instance);
  if (init.input !== undefined) started.setInput(stringValue(init.input));
  if (init.version) started.setVersion(stringValue(init.version));
  if (init.scheduledStartAt) started.setScheduledstarttimestamp(timestamp(init.scheduledStartAt));
  if (init.parent) {
    const parentInstance = new pb.OrchestrationInstance();
    parentInstance.setInstanceid(init.parent.instanceId);
    if (init.parent.executionId) parentInstance.setExecutionid(stringValue(init.parent.executionId));
    const parent = new pb.ParentInstanceInfo();
    parent.setOrchestrationinstance(parentInstance);
    parent.setTaskscheduledid(init.parent.taskId);
    if (init.parent.name) parent.setName(stringValue(init.parent.name));
    started.setParentinstance(parent);
  }
  if (init.tags) for (const [k, v] of Object.entries(init.tags)) started.getTagsMap().set(k, v);
  const event = base(now);
  event.setExecutionstarted(started);
  return event;
}

export function executionCompleted(now: number, status: number, output: string | undefined, failure: TaskFailureDetails | undefined): HistoryEvent {
  const completed = new pb.ExecutionCompletedEvent();
  completed.setOrchestrationstatus(status);
  if (output !== undefined) completed.setResult(stringValue(output));
  if (failure) completed.setFailuredetails(failure);
  const event = base(now);
  event.setExecutioncompleted(completed);
  return event;
}

export function executionTerminated(now: number, output: string | undefined, recurse: boolean): HistoryEvent {
  const terminated = new pb.ExecutionTerminatedEvent();
  if (output !== undefined) terminated.setInput(stringValue(output));
  terminated.setRecurse(recurse);
  const event = base(now);
  event.setExecutionterminated(terminated);
  return event;
}

export function executionSuspended(now: number, reason?: string): HistoryEvent {
  const suspended = new pb.ExecutionSuspendedEvent();
  if (reason !== undefined) suspended.setInput(stringValue(reason));
  const event = base(now);
  event.setExecutionsuspended(suspended);
  return event;
}

export function executionResumed(now: number, reason?: string): HistoryEvent {
  const resumed = new pb.ExecutionResumedEvent();
  if (reason !== undefined) resumed.setInput(stringValue(reason));
  const event = base(now);
  event.setExecutionresumed(resumed);
  return event;
}

export function eventRaised(now: number, name: string, input: string | undefined): HistoryEvent {
  const raised = new pb.EventRaisedEvent();
  raised.setName(name);
  if (input !== undefined) raised.setInput(stringValue(input));
  const event = base(now);
  event.setEventraised(raised);
  return event;
}

export function taskCompleted(now: number, taskId: number, result: string | undefined): HistoryEvent {
  const completed = new pb.TaskCompletedEvent();
  completed.setTaskscheduledid(taskId);
  if (result !== undefined) completed.setResult(stringValue(result));
  const event = base(now);
  event.setTaskcompleted(completed);
  return event;
}

export function taskFailed(now: number, taskId: number, failure: TaskFailureDetails | undefined): HistoryEvent {
  const failed = new pb.TaskFailedEvent();
  failed.setTaskscheduledid(taskId);
  if (failure) failed.setFailuredetails(failure);
  const event = base(now);
  event.setTaskfailed(failed);
  return event;
}

export interface TaskScheduledInit {
  name: string;
  version?: string;
  input?: string;
  tags?: Record<string, string>;
}

/** The orchestrator scheduled activity `taskId` (its event id is the task id). */
export function taskScheduled(now: number, taskId: number, init: TaskScheduledInit): HistoryEvent {
  const scheduled = new pb.TaskScheduledEvent();
  scheduled.setName(init.name);
  if (init.version !== undefined) scheduled.setVersion(stringValue(init.version));
  if (init.input !== undefined) scheduled.setInput(stringValue(init.input));
  if (init.tags) for (const [k, v] of Object.entries(init.tags)) scheduled.getTagsMap().set(k, v);
  const event = base(now, taskId);
  event.setTaskscheduled(scheduled);
  return event;
}

/** The orchestrator created timer `timerId`, firing at `fireAt` (undefined: no time given). */
export function timerCreated(now: number, timerId: number, fireAt: number | undefined): HistoryEvent {
  const created = new pb.TimerCreatedEvent();
  if (fireAt !== undefined) created.setFireat(timestamp(fireAt));
  const event = base(now, timerId);
  event.setTimercreated(created);
  return event;
}

export interface SubOrchestrationCreatedInit {
  instanceId: string;
  name: string;
  version?: string;
  input?: string;
}

/** The orchestrator started a sub-orchestration as task `taskId`. */
export function subOrchestrationCreated(now: number, taskId: number, init: SubOrchestrationCreatedInit): HistoryEvent {
  const created = new pb.SubOrchestrationInstanceCreatedEvent();
  created.setInstanceid(init.instanceId);
  created.setName(init.name);
  if (init.version !== undefined) created.setVersion(stringValue(init.version));
  if (init.input !== undefined) created.setInput(stringValue(init.input));
  const event = base(now, taskId);
  event.setSuborchestrationinstancecreated(created);
  return event;
}

/** The orchestrator sent event `name` to `instanceId` (its action id is the event id). */
export function eventSent(now: number, eventId: number, instanceId: string, name: string, input: string | undefined): HistoryEvent {
  const sent = new pb.EventSentEvent();
  sent.setInstanceid(instanceId);
  sent.setName(name);
  if (input !== undefined) sent.setInput(stringValue(input));
  const event = base(now, eventId);
  event.setEventsent(sent);
  return event;
}

export function timerFired(now: number, timerId: number, fireAt: number): HistoryEvent {
  const fired = new pb.TimerFiredEvent();
  fired.setTimerid(timerId);
  fired.setFireat(timestamp(fireAt));
  const event = base(now);
  event.setTimerfired(fired);
  return event;
}

export function subOrchestrationCompleted(now: number, taskId: number, result: string | undefined): HistoryEvent {
  const completed = new pb.SubOrchestrationInstanceCompletedEvent();
  completed.setTaskscheduledid(taskId);
  if (result !== undefined) completed.setResult(stringValue(result));
  const event = base(now);
  event.setSuborchestrationinstancecompleted(completed);
  return event;
}

export function subOrchestrationFailed(now: number, taskId: number, failure: TaskFailureDetails | undefined): HistoryEvent {
  const failed = new pb.SubOrchestrationInstanceFailedEvent();
  failed.setTaskscheduledid(taskId);
  if (failure) failed.setFailuredetails(failure);
  const event = base(now);
  event.setSuborchestrationinstancefailed(failed);
  return event;
}

export function failureDetails(errorType: string, message: string): TaskFailureDetails {
  const details = new pb.TaskFailureDetails();
  details.setErrortype(errorType);
  details.setErrormessage(message);
  return details;
}
