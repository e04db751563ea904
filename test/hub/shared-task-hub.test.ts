/**
 * A task hub shared with other apps: the hub gives each worker only what its filter asks for, and our engine's
 * worker asks only for our own (prefixed) names, so another app's orchestrations — even one named `monitor`, our
 * legacy name — complete on that app's worker while our monitors run on ours.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NoOpLogger, OrchestrationStatus, TaskHubGrpcClient, type TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import { createEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor } from "../../src/engine/hub/embedded.js";
import { prepareMonitorInput } from "../../src/engine/monitor/input.js";
import { LEGACY_MONITOR_ORCHESTRATOR } from "../../src/engine/monitor/names.js";
import { metadataFor, startTestHub, type TestHub } from "../helpers/hub.js";
import { spawnOtherApp } from "../helpers/other-app.js";
import { embeddedProfile, tempDir, waitFor } from "../engine/engine-helpers.js";

const echo = (name: string) =>
  async function* (ctx: { callActivity(n: string, i: unknown): unknown }, input: unknown): AsyncGenerator<unknown, string, unknown> {
    return `${name}: ${String(yield ctx.callActivity("echo", input))}`;
  };

function filteredWorker(hub: TestHub, orchestrators: string[]): TaskHubGrpcWorker {
  const worker = hub.createWorker({ workItemFilters: "auto" });
  for (const name of orchestrators) worker.addNamedOrchestrator(name, echo(name) as never);
  worker.addNamedActivity("echo", (_ctx, input: unknown) => `echo ${String(input)}`);
  return worker;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  closers.length = 0;
});

describe("work item filters on the hub", () => {
  it("work no connected worker takes waits Pending until one that takes it connects; a worker without a filter takes anything", async () => {
    const hub = await startTestHub();
    closers.push(() => hub.stop());
    const client = hub.createClient();
    const mine = filteredWorker(hub, ["mine"]);
    await mine.start();
    const theirs = await client.scheduleNewOrchestration("theirs", "x");
    const ours = await client.scheduleNewOrchestration("mine", "y");
    expect((await client.waitForOrchestrationCompletion(ours, true, 20))?.serializedOutput).toBe(JSON.stringify("mine: echo y"));
    // The filtered worker never got "theirs" (it would have failed it: not registered there).
    expect((await client.getOrchestrationState(theirs))?.runtimeStatus).toBe(OrchestrationStatus.PENDING);

    const other = filteredWorker(hub, ["theirs"]);
    await other.start();
    expect((await client.waitForOrchestrationCompletion(theirs, true, 20))?.serializedOutput).toBe(JSON.stringify("theirs: echo x"));

    const nobody = await client.scheduleNewOrchestration("unclaimed", "z");
    await waitFor("a turn of the hub's pump", async () => (await client.getOrchestrationState(ours))?.runtimeStatus === OrchestrationStatus.COMPLETED);
    expect((await client.getOrchestrationState(nobody))?.runtimeStatus).toBe(OrchestrationStatus.PENDING);
    const anything = hub.createWorker(); // no filter sent
    anything.addNamedOrchestrator("unclaimed", echo("unclaimed") as never);
    anything.addNamedActivity("echo", (_ctx, input: unknown) => `any ${String(input)}`);
    await anything.start();
    expect((await client.waitForOrchestrationCompletion(nobody, true, 20))?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
  });
});

describe("our engine on a task hub another app uses", () => {
  it("another app's orchestrations (monitorJob, and one named `monitor`) complete on its own worker while our monitors run", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "hub.sqlite");
    const engine = await createEngine({ profile: embeddedProfile(dbPath), withWorker: true, logFile: join(dir, "log.txt") });
    closers.push(() => engine.close());
    const endpoint = JSON.parse(readFileSync(endpointFileFor(dbPath), "utf8")) as { host: string; port: number; token: string };
    const app = await spawnOtherApp("other-app-worker.mjs", `${endpoint.host}:${endpoint.port}`, endpoint.token, [
      "monitorJob",
      LEGACY_MONITOR_ORCHESTRATOR,
    ]);
    closers.push(async () => {
      app.kill("SIGTERM");
    });
    await waitFor("our worker", () => engine.workerState() === "running");

    const client = new TaskHubGrpcClient({ hostAddress: `${endpoint.host}:${endpoint.port}`, metadataGenerator: metadataFor(undefined, endpoint.token), logger: new NoOpLogger() });
    closers.push(() => client.stop());
    const theirs = await Promise.all(
      [0, 1, 2].flatMap((i) => [client.scheduleNewOrchestration("monitorJob", `job ${i}`), client.scheduleNewOrchestration(LEGACY_MONITOR_ORCHESTRATOR, `m ${i}`)]),
    );
    const ours = await engine.start({ kind: "simulated", target: { durationSeconds: 0.6 }, pollingIntervalSeconds: 0.2 });

    const ended = await Promise.all(theirs.map((id) => client.waitForOrchestrationCompletion(id, true, 30)));
    expect(ended.map((s) => s?.runtimeStatus)).toEqual(theirs.map(() => OrchestrationStatus.COMPLETED));
    expect(ended.map((s) => JSON.parse(s!.serializedOutput!))).toEqual([0, 1, 2].flatMap((i) => [`monitorJob done: other-app job ${i}`, `monitor done: other-app m ${i}`]));
    expect((await engine.waitForCompletion(ours, 30_000)).output).toMatchObject({ finalStatus: "Completed" });
  });

  it("monitors stored under the legacy name `monitor` by earlier releases still run to the end on our database", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "hub.sqlite");
    const old = await startTestHub({ dbPath });
    const legacy = await old.createClient().scheduleNewOrchestration(
      LEGACY_MONITOR_ORCHESTRATOR,
      prepareMonitorInput({ kind: "simulated", target: { durationSeconds: 0.4 }, pollingIntervalSeconds: 0.2 }),
    );
    await old.stop();

    const engine = await createEngine({ profile: embeddedProfile(dbPath), withWorker: true, logFile: join(dir, "log.txt") });
    closers.push(() => engine.close());
    const done = await engine.waitForCompletion(legacy, 30_000);
    expect(done.runtimeStatus).toBe("Completed");
    expect(done.output).toMatchObject({ finalStatus: "Completed" });
    expect((await engine.history(legacy)).checks.length).toBe(done.output!.checksPerformed);
  });
});
