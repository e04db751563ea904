/**
 * The dashboard's engine with its worker (and, on an embedded profile, the hub it owns) in a thread of its own
 * (engine-thread.ts). At 1,000 monitors checking every 5 s the hub and the worker take about a core; on the
 * dashboard's thread they delayed keys (bench:tui, README "Performance"). The engine returned here is a client of that
 * hub with no worker of its own; it shows the thread's worker states, tells the thread when its first watch drew its
 * first rows (the thread's worker starts then), passes config edits on, and stops the thread when it closes. Where
 * the thread cannot run (no bundle next to this build, e.g. tests run from the sources without a build, or the thread
 * fails to start), the worker runs in this thread as before.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { errorMessage } from "../errors.js";
import type { AppLogger } from "../logging.js";
import type { CreateEngineOptions, LocalEngine } from "./create-engine.js";
import type { EngineThreadData, FromEngineThread, ToEngineThread } from "./engine-thread-messages.js";
import type { ProfileSettings, ResolvedProfile } from "./profile.js";
import type { WatchOptions } from "./engine.js";
import type { WatchListener, WorkerState } from "./types.js";

const THREAD_BUNDLE = join("dist", "engine-thread.bundle.js");
/** The thread's young generation (MB): V8's default size, not the dashboard's small one (the bin's shebang). */
const THREAD_YOUNG_GENERATION_MB = 48;
/** How long closing waits for the thread's worker and hub to stop before ending the thread. */
const CLOSE_TIMEOUT_MS = 30_000;

/** The built thread entry of this checkout or package (found from this module, in src/, dist/ or dist/chunks/). */
export function engineThreadEntry(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const entry = join(dir, THREAD_BUNDLE);
    if (existsSync(entry)) return entry;
    dir = dirname(dir);
  }
  return undefined;
}

export interface ThreadedEngineOptions {
  profile: ResolvedProfile;
  env: NodeJS.ProcessEnv;
  logFile: string;
  logger: AppLogger;
  /** Tests: the thread entry to run (default: engineThreadEntry()). */
  entry?: string;
}

/** Lines the thread writes to stdout/stderr (it should write none: the terminal is Ink's) go to the log instead. */
function logThreadOutput(thread: Worker, logger: AppLogger): void {
  for (const stream of [thread.stdout, thread.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (text: string) => {
      for (const line of text.split("\n")) if (line.trim()) logger.warn("engine thread wrote: %s", line);
    });
  }
}

/** Resolves at the thread's first word: ready, or why it could not start. */
function firstWord(thread: Worker): Promise<{ ownsHub: boolean } | { failed: string }> {
  return new Promise((resolveWord) => {
    const onMessage = (message: FromEngineThread) => {
      if (message.type === "ready") resolveWord({ ownsHub: message.ownsHub });
      else if (message.type === "failed") resolveWord({ failed: message.message });
      else return;
      thread.off("message", onMessage);
    };
    thread.on("message", onMessage);
    thread.once("error", (error) => resolveWord({ failed: errorMessage(error) }));
    thread.once("exit", (code) => resolveWord({ failed: `it exited with code ${code}` }));
  });
}

/**
 * Starts the engine thread and opens the dashboard's engine beside it (see above). Rejects with what createEngine
 * throws when the worker has to run in this thread and cannot open. The SDK loads in both threads at the same time.
 */
export function openThreadedEngine(options: ThreadedEngineOptions): Promise<LocalEngine> {
  const { profile, env, logFile, logger } = options;
  const entry = options.entry ?? engineThreadEntry();
  const data: EngineThreadData = { profile, env: { ...env }, logFile };
  const thread = entry
    ? new Worker(entry, { workerData: data, stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } })
    : undefined;
  // Loaded while the thread starts (each thread loads the SDK).
  const loading = import("./create-engine.js");
  const createEngineHere = async (engineOptions: CreateEngineOptions) => (await loading).createEngine(engineOptions);
  const inProcess = () => createEngineHere({ profile, withWorker: true, workerAfterFirstRows: true, env, logFile });
  if (!thread) {
    logger.info("engine thread: no %s in this build; the worker runs in the dashboard's thread", THREAD_BUNDLE);
    return inProcess();
  }
  logThreadOutput(thread, logger);
  // Worker states that come before this thread's engine is there to show them: the last one is replayed.
  let report: ((state: WorkerState, error?: string) => void) | undefined;
  let lastWorker: { state: WorkerState; error?: string } | undefined;
  const workerStatus = (state: WorkerState, error?: string) => {
    lastWorker = { state, error };
    report?.(state, error);
  };
  thread.on("message", (message: FromEngineThread) => {
    if (message.type === "worker") workerStatus(message.state, message.error);
  });
  const word = firstWord(thread);

  return (async (): Promise<LocalEngine> => {
    const started = await word;
    if ("failed" in started) {
      logger.warn("engine thread: could not start (%s); the worker runs in the dashboard's thread", started.failed);
      await thread.terminate();
      return inProcess();
    }
    let closing = false;
    const exited = new Promise<void>((resolveExit) => thread.once("exit", () => resolveExit()));
    thread.on("error", (error) => {
      logger.error("engine thread failed: %s", error.stack ?? error.message);
      workerStatus("error", `the engine thread failed: ${error.message}`);
    });
    void exited.then(() => {
      if (!closing) workerStatus("stopped", "the engine thread stopped");
    });
    const send = (message: ToEngineThread) => thread.postMessage(message);
    const stopThread = async () => {
      closing = true;
      send({ type: "close" });
      const timer = setTimeout(() => {
        logger.warn("engine thread: not stopped after %d s; ending it", CLOSE_TIMEOUT_MS / 1000);
        void thread.terminate();
      }, CLOSE_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    };

    let client: LocalEngine;
    try {
      client = await createEngineHere({
        profile,
        withWorker: false,
        env,
        logFile,
        workerElsewhere: (to) => {
          report = to;
          if (lastWorker) to(lastWorker.state, lastWorker.error);
        },
      });
    } catch (error) {
      await stopThread();
      throw error;
    }
    logger.info("engine thread: %s in its own thread", started.ownsHub ? "the worker and the embedded hub run" : "the worker runs");
    // The client engine, but for what the thread does: owning the hub, its worker, taking config edits, closing.
    let firstRowsTold = false;
    const startWorker = () => {
      if (firstRowsTold || closing) return;
      firstRowsTold = true;
      send({ type: "first-rows" });
    };
    return Object.create(client, {
      ownsHub: { get: () => started.ownsHub },
      startWorker: { value: startWorker },
      watch: {
        value: (listener: WatchListener, watchOptions?: WatchOptions) =>
          client.watch((event) => {
            const shown = listener(event);
            if (event.type === "snapshots" && event.initial) void Promise.resolve(shown).then(startWorker, startWorker);
            return shown;
          }, watchOptions),
      },
      applyProfileSettings: {
        value: (settings: ProfileSettings) => {
          client.applyProfileSettings(settings);
          send({ type: "settings", settings });
        },
      },
      close: {
        value: async () => {
          await client.close();
          if (!closing) await stopThread();
        },
      },
    }) as LocalEngine;
  })();
}
