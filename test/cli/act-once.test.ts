/**
 * suspend, resume, terminate and raise read the instance once: the command's own read (to say "already suspended",
 * or to check a monitor's event) is the one the engine acts on, and `start --json` reads nothing back. Counted at a proxy
 * in front of the hub, on the lean path.
 */
import { join } from "node:path";
import { NoOpLogger, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startHub, type RunningHub } from "../../src/engine/hub/index.js";
import { startCountingProxy, type CountingProxy } from "../engine/counting-proxy.js";
import { tempDir } from "../engine/engine-helpers.js";
import { runMain } from "../helpers/run-main.js";

let hub: RunningHub;
let proxy: CountingProxy;
let client: TaskHubGrpcClient;
let env: Record<string, string>;

beforeAll(async () => {
  hub = await startHub({ dbPath: join(tempDir(), "hub.sqlite") });
  proxy = await startCountingProxy(hub.address);
  client = new TaskHubGrpcClient({ hostAddress: proxy.address, logger: new NoOpLogger() });
  env = { DURABLE_TASK_SCHEDULER_CONNECTION_STRING: `Endpoint=http://${proxy.address};Authentication=None;TaskHub=default` };
});

afterAll(async () => {
  await client.stop();
  await proxy.stop();
  await hub.stop();
});

describe("acting on an instance from the CLI", () => {
  test.each([
    [["suspend"], "SuspendInstance"],
    [["terminate", "--reason", "done"], "TerminateInstance"],
    [["raise", "{id}", "custom-event", "--data", "1"], "RaiseEvent"],
  ])("%j reads the instance once, then acts once", async (args, method) => {
    // Someone else's orchestration, Pending (no worker): every action applies to it.
    const id = await client.scheduleNewOrchestration("SomeoneElses", undefined);
    const before = { get: proxy.count("GetInstance"), act: proxy.count(method) };
    const argv = args[0] === "raise" ? args.map((a) => (a === "{id}" ? id : a)) : [args[0]!, id, ...args.slice(1)];
    const run = await runMain(argv, { env });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(proxy.count("GetInstance") - before.get).toBe(1);
    expect(proxy.count(method) - before.act).toBe(1);
  });

  test("start --json prints the new monitor's job id without reading the instance back", async () => {
    const before = { get: proxy.count("GetInstance"), start: proxy.count("StartInstance") };
    const run = await runMain(["start", "--duration", "5", "--json"], { env });
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { instanceId: string; jobId: string; kind: string };
    expect(proxy.count("GetInstance") - before.get).toBe(0);
    expect(proxy.count("StartInstance") - before.start).toBe(1);
    const stored = await client.getOrchestrationState(printed.instanceId, true);
    expect(JSON.parse(stored!.serializedInput!).spec).toMatchObject({ jobId: printed.jobId, kind: "simulated" });
    expect(printed.jobId).toMatch(/^simulated-[0-9a-f]{6}$/);
  });
});

