/**
 * What the orchestrator hands each check activity, and what an activity may return beyond a CheckResult.
 */
import type { CheckResult } from "../types.js";
import type { CheckPolicy } from "./policy.js";

/** A check activity's input: the kind's target (defaults applied) plus what the monitor knows. */
export interface CheckInput<TTarget> {
  jobId: string;
  instanceId: string;
  target: TTarget;
  /** ISO time the monitor first started (survives continue-as-new). */
  startedAt: string;
  /** `http` only: where polling moved to (a started job's URL, or a 202's Location). */
  pollUrl?: string;
}

/** A check's result plus, for `http`, where the next check should poll. The orchestrator keeps `pollUrl`. */
export interface CheckOutcome extends CheckResult {
  pollUrl?: string;
}

/** The outside world the activities reach; tests and the CLI pass their own. */
export interface CheckDeps {
  /** Environment variables (GITHUB_TOKEN); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** What the worker's owner allows; default the embedded hub's policy (any host, api.github.com). */
  policy?: CheckPolicy;
}

export const CHECK_STATUSES = ["Queued", "Running", "Completed", "Failed", "ConditionMet", "Unknown"] as const;
