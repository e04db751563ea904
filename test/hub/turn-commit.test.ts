/**
 * buildTurnCommit (pure): what one orchestrator turn writes — the instance row, the history (the events the worker
 * was shown kept as the bytes they came as), timers and messages, activities and child instances.
 */
import { describe, expect, test } from "vitest";
import * as ev from "../../src/engine/hub/events.js";
import { pb, Status, stringValue, timestamp, type OrchestratorAction } from "../../src/engine/hub/proto.js";
import { applyTurn } from "../../src/engine/hub/runtime-state.js";
import type { InstanceRecord } from "../../src/engine/hub/store.js";
import { buildTurnCommit, subOrchestrationRejected, type TurnContext } from "../../src/engine/hub/turn-commit.js";

const LOADED = Date.UTC(2026, 0, 1, 12, 0, 0);
const NOW = LOADED + 250;
const Event = pb.HistoryEvent.EventtypeCase;

const record: InstanceRecord = {
  taskHub: "hub-a",
  instanceId: "i1",
  executionId: "e1",
  name: "orch",
  status: Status.ORCHESTRATION_STATUS_RUNNING,
  input: '"in"',
  createdAt: LOADED - 1000,
  lastUpdatedAt: LOADED - 500,
  tags: { team: "x" },
};

function context(): TurnContext {
  const past = [ev.orchestratorStarted(LOADED - 1000), ev.executionStarted(LOADED - 1000, { name: "orch", instanceId: "i1", executionId: "e1" })];
  const newEvents = [ev.orchestratorStarted(LOADED), ev.eventRaised(LOADED, "go", "1")];
  return { record, past: past.map((e) => e.serializeBinary()), newEvents, newEventBytes: newEvents.map((e) => e.serializeBinary()), consumedIds: [7, 9] };
}

function action(id: number, set: (a: OrchestratorAction) => void): OrchestratorAction {
  const a = new pb.OrchestratorAction();
  a.setId(id);
  set(a);
  return a;
}

function plan(ctx: TurnContext, actions: OrchestratorAction[]) {
  let ids = 0;
  const newExecutionId = () => `x${++ids}`;
  const outcome = applyTurn({ instance: ctx.record, pastEvents: () => [], newEvents: ctx.newEvents, actions, customStatus: "cs", now: NOW, newExecutionId });
  return { outcome, ...buildTurnCommit({ taskHub: "hub-a", context: ctx, outcome, now: NOW, newExecutionId }) };
}

const decode = (bytes: Uint8Array) => pb.HistoryEvent.deserializeBinary(bytes);

describe("buildTurnCommit", () => {
  test("a running turn: history appended after the past, timers, messages, activities and a child instance", () => {
    const ctx = context();
    const actions = [
      action(0, (a) => a.setScheduletask(new pb.ScheduleTaskAction().setName("check").setInput(stringValue("{}")))),
      action(1, (a) => a.setCreatetimer(new pb.CreateTimerAction().setFireat(timestamp(NOW + 5000)))),
      action(2, (a) => a.setCreatesuborchestration(new pb.CreateSubOrchestrationAction().setInstanceid("child").setName("sub").setInput(stringValue("3")))),
      action(3, (a) => a.setSendevent(new pb.SendEventAction().setInstance(new pb.OrchestrationInstance().setInstanceid("other")).setName("ping"))),
    ];
    const { commit, timers, messages } = plan(ctx, actions);

    expect(commit.instance).toEqual({ ...record, status: Status.ORCHESTRATION_STATUS_RUNNING, customStatus: "cs", lastUpdatedAt: NOW, output: undefined, failure: undefined, completedAt: undefined });
    expect(commit.resetHistory).toBe(false);
    expect(commit.historyStartSeq).toBe(2);
    expect(commit.consumedMessageIds).toEqual([7, 9]);
    // The shown events are the very bytes loaded, not encoded again; the turn's own events follow, stamped with the
    // time the turn was handed out.
    expect(commit.appendHistory[0]).toBe(ctx.newEventBytes[0]);
    expect(commit.appendHistory[1]).toBe(ctx.newEventBytes[1]);
    const own = commit.appendHistory.slice(2).map(decode);
    expect(own.map((e) => [e.getEventtypeCase(), e.getEventid()])).toEqual([
      [Event.TASKSCHEDULED, 0],
      [Event.TIMERCREATED, 1],
      [Event.SUBORCHESTRATIONINSTANCECREATED, 2],
      [Event.EVENTSENT, 3],
    ]);
    for (const e of own) expect(e.getTimestamp()!.toDate().getTime()).toBe(LOADED);

    expect(timers).toEqual([{ taskHub: "hub-a", instanceId: "i1", executionId: "e1", event: expect.any(Uint8Array), visibleAt: NOW + 5000, delayed: true }]);
    expect(decode(timers[0]!.event).getTimerfired()!.getTimerid()).toBe(1);
    expect(messages).toEqual([{ taskHub: "hub-a", instanceId: "other", executionId: undefined, event: expect.any(Uint8Array), visibleAt: NOW }]);
    expect(commit.messages).toEqual([...timers, ...messages]);
    expect(commit.activities).toEqual([{ taskHub: "hub-a", instanceId: "i1", executionId: "e1", taskId: 0, name: "check", version: undefined, input: "{}", tags: undefined }]);

    expect(commit.newInstances).toHaveLength(1);
    const child = commit.newInstances[0]!;
    expect(child.record).toMatchObject({
      taskHub: "hub-a",
      instanceId: "child",
      executionId: "x1",
      name: "sub",
      status: Status.ORCHESTRATION_STATUS_PENDING,
      input: "3",
      createdAt: NOW,
      parent: { instanceId: "i1", executionId: "e1", name: "orch", taskId: 2 },
    });
    const started = decode(child.startMessages[0]!.event).getExecutionstarted()!;
    expect(started.getOrchestrationinstance()!.getExecutionid()!.getValue()).toBe("x1");
    expect(started.getParentinstance()!.getTaskscheduledid()).toBe(2);
  });

  test("continue-as-new: a new execution id, the history reset, the old execution's timers dropped, its start queued", () => {
    const ctx = context();
    const { commit, timers, messages } = plan(ctx, [
      action(0, (a) => a.setCreatetimer(new pb.CreateTimerAction().setFireat(timestamp(NOW + 5000)))),
      action(1, (a) =>
        a.setCompleteorchestration(new pb.CompleteOrchestrationAction().setOrchestrationstatus(Status.ORCHESTRATION_STATUS_CONTINUED_AS_NEW).setResult(stringValue('"next"'))),
      ),
    ]);
    expect(commit.instance).toMatchObject({ executionId: "x1", input: '"next"', status: Status.ORCHESTRATION_STATUS_RUNNING, completedAt: undefined });
    expect(commit.resetHistory).toBe(true);
    expect(commit.historyStartSeq).toBe(0);
    expect(commit.appendHistory).toEqual([]);
    expect(timers).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ instanceId: "i1", executionId: "x1", visibleAt: NOW });
    expect(decode(messages[0]!.event).getExecutionstarted()!.getInput()!.getValue()).toBe('"next"');
  });

  test("a failed orchestration: completed now, its failure stored as bytes", () => {
    const failure = ev.failureDetails("Boom", "it broke");
    const { commit } = plan(context(), [
      action(0, (a) => a.setCompleteorchestration(new pb.CompleteOrchestrationAction().setOrchestrationstatus(Status.ORCHESTRATION_STATUS_FAILED).setFailuredetails(failure))),
    ]);
    expect(commit.instance).toMatchObject({ status: Status.ORCHESTRATION_STATUS_FAILED, completedAt: NOW, lastUpdatedAt: NOW });
    expect(pb.TaskFailureDetails.deserializeBinary(commit.instance.failure!).getErrormessage()).toBe("it broke");
    expect(decode(commit.appendHistory.at(-1)!).hasExecutioncompleted()).toBe(true);
  });

  test("a rejected sub-orchestration becomes a failure for its parent's task", () => {
    const event = subOrchestrationRejected(NOW, { instanceId: "child", name: "sub", taskId: 4 });
    const failed = event.getSuborchestrationinstancefailed()!;
    expect(failed.getTaskscheduledid()).toBe(4);
    expect(failed.getFailuredetails()!.getErrortype()).toBe("OrchestrationAlreadyExists");
    expect(failed.getFailuredetails()!.getErrormessage()).toMatch(/'child' is already running/);
  });
});
