/**
 * Events raised at a suspended orchestration cost linear work: the hub records each one in the history at once (as
 * the orchestrator, which only buffers them while suspended, would have) without running a turn for it, and the
 * resume's turn hands them all over. Before, each event ran a turn replaying the whole history: O(N²).
 */
import { beforeAll, expect, test } from "vitest";
import { OrchestrationStatus, type OrchestrationContext, type TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { startTestHub, type TestHub } from "../helpers/hub.js";
import { eventually } from "./wait.js";

const EVENTS = 30;
let hub: TestHub;
let client: TaskHubGrpcClient;
let turns = 0;

const adder = async function* (ctx: OrchestrationContext): AsyncGenerator<any, number[], any> {
  turns++; // the SDK calls the orchestrator once per turn (and replays inside it)
  ctx.setCustomStatus("waiting");
  const seen: number[] = [];
  for (let i = 0; i < EVENTS; i++) seen.push((yield ctx.waitForExternalEvent("add")) as number);
  return seen;
};

beforeAll(async () => {
  hub = await startTestHub();
  client = hub.createClient();
  const worker = hub.createWorker();
  worker.addOrchestrator(adder);
  await worker.start();
  return async () => {
    await worker.stop();
    await client.stop();
    await hub.stop();
  };
});

test(`${EVENTS} events raised while suspended run no turn; the resume runs one and delivers them all, in order`, async () => {
  const id = await client.scheduleNewOrchestration(adder);
  await eventually("waiting", async () => (await client.getOrchestrationState(id))?.serializedCustomStatus === JSON.stringify("waiting"));
  await client.suspendOrchestration(id);
  await eventually("suspended", async () => (await client.getOrchestrationState(id))?.runtimeStatus === OrchestrationStatus.SUSPENDED);
  const turnsBefore = turns;

  for (let i = 1; i <= EVENTS; i++) await client.raiseOrchestrationEvent(id, "add", i);
  // Every event is in the history as soon as it is raised (as it would be after a turn)...
  const raised = (await client.getOrchestrationHistory(id)).filter((e) => e.type === "EventRaised");
  expect(raised).toHaveLength(EVENTS);
  // ... and no turn ran for them: without the change, each raise queued a turn and the worker ran them.
  expect(turns - turnsBefore).toBe(0);

  await client.resumeOrchestration(id);
  const state = await client.waitForOrchestrationCompletion(id, true, 30);
  expect(state?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
  expect(JSON.parse(state!.serializedOutput!)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
  expect(turns - turnsBefore).toBe(1);
});
