/**
 * A clean stop for one SDK worker: no check that finished runs again, and no check that was cut off waits for a lock
 * timeout before it runs elsewhere.
 *
 * Why not just `TaskHubGrpcWorker.stop()`: it cancels the work-item stream first and only then waits for the work
 * in progress. A hub gives a closed stream's work items to the next worker at once (ours does), so every result that
 * arrives after the cancel is refused as stale and the check runs a second time; and it waits up to its shutdown
 * timeout for a long command. So `drain()` runs before it, with the stream still open:
 * 1. new work items are held, not run (they stay leased to this worker, so the hub stops sending once its
 *    per-worker limit is reached instead of handing them round in a loop);
 * 2. work in progress gets `graceMs` to finish and report;
 * 3. what is still running then is cut off: its result will not be reported (the SDK's completion for it is dropped
 *    here), it is abandoned (back to the hub at once), and `stopping` is aborted so that command checks kill their
 *    process groups; the drain waits up to `killWaitMs` for them to be gone;
 * 4. held work items are abandoned too.
 * A completion the SDK had already sent when the grace ended is awaited, never cut off, so a result is either
 * recorded or abandoned, never both and never lost.
 */
import type { TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import { errorMessage } from "../../errors.js";
import type { AppLogger } from "../../logging.js";
import { interceptWorkItems, pb, type SdkActivityRequest, type SdkWorkItemExecutor, type SdkWorkItemStub } from "../sdk-seam.js";
import type { MetadataGenerator } from "./metadata.js";
import { settledWithin } from "../settled-within.js";

/** How long a stop lets running checks finish and report before it cuts them off. */
export const DRAIN_GRACE_MS = 1000;
/** How long a stop then waits for cut-off checks to end (a command gets SIGTERM, then SIGKILL after COMMAND_KILL_GRACE_MS). */
export const DRAIN_KILL_WAIT_MS = 1500;

type Kind = "activity" | "orchestrator";

interface Running {
  kind: Kind;
  token: string;
  stub: SdkWorkItemStub;
  /** The SDK's execution, settled once its completion was acknowledged (or dropped). */
  done: Promise<void>;
  /** The SDK sent the completion: it is awaited, never cut off. */
  sent: boolean;
  cutOff: boolean;
  /** Ends the SDK's wait for a cut-off item (its execution goes on until the command is gone). */
  release: () => void;
  label: string;
}

interface Held {
  kind: Kind;
  token: string;
  stub: SdkWorkItemStub;
}

export interface DrainOptions {
  logger: AppLogger;
  /** The headers abandon calls carry (the worker's own). */
  metadata: MetadataGenerator;
  graceMs?: number;
  killWaitMs?: number;
}

export class WorkDrain {
  private draining = false;
  private readonly running = new Set<Running>();
  private readonly held: Held[] = [];
  private readonly controller = new AbortController();
  /** Aborted when a stop cuts running checks off: command checks kill their process group. */
  readonly stopping: AbortSignal = this.controller.signal;
  /** False when the SDK's executors could not be wrapped (the worker then stops the SDK's way). */
  readonly installed: boolean;

  constructor(
    worker: TaskHubGrpcWorker,
    private readonly options: DrainOptions,
  ) {
    this.installed = interceptWorkItems(worker, {
      activity: (original) => (request, token, stub) => this.execute("activity", original, request, token, stub),
      orchestrator: (original) => (request, token, stub) => this.execute("orchestrator", original, request, token, stub),
    });
    if (!this.installed) options.logger.warn("worker: cannot hook the SDK's work items; a stop may run checks again");
  }

  private execute(kind: Kind, original: SdkWorkItemExecutor, request: unknown, token: string, stub: SdkWorkItemStub): Promise<void> {
    if (this.draining) {
      this.held.push({ kind, token, stub });
      return Promise.resolve();
    }
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const entry: Running = { kind, token, stub, done: Promise.resolve(), sent: false, cutOff: false, release, label: describe(kind, request) };
    const guarded: SdkWorkItemStub = Object.create(stub, {
      completeActivityTask: {
        value: (req: unknown, metadata: unknown, callback: (error: Error | null, response?: unknown) => void) => {
          if (entry.cutOff) {
            callback(null); // abandoned already: the result of a cut-off check is never reported
            return;
          }
          entry.sent = true;
          return stub.completeActivityTask(req, metadata, callback);
        },
      },
    });
    entry.done = original(request, token, kind === "activity" ? guarded : stub).finally(() => this.running.delete(entry));
    this.running.add(entry);
    return Promise.race([entry.done, released]);
  }

  /**
   * Holds new work, lets running work finish within the grace, cuts off and abandons the rest, abandons what was held.
   * Resolves when that is done (bounded by graceMs + killWaitMs + the abandon calls); never throws. Call it once,
   * before `worker.stop()`, while the stream is still open.
   */
  async drain(): Promise<void> {
    if (this.draining || !this.installed) return;
    this.draining = true;
    const grace = this.options.graceMs ?? DRAIN_GRACE_MS;
    if (this.running.size > 0) await settledWithin([...this.running].map((e) => e.done), grace);
    // Orchestrator turns have no I/O to stop: cut off are only activities whose result was not sent yet.
    const cut = [...this.running].filter((e) => e.kind === "activity" && !e.sent);
    for (const entry of cut) {
      entry.cutOff = true;
      entry.release();
    }
    if (cut.length > 0) {
      this.options.logger.info("worker stop: cutting off %d running check(s): %s", cut.length, cut.map((e) => e.label).join(", "));
      this.controller.abort();
    }
    const held = this.held.splice(0);
    await Promise.all([...cut, ...held].map((item) => this.abandon(item)));
    if (this.running.size > 0) await settledWithin([...this.running].map((e) => e.done), this.options.killWaitMs ?? DRAIN_KILL_WAIT_MS);
    if (this.running.size > 0) this.options.logger.warn("worker stop: %d work item(s) still running after the stop's wait", this.running.size);
  }

  private async abandon(item: { kind: Kind; token: string; stub: SdkWorkItemStub }): Promise<void> {
    const request = item.kind === "activity" ? new pb.AbandonActivityTaskRequest() : new pb.AbandonOrchestrationTaskRequest();
    request.setCompletiontoken(item.token);
    const method = item.kind === "activity" ? item.stub.abandonTaskActivityWorkItem : item.stub.abandonTaskOrchestratorWorkItem;
    try {
      const metadata = await this.options.metadata();
      await new Promise<void>((resolve, reject) => method.call(item.stub, request, metadata, (error) => (error ? reject(error) : resolve())));
    } catch (error) {
      // Already returned (the lease ended) or the backend is gone: the backend requeues it by itself then.
      this.options.logger.debug("worker stop: abandoning a work item: %s", errorMessage(error));
    }
  }
}

function describe(kind: Kind, request: unknown): string {
  if (kind !== "activity") return "orchestration turn";
  const r = request as SdkActivityRequest;
  return `${r.getName()} for ${r.getOrchestrationinstance()?.getInstanceid() ?? "?"}#${r.getTaskid()}`;
}
