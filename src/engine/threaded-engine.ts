/**
 * The dashboard's engine with its worker (and, on an embedded profile, the hub it owns) in a thread of its own
 * (engine-thread.ts). At 1,000 monitors checking every 5 s the hub and the worker take about a core; on the
 * dashboard's thread they delayed keys (bench:tui, README "Performance"). The engine returned here is a client of that
 * hub with no worker of its own; it shows the thread's worker states, tells the thread when its first watch drew its
 * first rows (the thread's worker starts then), passes config edits on, and stops the thread when it closes; a thread
 * that dies is started again (engine-thread-runner.ts). Where the thread cannot run (no bundle next to this build, e.g.
 * tests run from the sources without a build, or the thread fails to start), the worker runs in this thread as before.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import type { AppLogger } from "../logging.js";
import { runningCommandsDir } from "../paths.js";
import { killThisProcessGroups } from "./checks/command-groups.js";
import type { CreateEngineOptions, LocalEngine } from "./create-engine.js";
import { EngineThreadRunner } from "./engine-thread-runner.js";
import type { ProfileSettings, ResolvedProfile } from "./profile.js";

const THREAD_BUNDLE = join("dist", "engine-thread.bundle.cjs");

/** The built thread entry of this checkout or package (found from this module, in src/ or dist/). */
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
  /** Tests: each engine thread as it starts. */
  onThread?: (thread: Worker) => void;
}

/**
 * Starts the engine thread and opens the dashboard's engine beside it (see above). Rejects with what createEngine
 * throws when the worker has to run in this thread and cannot open. The SDK loads in both threads at the same time.
 */
export function openThreadedEngine(options: ThreadedEngineOptions): Promise<LocalEngine> {
  const { profile, env, logFile, logger } = options;
  const entry = options.entry ?? engineThreadEntry();
  // Loaded while the thread starts (each thread loads the SDK).
  const loading = import("./create-engine.js");
  const createEngineHere = async (engineOptions: CreateEngineOptions) => (await loading).createEngine(engineOptions);
  const inProcess = () => createEngineHere({ profile, withWorker: true, workerAfterFirstRows: true, env, logFile });
  if (!entry) {
    logger.info("engine thread: no %s in this build; the worker runs in the dashboard's thread", THREAD_BUNDLE);
    return inProcess();
  }
  const runner = new EngineThreadRunner({
    entry,
    data: { profile, env: { ...env }, logFile },
    logger,
    onDied: () => killThisProcessGroups(runningCommandsDir(env), logger),
    onThread: options.onThread,
  });
  const started = runner.start();

  return (async (): Promise<LocalEngine> => {
    const word = await started;
    if ("failed" in word) {
      logger.warn("engine thread: could not start (%s); the worker runs in the dashboard's thread", word.failed);
      return inProcess();
    }
    let client: LocalEngine;
    try {
      client = await createEngineHere({ profile, withWorker: false, env, logFile, workerElsewhere: { reportTo: (to) => runner.reportTo(to), start: () => runner.firstRows() } });
    } catch (error) {
      await runner.stop();
      throw error;
    }
    logger.info("engine thread: %s in its own thread", word.ownsHub ? "the worker and the embedded hub run" : "the worker runs");
    // The client engine, but for what the thread does: owning the hub, taking config edits, closing.
    let closed = false;
    return Object.create(client, {
      ownsHub: { get: () => runner.ownsHub || client.ownsHub },
      applyProfileSettings: {
        value: (settings: ProfileSettings) => {
          client.applyProfileSettings(settings);
          runner.applySettings(settings);
        },
      },
      close: {
        value: async () => {
          if (closed) return;
          closed = true;
          await client.close();
          await runner.stop();
        },
      },
    }) as LocalEngine;
  })();
}
