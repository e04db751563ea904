/**
 * Unit tests of the hub's pure parts and its store: the state machine (runtime-state), the hand-written work-item
 * encoding (checked against the SDK's own decoder), and the SQLite store's contract.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import * as ev from "../../src/engine/hub/events.js";
import { pb, Status, stringValue, timestamp } from "../../src/engine/hub/proto.js";
import { applyTurn, openSubOrchestrations, type InstanceBefore } from "../../src/engine/hub/runtime-state.js";
import { MAX_QUERY_PAGE_BYTES, openSqliteStore, type SqliteStoreHandle } from "../../src/engine/hub/sqlite-store.js";
import { InstanceExistsError, type InstanceRecord, type Store } from "../../src/engine/hub/store.js";
import { encodeOrchestratorWorkItem } from "../../src/engine/hub/wire.js";
import { encodeQueryInstancesResponse } from "../../src/engine/hub/instances-wire.js";
import { toOrchestrationState } from "../../src/engine/hub/grpc-service.js";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const instance: InstanceBefore = { instanceId: "i1", executionId: "e1", name: "orch", status: Status.ORCHESTRATION_STATUS_RUNNING };

function action(id: number, set: (a: InstanceType<typeof pb.OrchestratorAction>) => void) {
  const a = new pb.OrchestratorAction();
  a.setId(id);
  set(a);
  return a;
}

function turn(actions: InstanceType<typeof pb.OrchestratorAction>[], extra: Partial<Parameters<typeof applyTurn>[0]> = {}) {
  return applyTurn({
    instance,
    pastEvents: () => [],
    newEvents: [ev.orchestratorStarted(NOW)],
    actions,
    customStatus: undefined,
    now: NOW,
    newExecutionId: () => "e2",
    ...extra,
  });
}

describe("runtime-state: applyTurn", () => {
  test("ScheduleTask and CreateTimer become history events and new work", () => {
    const schedule = action(0, (a) => {
      const t = new pb.ScheduleTaskAction();
      t.setName("check");
      t.setInput(stringValue('"x"'));
      a.setScheduletask(t);
    });
    const timer = action(1, (a) => {
      const t = new pb.CreateTimerAction();
      t.setFireat(timestamp(NOW + 5000));
      a.setCreatetimer(t);
    });
    const out = turn([schedule, timer], { customStatus: '{"step":1}' });
    expect(out.status).toBe(Status.ORCHESTRATION_STATUS_RUNNING);
    expect(out.customStatus).toBe('{"step":1}');
    expect(out.appendHistory.map((e) => e.getEventtypeCase())).toEqual([
      pb.HistoryEvent.EventtypeCase.ORCHESTRATORSTARTED,
      pb.HistoryEvent.EventtypeCase.TASKSCHEDULED,
      pb.HistoryEvent.EventtypeCase.TIMERCREATED,
    ]);
    expect(out.activities).toEqual([{ taskId: 0, name: "check", version: undefined, input: '"x"', tags: undefined }]);
    expect(out.timers).toHaveLength(1);
    expect(out.timers[0]!.fireAt).toBe(NOW + 5000);
    expect(out.timers[0]!.event.getTimerfired()!.getTimerid()).toBe(1);
  });

  test("completion appends ExecutionCompleted, notifies the parent and drops pending work", () => {
    const complete = action(2, (a) => {
      const c = new pb.CompleteOrchestrationAction();
      c.setOrchestrationstatus(Status.ORCHESTRATION_STATUS_COMPLETED);
      c.setResult(stringValue('"done"'));
      a.setCompleteorchestration(c);
    });
    const out = turn([complete], { instance: { ...instance, parent: { instanceId: "p", executionId: "pe", taskId: 7 } } });
    expect(out.completed).toBe(true);
    expect(out.output).toBe('"done"');
    expect(out.appendHistory.at(-1)!.hasExecutioncompleted()).toBe(true);
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]!.instanceId).toBe("p");
    expect(out.messages[0]!.executionId).toBe("pe");
    expect(out.messages[0]!.event.getSuborchestrationinstancecompleted()!.getTaskscheduledid()).toBe(7);
  });

  test("continue-as-new resets the history and starts a new execution with carried-over events", () => {
    const can = action(3, (a) => {
      const c = new pb.CompleteOrchestrationAction();
      c.setOrchestrationstatus(Status.ORCHESTRATION_STATUS_CONTINUED_AS_NEW);
      c.setResult(stringValue("5"));
      c.setCarryovereventsList([ev.eventRaised(NOW, "kept", "1")]);
      a.setCompleteorchestration(c);
    });
    const out = turn([can]);
    expect(out.completed).toBe(false);
    expect(out.status).toBe(Status.ORCHESTRATION_STATUS_RUNNING);
    expect(out.appendHistory).toEqual([]);
    expect(out.continuedAsNew?.executionId).toBe("e2");
    expect(out.continuedAsNew?.input).toBe("5");
    const [started, kept] = out.continuedAsNew!.startMessages;
    expect(started!.getExecutionstarted()!.getOrchestrationinstance()!.getExecutionid()!.getValue()).toBe("e2");
    expect(kept!.getEventraised()!.getName()).toBe("kept");
  });

  test("suspend and resume events set the status; a recursive terminate reaches open children", () => {
    expect(turn([], { newEvents: [ev.orchestratorStarted(NOW), ev.executionSuspended(NOW)] }).status).toBe(Status.ORCHESTRATION_STATUS_SUSPENDED);
    expect(
      turn([], { instance: { ...instance, status: Status.ORCHESTRATION_STATUS_SUSPENDED }, newEvents: [ev.orchestratorStarted(NOW), ev.executionResumed(NOW)] }).status,
    ).toBe(Status.ORCHESTRATION_STATUS_RUNNING);

    const created = (id: number, child: string) => {
      const e = new pb.HistoryEvent();
      e.setEventid(id);
      const c = new pb.SubOrchestrationInstanceCreatedEvent();
      c.setInstanceid(child);
      e.setSuborchestrationinstancecreated(c);
      return e;
    };
    const past = [created(0, "c0"), created(1, "c1"), ev.subOrchestrationCompleted(NOW, 0, "1")];
    expect(openSubOrchestrations(past)).toEqual(["c1"]);
    const terminated = action(-1, (a) => {
      const c = new pb.CompleteOrchestrationAction();
      c.setOrchestrationstatus(Status.ORCHESTRATION_STATUS_TERMINATED);
      a.setCompleteorchestration(c);
    });
    const out = turn([terminated], { pastEvents: () => past, newEvents: [ev.orchestratorStarted(NOW), ev.executionTerminated(NOW, '"bye"', true)] });
    expect(out.status).toBe(Status.ORCHESTRATION_STATUS_TERMINATED);
    expect(out.messages.map((m) => m.instanceId)).toEqual(["c1"]);
    expect(out.messages[0]!.event.getExecutionterminated()!.getRecurse()).toBe(true);
  });

  test("SendEvent and TerminateOrchestration address other instances; unknown actions fail the orchestration", () => {
    const send = action(4, (a) => {
      const s = new pb.SendEventAction();
      const target = new pb.OrchestrationInstance();
      target.setInstanceid("other");
      s.setInstance(target);
      s.setName("ping");
      a.setSendevent(s);
    });
    const term = action(5, (a) => {
      const t = new pb.TerminateOrchestrationAction();
      t.setInstanceid("victim");
      a.setTerminateorchestration(t);
    });
    const out = turn([send, term]);
    expect(out.messages.map((m) => [m.instanceId, m.event.getEventtypeCase()])).toEqual([
      ["other", pb.HistoryEvent.EventtypeCase.EVENTRAISED],
      ["victim", pb.HistoryEvent.EventtypeCase.EXECUTIONTERMINATED],
    ]);
    const entity = action(6, (a) => a.setRewindorchestration(new pb.RewindOrchestrationAction()));
    const failed = turn([entity]);
    expect(failed.status).toBe(Status.ORCHESTRATION_STATUS_FAILED);
    expect(failed.failure?.getErrormessage()).toMatch(/not support/);
  });
});

describe("wire: encodeOrchestratorWorkItem", () => {
  test("decodes with the SDK's own WorkItem decoder", () => {
    const past = [ev.orchestratorStarted(NOW), ev.executionStarted(NOW, { name: "orch", instanceId: "i1", executionId: "e1", input: '"in"' })];
    const fresh = [ev.orchestratorStarted(NOW + 1), ev.eventRaised(NOW + 1, "go", "x".repeat(300))];
    const bytes = encodeOrchestratorWorkItem("i1", "e1", past.map((e) => e.serializeBinary()), fresh.map((e) => e.serializeBinary()), "tok-1");
    const item = pb.WorkItem.deserializeBinary(bytes);
    expect(item.getCompletiontoken()).toBe("tok-1");
    const req = item.getOrchestratorrequest()!;
    expect(req.getInstanceid()).toBe("i1");
    expect(req.getExecutionid()!.getValue()).toBe("e1");
    expect(req.getPasteventsList().map((e) => e.getEventtypeCase())).toEqual(past.map((e) => e.getEventtypeCase()));
    expect(req.getNeweventsList()[1]!.getEventraised()!.getInput()!.getValue()).toHaveLength(300);
  });
});

describe("wire: encodeQueryInstancesResponse", () => {
  const failure = new pb.TaskFailureDetails();
  failure.setErrortype("Error");
  failure.setErrormessage("boom ✗");
  const records: InstanceRecord[] = [
    { taskHub: "h", instanceId: "", executionId: "", name: "", status: 0, createdAt: 0, lastUpdatedAt: 0 },
    { taskHub: "h", instanceId: "a", executionId: "e", name: "orch", status: Status.ORCHESTRATION_STATUS_RUNNING, createdAt: NOW, lastUpdatedAt: NOW + 1, customStatus: "" },
    {
      taskHub: "h",
      instanceId: "ünïcødé-🙂",
      executionId: "e2",
      name: "DurableMonitorTui.Monitor",
      version: "2",
      status: Status.ORCHESTRATION_STATUS_FAILED,
      input: JSON.stringify({ big: "x".repeat(70_000) }),
      output: '"out"',
      customStatus: JSON.stringify({ status: "Running", check_count: 3 }),
      failure: failure.serializeBinary(),
      createdAt: NOW - 123_456_789,
      lastUpdatedAt: NOW + 999,
      completedAt: NOW + 1000,
      scheduledStartAt: NOW - 5,
      parent: { instanceId: "p", executionId: "pe", name: "parent", taskId: 4 },
      tags: { zeta: "1", alpha: "", "m-é": "v" },
    },
  ];

  /** What google-protobuf writes for the same answer (the hub's encoding before this one). */
  function reference(withPayloads: boolean, removed: string[], token?: string): Uint8Array {
    const res = new pb.QueryInstancesResponse();
    const states = records.map((r) => toOrchestrationState(r, withPayloads));
    for (const id of removed) {
      const gone = new pb.OrchestrationState();
      gone.setInstanceid(id);
      gone.getTagsMap().set("removed", "true");
      states.push(gone);
    }
    res.setOrchestrationstateList(states);
    if (token !== undefined) res.setContinuationtoken(stringValue(token));
    return res.serializeBinary();
  }

  test.each([
    { withPayloads: false, removed: [], token: undefined },
    { withPayloads: true, removed: [], token: "page-2" },
    { withPayloads: false, removed: ["gone-1", "gone-2"], token: "" },
  ])("writes the bytes google-protobuf writes (payloads $withPayloads, $removed.length removed)", ({ withPayloads, removed, token }) => {
    const bytes = encodeQueryInstancesResponse({ records, withPayloads, removed: { ids: removed, tag: "removed" }, continuationToken: token });
    expect(Buffer.from(bytes).equals(Buffer.from(reference(withPayloads, removed, token)))).toBe(true);
    const decoded = pb.QueryInstancesResponse.deserializeBinary(bytes);
    expect(decoded.getOrchestrationstateList()[2]!.getFailuredetails()!.getErrormessage()).toBe("boom ✗");
    expect(decoded.getOrchestrationstateList()[2]!.getInput()?.getValue().length ?? 0).toBe(withPayloads ? records[2]!.input!.length : 0);
  });

  test("an empty answer is empty", () => {
    expect(encodeQueryInstancesResponse({ records: [], withPayloads: false }).length).toBe(0);
  });
});

describe("SqliteStore", () => {
  let dir: string;
  let store: SqliteStoreHandle;
  const open = () => {
    dir = mkdtempSync(join(tmpdir(), "dmt-store-"));
    store = openSqliteStore(join(dir, "nested", "hub.sqlite"));
    return store;
  };
  afterEach(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const record = (id: string, status: number, createdAt = NOW): InstanceRecord => ({
    taskHub: "default",
    instanceId: id,
    executionId: "e",
    name: "orch",
    status,
    createdAt,
    lastUpdatedAt: createdAt,
    customStatus: '"cs"',
  });

  test("refuses to create over a running instance, replaces a terminal one", () => {
    open();
    store.createInstance(record("a", Status.ORCHESTRATION_STATUS_RUNNING), []);
    expect(() => store.createInstance(record("a", Status.ORCHESTRATION_STATUS_PENDING), [])).toThrow(InstanceExistsError);
    store.createInstance(record("b", Status.ORCHESTRATION_STATUS_COMPLETED), []);
    store.createInstance(record("b", Status.ORCHESTRATION_STATUS_PENDING), []);
    expect(store.getInstance("default", "b")?.status).toBe(Status.ORCHESTRATION_STATUS_PENDING);
    expect(store.getInstance("other-hub", "b")).toBeUndefined();
  });

  test("an activity result is recorded once; timers become visible at their time", () => {
    open();
    store.createInstance(record("a", Status.ORCHESTRATION_STATUS_RUNNING), []);
    const { activities } = store.commitTurn({
      instance: record("a", Status.ORCHESTRATION_STATUS_RUNNING),
      resetHistory: false,
      historyStartSeq: 0,
      appendHistory: [new Uint8Array([1]), new Uint8Array([2])],
      consumedMessageIds: [],
      messages: [{ taskHub: "default", instanceId: "a", event: new Uint8Array([9]), visibleAt: NOW + 1000, delayed: true }],
      activities: [{ taskHub: "default", instanceId: "a", executionId: "e", taskId: 0, name: "check" }],
      newInstances: [],
    });
    expect(store.getHistory("default", "a")).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    const result = { taskHub: "default", instanceId: "a", event: new Uint8Array([3]), visibleAt: NOW };
    expect(store.completeActivity(activities[0]!.id, result)).toBe(true);
    expect(store.completeActivity(activities[0]!.id, result)).toBe(false);
    expect(store.readInbox("default", "a", NOW)).toHaveLength(1);
    expect(store.readInbox("default", "a", NOW + 1000)).toHaveLength(2);
    expect(store.nextVisibleAfter(NOW)).toBe(NOW + 1000);
    expect(store.instancesBecomingVisible(NOW, NOW + 999)).toEqual([]);
    expect(store.instancesBecomingVisible(NOW, NOW + 1000)).toEqual([{ taskHub: "default", instanceId: "a" }]);
  });

  test("the instance cache never outlives a rolled-back transaction, and stays within its byte budget", () => {
    dir = mkdtempSync(join(tmpdir(), "dmt-store-"));
    store = openSqliteStore(join(dir, "hub.sqlite"), { cacheBytes: 2048 });
    const running = record("c", Status.ORCHESTRATION_STATUS_RUNNING);
    store.createInstance(running, []);
    const commit = (seq: number, bytes: number[], status = Status.ORCHESTRATION_STATUS_RUNNING) => ({
      instance: { ...running, status, customStatus: `"${seq}"` },
      resetHistory: false,
      historyStartSeq: seq,
      appendHistory: bytes.map((b) => new Uint8Array(600).fill(b)),
      consumedMessageIds: [],
      messages: [],
      activities: [],
      newInstances: [],
    });
    store.commitTurn(commit(0, [1, 2]));
    expect(store.getHistory("default", "c").map((e) => e[0])).toEqual([1, 2]);
    // Two 600-byte events fit the 2 KiB budget: cached.
    expect(store.cacheUsage()).toEqual({ entries: 1, bytes: expect.any(Number) });
    expect(store.cacheUsage().bytes).toBeLessThanOrEqual(2048);
    expect(() =>
      store.transaction(() => {
        store.commitTurn(commit(2, [3]));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(store.getHistory("default", "c").map((e) => e[0])).toEqual([1, 2]);
    expect(store.getInstance("default", "c")?.customStatus).toBe('"0"');
    store.commitTurn(commit(2, [3, 4, 5]));
    expect(store.cacheUsage().bytes).toBeLessThanOrEqual(2048);
    expect(store.getHistory("default", "c").map((e) => e[0])).toEqual([1, 2, 3, 4, 5]);
    expect(store.getInstance("default", "c")?.customStatus).toBe('"2"');
    // Five of them (3 KiB) do not: the history is not held over budget, and reads still come from the database.
    expect(store.cacheUsage().bytes).toBeLessThanOrEqual(2048);
  });

  test("queryInstances ends a page at the byte budget (at least one instance per page), so big inputs never make one huge answer", () => {
    open();
    const big = "x".repeat(MAX_QUERY_PAGE_BYTES / 2 + 1);
    for (let i = 0; i < 3; i++) store.createInstance({ ...record(`big-${i}`, Status.ORCHESTRATION_STATUS_RUNNING, NOW + i), input: big }, []);
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = store.queryInstances({ taskHub: "default", pageSize: 100, continuationToken: token, withPayloads: true });
      sizes.push(page.instances.length);
      token = page.continuationToken;
    } while (token);
    expect(sizes).toEqual([1, 1, 1]);
    expect(store.queryInstances({ taskHub: "default", pageSize: 100, withPayloads: false }).instances).toHaveLength(3);
  });

  test("queryInstances pages with a continuation token, each instance once, without payloads unless asked", () => {
    open();
    for (let i = 0; i < 25; i++) store.createInstance(record(`q-${String(i).padStart(2, "0")}`, i % 2 ? Status.ORCHESTRATION_STATUS_COMPLETED : Status.ORCHESTRATION_STATUS_RUNNING, NOW + (i % 5)), []);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = store.queryInstances({ taskHub: "default", pageSize: 10, continuationToken: token, withPayloads: false });
      seen.push(...page.instances.map((r) => r.instanceId));
      // Without payloads: no input or output; the (bounded) custom status comes along.
      expect(page.instances.every((r) => r.input === undefined && r.output === undefined && r.customStatus === '"cs"')).toBe(true);
      token = page.continuationToken;
    } while (token);
    expect(new Set(seen).size).toBe(25);
    const running = store.queryInstances({ taskHub: "default", statuses: [Status.ORCHESTRATION_STATUS_RUNNING], pageSize: 100, withPayloads: true });
    expect(running.instances).toHaveLength(13);
    expect(running.instances[0]!.customStatus).toBe('"cs"');
    expect(store.queryInstances({ taskHub: "default", instanceIdPrefix: "q-1", pageSize: 100, withPayloads: false }).instances).toHaveLength(10);
    expect(store.purgeInstances({ taskHub: "default", statuses: [Status.ORCHESTRATION_STATUS_COMPLETED, Status.ORCHESTRATION_STATUS_RUNNING] })).toHaveLength(12);
    expect(store.queryInstances({ taskHub: "default", pageSize: 100, withPayloads: false }).instances).toHaveLength(13);
  });
});
