import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import type { AppLogger } from "../../logging.js";
import { errorMessage } from "../../errors.js";
import type { WorkerState } from "../types.js";
import { backoffDelay } from "./backoff.js";
import { probeBackend } from "./probe.js";
import { channelSettings, type ChannelTarget } from "./channel.js";
import { createSdkLogger, type SdkLogEvent } from "./sdk-logger.js";
import { SDK_EVENTS, workerBackoff } from "../sdk-seam.js";
import { WorkDrain } from "./work-drain.js";

/**
 * The SDK's own bound on waiting for work in progress when it stops. A backstop only: `stop()` drains first (see
 * work-drain.ts), after which nothing the SDK waits for is still running.
 */
export const WORKER_SHUTDOWN_TIMEOUT_MS = 5000;

export interface WorkerStatus {
  state: WorkerState;
  error?: string;
  /** When the next connection attempt happens (state "error"). */
  nextRetryAt?: Date;
}

export interface WorkerSupervisorOptions {
  /** Where to connect, read before every attempt (an embedded connection can move). */
  target: () => ChannelTarget;
  /** Called when the connection is in trouble; resolves true when the target moved (the worker is then replaced). */
  recover?: () => Promise<boolean>;
  /**
   * Registers orchestrators and activities on each new SDK worker (before it starts; may ask the backend first).
   * `stopping` is aborted when a stop cuts that worker's running checks off: they should end at once.
   */
  register: (worker: TaskHubGrpcWorker, stopping: AbortSignal) => void | Promise<void>;
  /** The SDK's log target (a file logger scoped "sdk"). */
  sdkLogger: AppLogger;
  /** The supervisor's own log target. */
  logger: AppLogger;
  onStatus?: (status: WorkerStatus) => void;
  /** Probe deadline per attempt. */
  probeTimeoutMs?: number;
  /** First and largest retry delays (exponential in between, ±10 % jitter). */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** The jitter's random source (tests). */
  random?: () => number;
}

/**
 * Keeps one SDK `TaskHubGrpcWorker` connected for as long as it runs.
 *
 * Why: the SDK worker retries a broken stream on its own (backoff 1 s → 30 s), but when its *first* connection
 * fails it logs the error and gives up, and a stopped worker cannot be restarted. So the supervisor probes the
 * backend (Hello with a deadline) before starting a fresh worker, retries with exponential backoff while the
 * backend is unreachable (with 10 % jitter, like the SDK's own reconnects), and replaces the worker when the SDK reports its run loop died (event 701).
 * It follows the SDK's own reconnects through its structured log events.
 *
 * Promises: never throws from callbacks, never writes to the console (the SDK gets the file logger),
 * `stop()` drains the current worker (running checks get a second to report, the rest are cut off and given back to
 * the backend at once: see work-drain.ts), then stops it; it resolves within a few seconds.
 */
export class WorkerSupervisor {
  private status: WorkerStatus = { state: "none" };
  private worker: TaskHubGrpcWorker | undefined;
  private drain: WorkDrain | undefined;
  /** Where the current SDK worker connects (it never changes address by itself). */
  private workerAddress: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = false;
  private generation = 0;

  constructor(private readonly options: WorkerSupervisorOptions) {}

  current(): WorkerStatus {
    return this.status;
  }

  /** Starts connecting in the background; resolves at once. */
  start(): void {
    if (this.stopped || this.status.state !== "none") return;
    this.setStatus({ state: "starting" });
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const worker = this.worker;
    const drain = this.drain;
    this.worker = undefined;
    this.drain = undefined;
    if (worker) {
      await drain?.drain();
      await stopQuietly(worker, this.options.logger);
    }
    this.setStatus({ state: "stopped" });
  }

  /**
   * The target moved (an embedded connection took the hub over, or joined its new owner): replace the SDK worker,
   * which would otherwise retry the old address for good, and connect to the new one at once. No-op when the
   * worker already points there.
   */
  retarget(): void {
    if (this.stopped || this.workerAddress === undefined || this.workerAddress === this.options.target().address) return;
    this.options.logger.info("worker: the hub moved from %s to %s; reconnecting there", this.workerAddress, this.options.target().address);
    this.discardWorker();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt = 0;
    this.setStatus({ state: "starting" });
    void this.connect();
  }

  private setStatus(status: WorkerStatus): void {
    const prev = this.status;
    this.status = status;
    if (prev.state === status.state && prev.error === status.error && prev.nextRetryAt?.getTime() === status.nextRetryAt?.getTime()) return;
    try {
      this.options.onStatus?.(status);
    } catch (error) {
      this.options.logger.warn("worker status listener threw: %s", errorMessage(error));
    }
  }

  private retryDelay(): number {
    return backoffDelay(this.attempt, this.options.minRetryMs ?? 1000, this.options.maxRetryMs ?? 30_000, this.options.random);
  }

  private scheduleRetry(error: string): void {
    if (this.stopped) return;
    const delay = this.retryDelay();
    this.attempt++;
    const nextRetryAt = new Date(Date.now() + delay);
    this.options.logger.warn("worker cannot connect to %s (%s); retrying in %d ms", this.options.target().address, error, delay);
    this.setStatus({ state: "error", error, nextRetryAt });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.retryTimer.unref?.();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let target = this.options.target();
    let probe = await probeBackend(target, this.options.probeTimeoutMs ?? 5000);
    if (!probe.ok && this.options.recover && (await this.options.recover())) {
      target = this.options.target();
      probe = await probeBackend(target, this.options.probeTimeoutMs ?? 5000);
    }
    if (this.stopped) return;
    if (!probe.ok) {
      this.scheduleRetry(probe.message);
      return;
    }
    const generation = ++this.generation;
    const worker = new TaskHubGrpcWorker({
      ...channelSettings(target),
      logger: createSdkLogger(this.options.sdkLogger, (_level, event) => this.onSdkEvent(generation, event)),
      shutdownTimeoutMs: WORKER_SHUTDOWN_TIMEOUT_MS,
      // Ask only for what we registered: on a shared task hub, other apps' work stays theirs (DTS and our hub
      // honour the filter; a backend that ignores it behaves as before).
      workItemFilters: "auto",
    });
    tameSdkBackoff(worker, () => this.stopped || generation !== this.generation);
    const drain = new WorkDrain(worker, { logger: this.options.logger, metadata: target.metadata });
    try {
      await this.options.register(worker, drain.stopping);
      if (this.stopped || generation !== this.generation) return;
      this.worker = worker;
      this.drain = drain;
      this.workerAddress = target.address;
      await worker.start();
    } catch (error) {
      this.worker = undefined;
      this.drain = undefined;
      this.scheduleRetry(errorMessage(error));
    }
  }

  private onSdkEvent(generation: number, event: SdkLogEvent): void {
    if (this.stopped || generation !== this.generation) return;
    const props = event.properties ?? {};
    switch (event.eventId) {
      case SDK_EVENTS.workerConnected:
        this.attempt = 0;
        this.setStatus({ state: "running" });
        break;
      case SDK_EVENTS.streamError:
      case SDK_EVENTS.streamErrorInfo:
        this.setStatus({ state: "error", error: String(props.error ?? "the work-item stream failed"), nextRetryAt: this.status.nextRetryAt });
        break;
      case SDK_EVENTS.streamRetry:
      case SDK_EVENTS.connectionRetry: {
        const delayMs = typeof props.delayMs === "number" ? props.delayMs : 1000;
        this.setStatus({
          state: "error",
          error: this.status.error ?? "connection lost",
          nextRetryAt: new Date(Date.now() + delayMs),
        });
        // The SDK retries the same address forever; if the backend moved (embedded takeover, by this call or an
        // earlier one of the client's), start over there.
        void this.options.recover?.().then(() => {
          if (generation === this.generation) this.retarget();
        });
        break;
      }
      case SDK_EVENTS.workerError:
        // The SDK's run loop is over: it will not retry by itself. Replace the worker.
        this.replaceWorker(String(props.error ?? "worker error"));
        break;
    }
  }

  private replaceWorker(reason: string): void {
    this.discardWorker();
    this.scheduleRetry(reason);
  }

  /** Forgets the current SDK worker (events of its generation are ignored from now on) and stops it in the background. */
  private discardWorker(): void {
    const dead = this.worker;
    this.worker = undefined;
    this.drain = undefined;
    this.workerAddress = undefined;
    this.generation++;
    if (dead) void stopQuietly(dead, this.options.logger);
  }
}

async function stopQuietly(worker: TaskHubGrpcWorker, logger: AppLogger): Promise<void> {
  try {
    await worker.stop();
  } catch (error) {
    logger.debug("worker stop: %s", errorMessage(error));
  }
}

/**
 * The SDK worker sleeps between reconnects on a plain `setTimeout` (up to 30 s) and, once awake, reconnects even if
 * it was stopped meanwhile: a stopped worker could keep the process alive, or start taking work again. Its sleep is
 * replaced by one that does not hold the process open and never wakes once this worker is retired (its delay keeps the
 * SDK's 10 % jitter: `peekNextDelay` applies it).
 * (A private field, through the SDK seam: if the SDK changes it, the seam's test fails.)
 */
function tameSdkBackoff(worker: TaskHubGrpcWorker, retired: () => boolean): void {
  const backoff = workerBackoff(worker);
  if (!backoff) return;
  const peek = backoff.peekNextDelay.bind(backoff);
  backoff.wait = () => {
    if (retired()) return new Promise<void>(() => {});
    const delay = peek();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (retired()) return; // stay asleep for good: nothing holds the process open
        backoff._attemptCount += 1;
        backoff._currentDelayMs = Math.min(backoff._currentDelayMs * backoff._multiplier, backoff._maxDelayMs);
        resolve();
      }, delay);
      timer.unref?.();
    });
  };
}
