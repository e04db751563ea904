/**
 * The dashboard's engine thread (a worker_threads entry, bundled as dist/engine-thread.bundle.cjs): the embedded hub
 * and the worker run here, so their work (the hub's queries and timers, the SDK's replays, the checks) never holds up
 * a key or a frame on the dashboard's thread, and it gets the second core. The dashboard's own engine is a client of
 * this hub (threaded-engine.ts). The worker starts once the dashboard drew its first rows (`first-rows`).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { errorMessage } from "../errors.js";
import { createEngine, type LocalEngine } from "./create-engine.js";
import { ENGINE_THREAD_NICE, V8_PLATFORM_THREAD, type EngineThreadData, type FromEngineThread, type ToEngineThread } from "./engine-thread-messages.js";

/**
 * Lowers this thread's priority, and only this thread's: on Linux a thread is a task with a nice value of its own
 * (its id is the last part of /proc/thread-self). Processes it starts (command checks) inherit it. Lowering needs no
 * privilege; where it is not possible the thread runs at the dashboard's priority.
 * V8's platform threads ("V8Worker") are lowered too: they run the garbage collector's helper tasks of both threads,
 * most of them this thread's (its heap churns with every check), and at the dashboard's priority they took both cores
 * for tens of ms every few seconds: the dashboard's thread then waited to run (README "Sixth round").
 */
function yieldToTheDashboard(): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, ENGINE_THREAD_NICE);
    for (const task of readdirSync("/proc/self/task")) {
      if (readFileSync(`/proc/self/task/${task}/comm`, "utf8").trim() === V8_PLATFORM_THREAD) setPriority(Number(task), ENGINE_THREAD_NICE);
    }
  } catch {
    // not Linux, or not allowed
  }
}

async function run(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("engine-thread runs as a worker thread only");
  const data = workerData as EngineThreadData;
  const post = (message: FromEngineThread) => port.postMessage(message);
  yieldToTheDashboard();
  let engine: LocalEngine;
  try {
    engine = await createEngine({
      profile: data.profile,
      withWorker: true,
      workerAfterFirstRows: true,
      env: data.env,
      logFile: data.logFile,
      onWorkerStatus: (state, error) => post({ type: "worker", state, error }),
    });
  } catch (error) {
    post({ type: "failed", message: errorMessage(error) });
    port.close();
    return;
  }
  port.on("message", (message: ToEngineThread) => {
    if (message.type === "settings") engine.applyProfileSettings(message.settings);
    else if (message.type === "first-rows") engine.startWorker();
    else
      void engine.close().finally(() => {
        post({ type: "closed" });
        port.close();
      });
  });
  post({ type: "ready", ownsHub: engine.ownsHub });
}

void run();
