/**
 * The `monitor` orchestration: check, publish the status, finish or wait (timer | poll-now | set-interval), repeat;
 * continue as new every few checks (the number its input names: CHECKS_PER_EXECUTION for a monitor started now).
 * Deterministic: its only clock is `context.currentUtcDateTime`.
 *
 * Event semantics (documented in the README):
 * - `poll-now` wakes a sleeping monitor and checks at once. One that arrives while a check is running makes the
 *   monitor check again right after it. Several pending (sent while suspended, or during a check) are one check.
 * - `set-interval` (seconds within the interval bounds: 1 s to one year) replaces the interval and restarts the wait from now: the next check is
 *   `seconds` after the event (never past the deadline); backoff then grows from the new value. Bad data is ignored.
 */
import { RetryPolicy, TaskFailedError, whenAny, type OrchestrationContext, type Task, type TOrchestrator } from "@microsoft/durabletask-js";
import { errorMessage } from "../../errors.js";
import { silentLogger, type AppLogger } from "../../logging.js";
import type { AlertInput } from "../checks/alert.js";
import type { HttpStartInput, HttpStartResult } from "../checks/http-start.js";
import { idempotencyKey } from "../checks/idempotency.js";
import type { CheckInput, CheckOutcome } from "../checks/types.js";
import { pendingEventWaiters } from "../sdk-seam.js";
import type { FinalStatus, MonitorOutput } from "../types.js";
import { checksPerExecutionOf, readMonitorInput, type MonitorCarry } from "./input.js";
import {
  ACTIVITY_START_HTTP_JOB,
  EVENT_POLL_NOW,
  EVENT_SET_INTERVAL,
  MONITOR_ACTIVITY_NAMES,
  type MonitorActivityNames,
} from "./names.js";
import type { HttpTarget, MonitorSpec } from "./spec.js";
import {
  buildOutput,
  buildStatus,
  computeNextWait,
  finalStatusOf,
  growInterval,
  initialCarry,
  boundMessage,
  normalizeOutcome,
  parseIntervalEventData,
  recordCheck,
  shouldAlert,
  tooManyFailuresMessage,
} from "./status.js";

/** How a failing webhook is retried: 3 attempts, 1 s then 2 s apart (durable timers). */
const ALERT_RETRY = { maxNumberOfAttempts: 3, firstRetryIntervalInMilliseconds: 1000, backoffCoefficient: 2 } as const;

interface MonitorOrchestratorOptions {
  /** Where the orchestrator logs (replay-safe); default silent. */
  logger?: AppLogger;
  /** The activities it calls; default the current names (the legacy orchestrator passes the legacy ones). */
  activities?: MonitorActivityNames;
  /**
   * Tests: checks per execution whatever the input says, as builds before the input's `checksPerExecution` ran every
   * monitor (20): a task hub's workers of two builds.
   */
  checksPerExecution?: number;
}

/** The SDK drives orchestrators as async generators (a sync generator is not recognized). */
type Step<T> = AsyncGenerator<Task<unknown>, T, unknown>;

/**
 * Creates the monitor orchestrator (registered as `DurableMonitorTui.Monitor`, and as the legacy `monitor`). Its output is a MonitorOutput (Completed, Failed, ConditionMet or Timeout: all
 * are outcomes, the orchestration completes). It fails only for an invalid input, after `maxConsecutiveFailures`
 * failed checks in a row (the failure message names the last error), or at the first check the worker's policy
 * refuses (a host or command the profile does not allow: the refusal is the failure message).
 */
export function createMonitorOrchestrator(options: MonitorOrchestratorOptions = {}): TOrchestrator {
  const baseLogger = options.logger ?? silentLogger;
  const names = options.activities ?? MONITOR_ACTIVITY_NAMES;
  return async function* monitor(ctx: OrchestrationContext, rawInput: unknown): Step<MonitorOutput | undefined> {
    const log = ctx.createReplaySafeLogger(baseLogger);
    const input = readMonitorInput(rawInput, ctx.instanceId);
    const { spec, carry: carried, restartedFrom, checksPerExecution } = input;
    const perExecution = options.checksPerExecution ?? checksPerExecutionOf(input);
    let carry: MonitorCarry = carried ? { ...carried, executions: carried.executions + 1 } : initialCarry(spec, ctx.currentUtcDateTime);
    const run: Run = { ctx, names, spec, log, deadline: new Date(carry.deadline) };
    // Event waiters live for the whole execution: a waiter left behind by a wait the timer won would otherwise
    // swallow the next event of that name (the SDK hands an event to the oldest waiter).
    const waiters: EventWaiters = { pollNow: ctx.waitForExternalEvent(EVENT_POLL_NOW), setInterval: ctx.waitForExternalEvent(EVENT_SET_INTERVAL) };
    let checksThisExecution = 0;

    while (true) {
      const checked = !needsStart(spec, carry);
      const step = checked ? yield* checkStep(run, carry) : yield* startStep(run, carry);
      if (step.output) return step.output;
      if (checked) checksThisExecution++;
      carry = yield* waitStep(run, waiters, step.carry, step.retryAfterSeconds);
      if (checked) carry = { ...carry, intervalSeconds: growInterval(carry.intervalSeconds, spec.backoff) };

      // Decided only on new events: an execution that a worker of another build ran past this number (it continued as
      // new later, or not at all) replays as it ran, and continues as new at its first new turn.
      if (checksThisExecution >= perExecution && !ctx.isReplaying) {
        // A set-interval that arrived with the timer is kept; a pending poll-now is satisfied by the next
        // execution's first check, which happens at once.
        if (waiters.setInterval.isComplete) {
          const seconds = parseIntervalEventData(waiters.setInterval.getResult());
          if (seconds !== undefined) carry = { ...carry, intervalSeconds: seconds };
        }
        detachEventWaiters(ctx);
        ctx.continueAsNew({ spec, carry, ...(restartedFrom ? { restartedFrom } : {}), ...(checksPerExecution ? { checksPerExecution } : {}) }, true);
        return undefined;
      }
    }
  };
}

/** What every step of one execution shares. */
interface Run {
  ctx: OrchestrationContext;
  names: MonitorActivityNames;
  spec: MonitorSpec;
  log: AppLogger;
  deadline: Date;
}

/** The execution's two event waiters; a step that consumes an event puts a fresh waiter in its place. */
interface EventWaiters {
  pollNow: Task<unknown>;
  setInterval: Task<unknown>;
}

/** A step's result: the new carry and the API's Retry-After, or the monitor's output when it has finished. */
interface StepResult {
  carry: MonitorCarry;
  retryAfterSeconds?: number;
  output?: MonitorOutput;
}

/** Starts the http job (once per monitor); a failed start alerts and fails the monitor. */
async function* startStep(run: Run, carry: MonitorCarry): Step<StepResult> {
  const { ctx, spec, log } = run;
  const started = yield* startJobOnce(ctx, spec, carry.startedAt);
  if (!started.ok) {
    carry = { ...carry, lastResult: { status: "Unknown", message: started.message } };
    ctx.setCustomStatus(buildStatus(spec, carry, null, "Failed"));
    yield* alertOnce(ctx, run.names, spec, carry, "Failed", log);
    log.warn(`monitor ${ctx.instanceId}: ${started.message}`);
    throw new Error(started.message);
  }
  const { ok: _ok, message, ...job } = started;
  return { carry: { ...carry, startedJob: job, pollUrl: job.pollUrl, lastResult: { status: "Queued", message } }, retryAfterSeconds: job.retryAfterSeconds };
}

/** Runs one check and records it; at a final status (done, met, too many failures, deadline) alerts and finishes. */
async function* checkStep(run: Run, carry: MonitorCarry): Step<StepResult> {
  const { ctx, spec, log } = run;
  const outcome = yield* runCheck(ctx, run.names, spec, carry);
  const now = ctx.currentUtcDateTime;
  const { pollUrl, ...result } = outcome;
  carry = recordCheck(carry, result, now);
  if (pollUrl) carry.pollUrl = pollUrl;

  // A refusal by the worker's policy cannot pass on retry: it fails the monitor at the first check.
  const refused = result.refused === true;
  const tooManyFailures = refused || carry.consecutiveFailures >= spec.maxConsecutiveFailures;
  const final: FinalStatus | undefined = finalStatusOf(result) ?? (tooManyFailures ? "Failed" : now >= run.deadline ? "Timeout" : undefined);
  if (!final) return { carry, retryAfterSeconds: result.retryAfterSeconds };
  ctx.setCustomStatus(buildStatus(spec, carry, null, final));
  carry = yield* alertOnce(ctx, run.names, spec, carry, final, log);
  if (tooManyFailures && !finalStatusOf(result)) {
    log.warn(`monitor ${ctx.instanceId}: ${refused ? "failing at once: the worker's policy refused the check" : `failing after ${carry.consecutiveFailures} failed checks`}`);
    throw new Error(refused ? (result.message ?? "refused by this worker's policy") : tooManyFailuresMessage(carry.consecutiveFailures, result.message));
  }
  log.info(`monitor ${ctx.instanceId}: finished ${final} after ${carry.checkCount} checks`);
  return { carry, output: buildOutput(spec, carry, final, ctx.currentUtcDateTime) };
}

/** Publishes the next check time and waits for it, a poll-now, or a set-interval (which restarts the wait). */
async function* waitStep(run: Run, waiters: EventWaiters, carry: MonitorCarry, retryAfterSeconds: number | undefined): Step<MonitorCarry> {
  const { ctx, spec, log, deadline } = run;
  let nextCheckAt = computeNextWait({ now: ctx.currentUtcDateTime, deadline, intervalSeconds: carry.intervalSeconds, retryAfterSeconds }).nextCheckAt;
  ctx.setCustomStatus(buildStatus(spec, carry, nextCheckAt));
  while (true) {
    if (waiters.setInterval.isComplete) {
      const seconds = parseIntervalEventData(waiters.setInterval.getResult());
      waiters.setInterval = ctx.waitForExternalEvent(EVENT_SET_INTERVAL);
      if (seconds === undefined) {
        log.warn(`monitor ${ctx.instanceId}: ignored a set-interval event without a number of seconds within the interval bounds`);
        continue;
      }
      carry = { ...carry, intervalSeconds: seconds };
      nextCheckAt = computeNextWait({ now: ctx.currentUtcDateTime, deadline, intervalSeconds: seconds }).nextCheckAt;
      ctx.setCustomStatus(buildStatus(spec, carry, nextCheckAt));
      continue;
    }
    if (waiters.pollNow.isComplete) {
      waiters.pollNow = takeAllPollNows(ctx);
      return carry;
    }
    if (ctx.currentUtcDateTime >= nextCheckAt) return carry;
    const timer = ctx.createTimer(nextCheckAt);
    const winner = yield whenAny([timer, waiters.pollNow, waiters.setInterval]);
    if (winner === timer) return carry;
    timer.cancel();
  }
}

/** True when this `http` monitor has a `startUrl` and has not started its job yet (legacy runs kept a pollUrl). */
function needsStart(spec: MonitorSpec, carry: MonitorCarry): boolean {
  return spec.kind === "http" && spec.target.startUrl !== undefined && !carry.startedJob && !carry.pollUrl;
}

/**
 * The `http` start, as its own activity without retries: its recorded result is replayed, never re-run, so the
 * job is POSTed once per monitor. An activity that throws is a failed start too.
 */
async function* startJobOnce(ctx: OrchestrationContext, spec: MonitorSpec, startedAt: string): Step<HttpStartResult> {
  const input: HttpStartInput = { jobId: spec.jobId, target: spec.target as HttpTarget, idempotencyKey: idempotencyKey(ctx.instanceId, "start-job", startedAt) };
  try {
    const value = (yield ctx.callActivity(ACTIVITY_START_HTTP_JOB, input)) as HttpStartResult | undefined;
    if (value && typeof value === "object" && (value.ok === false || typeof value.pollUrl === "string")) return value;
    return { ok: false, message: "The job start returned no result" };
  } catch (error) {
    const message = error instanceof TaskFailedError ? error.details.message : errorMessage(error);
    return { ok: false, message: `The job was not started: ${message || "the start step failed"}` };
  }
}

/** One check: the kind's activity; a throw or a malformed result is a failed check (Unknown, the error as message). */
async function* runCheck(ctx: OrchestrationContext, names: MonitorActivityNames, spec: MonitorSpec, carry: MonitorCarry): Step<CheckOutcome> {
  const input: CheckInput<unknown> = { jobId: spec.jobId, instanceId: ctx.instanceId, target: spec.target, startedAt: carry.startedAt };
  if (carry.pollUrl) input.pollUrl = carry.pollUrl;
  try {
    const value = yield ctx.callActivity(names.check[spec.kind], input);
    return normalizeOutcome(value);
  } catch (error) {
    const message = error instanceof TaskFailedError ? error.details.message : errorMessage(error);
    return { status: "Unknown", message: boundMessage(message || "The check failed") };
  }
}

/**
 * Sends the alert once, when a webhook is configured, `alert.on` includes this outcome and none was tried: retried by
 * the SDK's RetryPolicy; the final failure is recorded and logged, never thrown (an alert never fails a monitor).
 * Returns the carry with the alert's outcome (`alert`, and `alerted` once sent), published in the custom status.
 */
async function* alertOnce(
  ctx: OrchestrationContext,
  names: MonitorActivityNames,
  spec: MonitorSpec,
  carry: MonitorCarry,
  final: FinalStatus,
  log: AppLogger,
): Step<MonitorCarry> {
  const webhookUrl = spec.alert?.webhookUrl;
  if (!webhookUrl || !shouldAlert(spec, carry, final)) return carry;
  const input: AlertInput = { webhookUrl, jobId: spec.jobId, kind: spec.kind, status: final, instanceId: ctx.instanceId, startedAt: carry.startedAt };
  if (carry.lastResult?.message) input.message = carry.lastResult.message;
  try {
    yield ctx.callActivity(names.sendAlert, input, { retry: new RetryPolicy({ ...ALERT_RETRY }) });
  } catch (error) {
    const message = error instanceof TaskFailedError ? error.details.message : errorMessage(error);
    log.warn(`monitor ${ctx.instanceId}: ${message}`);
    const failed: MonitorCarry = { ...carry, alert: { outcome: "failed", for: final, error: message || "the webhook failed" } };
    ctx.setCustomStatus(buildStatus(spec, failed, null, final));
    return failed;
  }
  const next: MonitorCarry = { ...carry, alerted: true, alert: { outcome: "sent", for: final } };
  ctx.setCustomStatus(buildStatus(spec, next, null, final));
  return next;
}

/**
 * Takes every `poll-now` already received (buffered while suspended or during a check): several pending requests
 * are one check, so N events cost one check and linear work, not N checks back to back. Returns the waiter for the
 * next one.
 */
function takeAllPollNows(ctx: OrchestrationContext): Task<unknown> {
  let next = ctx.waitForExternalEvent(EVENT_POLL_NOW);
  while (next.isComplete) next = ctx.waitForExternalEvent(EVENT_POLL_NOW);
  return next;
}

/**
 * Before continue-as-new: drops this execution's event waiters so that events arriving later in the same work item
 * are buffered, and `continueAsNew(input, saveEvents = true)` carries them into the next execution. The SDK (0.4)
 * hands an event to a pending waiter even after the orchestrator has finished, which would lose it; it keeps
 * waiters in a private field with no public API (reached through the SDK seam, whose test fails if it goes).
 */
function detachEventWaiters(ctx: OrchestrationContext): void {
  const pending = pendingEventWaiters(ctx);
  if (!pending) return;
  delete pending[EVENT_POLL_NOW];
  delete pending[EVENT_SET_INTERVAL];
}
