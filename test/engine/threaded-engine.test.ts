/**
 * The dashboard's engine thread (src/engine/threaded-engine.ts): the worker and the embedded hub it owns run in a
 * worker thread of their own (dist/engine-thread.bundle.cjs: `npm test` builds first), the engine handed back is a
 * client of that hub. Monitors keep checking while the dashboard's thread is busy; config edits reach the thread's
 * worker; closing stops the thread and its hub; without a thread the worker runs in this thread as before.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { endpointFileFor } from "../../src/engine/hub/endpoint-file.js";
import { ENGINE_THREAD_NICE, V8_PLATFORM_THREAD } from "../../src/engine/engine-thread-messages.js";
import { engineThreadEntry, openThreadedEngine } from "../../src/engine/threaded-engine.js";
import type { LocalEngine } from "../../src/engine/create-engine.js";
import { createFileLogger } from "../../src/logging.js";
import { groupRunning } from "../helpers/process-group.js";
import { embeddedProfile, tempDir, waitFor } from "./engine-helpers.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  closers.length = 0;
});

async function open(entry?: string): Promise<{ engine: LocalEngine; dbPath: string; logFile: string; data: string; threads: Worker[] }> {
  const data = tempDir("dmt-thread-");
  const dbPath = join(data, "hub.sqlite");
  const logFile = join(data, "engine.log");
  const threads: Worker[] = [];
  const engine = await openThreadedEngine({
    profile: embeddedProfile(dbPath),
    env: { ...process.env, DURABLE_MONITOR_TUI_DATA_DIR: data },
    logFile,
    logger: createFileLogger(logFile, "ui"),
    entry,
    onThread: (thread) => threads.push(thread),
  });
  closers.push(() => engine.close());
  return { engine, dbPath, logFile, data, threads };
}

/** Blocks this thread's event loop for `ms` (what a long frame or a busy dashboard does to it). */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spinning on purpose
  }
}

describe("the dashboard's engine thread", () => {
  it("is built next to the CLI", () => {
    expect(engineThreadEntry()).toMatch(/dist[/\\]engine-thread\.bundle\.cjs$/);
  });

  it("runs the worker and the hub while the dashboard's thread is blocked, and stops them on close", async () => {
    const { engine, dbPath } = await open();
    expect(engine.ownsHub).toBe(true);
    await waitFor("the thread's worker runs", () => engine.workerState() === "running", 30_000);
    const id = await engine.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 1, timeoutSeconds: 900 });
    await waitFor("a first check", async () => ((await engine.get(id))?.customStatus?.checkCount ?? 0) >= 1, 20_000);

    const blockedFrom = Date.now();
    busyFor(3500);
    const blockedTo = Date.now();
    const recent = await waitFor("the status after the block", async () => (await engine.get(id))?.customStatus?.recent, 10_000);
    const during = recent.filter((point) => {
      const t = Date.parse(point.t);
      return t > blockedFrom && t < blockedTo;
    });
    // One check a second went on while this thread could not run a single callback.
    expect(during.length).toBeGreaterThanOrEqual(2);

    await engine.close();
    expect(existsSync(endpointFileFor(dbPath))).toBe(false);
  });

  it.runIf(process.platform === "linux")("runs at a lower priority than the dashboard's thread", async () => {
    const { engine } = await open();
    await waitFor("the thread's worker runs", () => engine.workerState() === "running", 30_000);
    // Field 19 of a task's stat is its nice value (after the command name, which ends with the last ")").
    const niceOf = (task: string) => Number(readFileSync(`/proc/self/task/${task}/stat`, "utf8").split(") ").pop()!.split(" ")[16]);
    const nices = readdirSync("/proc/self/task").map((task) => ({ task, nice: niceOf(task) }));
    expect(niceOf(String(process.pid))).toBe(0);
    expect(nices.filter((t) => t.nice === ENGINE_THREAD_NICE).length).toBeGreaterThanOrEqual(1);
    // V8's platform threads (the garbage collector's helpers) too.
    const platform = nices.filter((t) => readFileSync(`/proc/self/task/${t.task}/comm`, "utf8").trim() === V8_PLATFORM_THREAD);
    expect(platform.length).toBeGreaterThanOrEqual(1);
    expect(platform.every((t) => t.nice === ENGINE_THREAD_NICE)).toBe(true);
  });

  it("passes config edits on to the thread's worker", async () => {
    const { engine } = await open();
    await waitFor("the thread's worker runs", () => engine.workerState() === "running", 30_000);
    engine.applyProfileSettings({ defaults: {}, checks: { commands: { hello: { command: "echo hello-from-thread" } } } });
    const id = await engine.start({ kind: "command", target: { commandName: "hello" }, pollingIntervalSeconds: 1, timeoutSeconds: 30 });
    const done = await engine.waitForCompletion(id, 20_000);
    // Without the edit the worker refuses an undefined command and the monitor fails.
    expect(done.runtimeStatus).toBe("Completed");
    expect(done.outputValue).toMatchObject({ lastStatus: { status: "Completed", message: "exit code 0" } });
  });

  it("starts a thread that dies again: its commands are killed, the monitors go on checking, the dashboard sees them", async () => {
    const { engine, data, threads, logFile } = await open();
    await waitFor("the thread's worker runs", () => engine.workerState() === "running", 30_000);
    const checking = await engine.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 1, timeoutSeconds: 900 });
    const runs = join(data, "runs");
    const started = () => (existsSync(runs) ? readFileSync(runs, "utf8").trim().split("\n").filter(Boolean).map(Number) : []);
    await engine.start({ kind: "command", target: { command: `echo $$ >> ${runs}; sleep 30 & wait`, timeoutSeconds: 120 }, pollingIntervalSeconds: 1 });
    const [orphan] = await waitFor("the command running", () => started().length === 1 && started(), 20_000);
    closers.push(async () => {
      for (const pgid of started()) if (groupRunning(pgid)) process.kill(-pgid, "SIGKILL");
    });
    const checksOf = async () => (await engine.get(checking))?.customStatus?.checkCount ?? 0;
    await waitFor("a first check", async () => (await checksOf()) >= 1, 20_000);

    await threads[0]!.terminate(); // what an error nothing caught does to it
    await waitFor("the worker reported gone", () => engine.workerState() === "error", 5000);
    expect(groupRunning(orphan!)).toBe(false);
    const before = await waitFor("the hub served again", async () => await checksOf().catch(() => undefined), 20_000);

    await waitFor("a second thread's worker runs", () => threads.length === 2 && engine.workerState() === "running", 30_000);
    await waitFor("checks go on", async () => (await checksOf()) >= before + 2, 20_000);
    await waitFor("the command's check runs again", () => started().length >= 2, 20_000);
    expect(readFileSync(logFile, "utf8")).toMatch(/engine thread: stopped \(exit code 1\); starting it again/);

    await engine.close();
    expect(threads.every((t) => t.threadId === -1)).toBe(true);
  });

  it("runs the worker in this thread when the thread cannot start", async () => {
    const { engine, logFile } = await open(join(tempDir("dmt-thread-missing-"), "no-such-entry.js"));
    expect(engine.ownsHub).toBe(true);
    await waitFor("the worker runs", () => engine.workerState() === "running", 30_000);
    const id = await engine.start({ kind: "simulated", target: { durationSeconds: 1 }, pollingIntervalSeconds: 1 });
    expect((await engine.waitForCompletion(id, 20_000)).runtimeStatus).toBe("Completed");
    expect(readFileSync(logFile, "utf8")).toMatch(/engine thread: could not start .*the worker runs in the dashboard's thread/);
  });
});
