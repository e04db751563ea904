/**
 * The dashboard's engine thread (engine-thread.ts), one at a time: starts it, relays its worker states, and starts it
 * again when it dies while the dashboard runs (an error nothing caught in the hub or the worker), after a backoff.
 * A new thread is told what the last one was told (the first rows are drawn, the last config edit). Meanwhile the
 * dashboard's engine, a client of the dead thread's hub, takes the hub over when it finds it gone (an embedded
 * client's recovery); the new thread then joins it, or takes it over itself if it comes first.
 */
import { Worker } from "node:worker_threads";
import { errorMessage } from "../errors.js";
import type { AppLogger } from "../logging.js";
import { backoffDelay } from "./connection/backoff.js";
import type { EngineThreadData, FromEngineThread, ToEngineThread } from "./engine-thread-messages.js";
import type { ProfileSettings } from "./profile.js";
import type { WorkerState } from "./types.js";

/** The thread's young generation (MB): V8's default size, not the dashboard's small one (the bin's shebang). */
const THREAD_YOUNG_GENERATION_MB = 48;
/** How long closing waits for the thread's worker and hub to stop before ending the thread. */
const CLOSE_TIMEOUT_MS = 30_000;
/** Restarts of a thread that keeps dying wait from 1 s to 30 s; one that ran this long starts the count again. */
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
const RESTART_RESET_AFTER_MS = 60_000;

export type FirstWord = { ownsHub: boolean } | { failed: string };

export interface EngineThreadRunnerOptions {
  entry: string;
  data: EngineThreadData;
  logger: AppLogger;
  /** Called when a thread dies and its work is gone (before the next one starts): e.g. kill the commands it ran. */
  onDied?: () => void;
  /** Tests: each thread as it starts. */
  onThread?: (thread: Worker) => void;
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
function firstWord(thread: Worker): Promise<FirstWord> {
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

export class EngineThreadRunner {
  private thread: Worker | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  /** Set once a thread ran: only then is a thread that dies started again. */
  private restartable = false;
  private firstRowsDrawn = false;
  private settings: ProfileSettings | undefined;
  private report: ((state: WorkerState, error?: string) => void) | undefined;
  private lastWorker: { state: WorkerState; error?: string } | undefined;
  /** Whether the running thread serves the embedded hub. */
  ownsHub = false;

  constructor(private readonly options: EngineThreadRunnerOptions) {}

  /** Starts the first thread. When it cannot start, nothing is started again (the caller runs the worker itself). */
  async start(): Promise<FirstWord> {
    const { thread, word } = this.spawn();
    const said = await word;
    if ("failed" in said) {
      this.stopping = true;
      await thread.terminate();
      return said;
    }
    this.ownsHub = said.ownsHub;
    this.restartable = true;
    return said;
  }

  /** Where worker states go; the last one reported before is replayed. */
  reportTo(report: (state: WorkerState, error?: string) => void): void {
    this.report = report;
    if (this.lastWorker) report(this.lastWorker.state, this.lastWorker.error);
  }

  firstRows(): void {
    if (this.firstRowsDrawn) return;
    this.firstRowsDrawn = true;
    this.send({ type: "first-rows" });
  }

  applySettings(settings: ProfileSettings): void {
    this.settings = settings;
    this.send({ type: "settings", settings });
  }

  /** Stops the thread (its worker and hub first, at most CLOSE_TIMEOUT_MS) and starts none again. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const thread = this.thread;
    if (!thread) return;
    const exited = new Promise<void>((resolveExit) => thread.once("exit", () => resolveExit()));
    thread.postMessage({ type: "close" } satisfies ToEngineThread);
    const timer = setTimeout(() => {
      this.options.logger.warn("engine thread: not stopped after %d s; ending it", CLOSE_TIMEOUT_MS / 1000);
      void thread.terminate();
    }, CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private send(message: ToEngineThread): void {
    if (!this.stopping) this.thread?.postMessage(message);
  }

  private workerStatus(state: WorkerState, error?: string): void {
    this.lastWorker = { state, error };
    this.report?.(state, error);
  }

  private spawn(): { thread: Worker; word: Promise<FirstWord> } {
    const { entry, data, logger } = this.options;
    const thread = new Worker(entry, {
      workerData: data,
      stdout: true,
      stderr: true,
      resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB },
    });
    this.thread = thread;
    this.options.onThread?.(thread);
    logThreadOutput(thread, logger);
    const bornAt = Date.now();
    thread.on("message", (message: FromEngineThread) => {
      if (message.type === "worker") this.workerStatus(message.state, message.error);
    });
    thread.on("error", (error) => {
      logger.error("engine thread failed: %s", error.stack ?? error.message);
      this.workerStatus("error", `the engine thread failed: ${error.message}`);
    });
    thread.once("exit", (code) => {
      if (this.thread === thread) this.thread = undefined;
      if (this.stopping || !this.restartable) return;
      if (Date.now() - bornAt >= RESTART_RESET_AFTER_MS) this.restarts = 0;
      const delay = backoffDelay(this.restarts++, RESTART_MIN_MS, RESTART_MAX_MS);
      logger.warn("engine thread: stopped (exit code %d); starting it again in %d ms", code, delay);
      this.options.onDied?.();
      this.workerStatus("error", `the engine thread stopped; starting it again in ${Math.ceil(delay / 1000)} s`);
      this.restartTimer = setTimeout(() => void this.restart(), delay);
    });
    return { thread, word: firstWord(thread) };
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    const { thread, word: said } = this.spawn();
    const word = await said;
    if (this.stopping) return;
    if ("failed" in word) {
      // Its exit starts the next attempt.
      this.options.logger.warn("engine thread: could not start again (%s)", word.failed);
      void thread.terminate();
      return;
    }
    this.ownsHub = word.ownsHub;
    this.options.logger.info("engine thread: started again (%s)", word.ownsHub ? "serving the hub" : "a client of the hub");
    if (this.settings) this.send({ type: "settings", settings: this.settings });
    if (this.firstRowsDrawn) this.send({ type: "first-rows" });
  }
}
