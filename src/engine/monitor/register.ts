/**
 * Registers the monitor orchestration and its activities on a worker: the real TaskHubGrpcWorker, or anything with
 * the same two registration methods (the SDK's TestOrchestrationWorker).
 */
import type { ActivityContext, TOrchestrator } from "@microsoft/durabletask-js";
import { silentLogger, type AppLogger } from "../../logging.js";
import { sendAlert, type AlertInput } from "../checks/alert.js";
import { checkCommand } from "../checks/command.js";
import { checkGithubIssues } from "../checks/github-issues.js";
import { checkHttp } from "../checks/http.js";
import { startHttpJob, type HttpStartInput } from "../checks/http-start.js";
import { checkSimulated } from "../checks/simulated.js";
import type { CheckPolicy } from "../checks/policy.js";
import type { CommandGroupRecord } from "../checks/command-groups.js";
import type { CheckDeps, CheckInput } from "../checks/types.js";
import type { CommandTarget, GithubIssuesTarget, HttpTarget, SimulatedTarget } from "./spec.js";
import {
  ACTIVITY_START_HTTP_JOB,
  LEGACY_MONITOR_ACTIVITY_NAMES,
  LEGACY_MONITOR_ORCHESTRATOR,
  MONITOR_ACTIVITY_NAMES,
  MONITOR_ORCHESTRATOR,
  type MonitorActivityNames,
} from "./names.js";
import { createMonitorOrchestrator } from "./orchestrator.js";

/** The registration surface `registerMonitor` needs. */
export interface MonitorWorkerRegistry {
  addNamedOrchestrator(name: string, fn: TOrchestrator): string;
  addNamedActivity(name: string, fn: (context: ActivityContext, input: any) => any): string; // the SDK's own signature
}

export interface RegisterMonitorOptions {
  /** Orchestrator and activity logs (the file logger); default silent. */
  logger?: AppLogger;
  /** Environment the activities read (GITHUB_TOKEN) and commands run with; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The fetch the http, github-issues and alert activities use; default globalThis.fetch. */
  fetch?: typeof fetch;
  /**
   * Also register the legacy names (`monitor`, `checkSimulated`, ...). Only where every instance under those names
   * is ours: a user's own `monitor` on a shared task hub would otherwise be taken and run as a monitor (and fail).
   */
  legacyNames?: boolean;
  /** What checks may do, read at each check (the worker's profile and the connection it is on: see policy.ts). */
  policy: () => CheckPolicy;
  /** Aborted when the worker stops and cuts running checks off: command checks then kill their process group. */
  stopping?: AbortSignal;
  /** Where command checks write down their process group while they run (a dead worker's are killed by the next). */
  commandGroups?: CommandGroupRecord;
  /** Tests: see the orchestrator's option of that name (another build's worker). */
  checksPerExecution?: number;
}

/**
 * Registers `DurableMonitorTui.Monitor` and its activities (`DurableMonitorTui.CheckSimulated|CheckHttp|
 * CheckGithubIssues|CheckCommand|SendAlert|StartHttpJob`); with `legacyNames`, also the legacy `monitor` orchestrator
 * and the activities it calls (checkSimulated, checkHttp, checkGithubIssues, checkCommand, sendAlert), so instances
 * stored by earlier releases keep running. Call before `worker.start()`. Throws whatever the worker throws for a duplicate.
 */
export function registerMonitor(worker: MonitorWorkerRegistry, options: RegisterMonitorOptions): void {
  const logger = options.logger ?? silentLogger;
  const deps = (): CheckDeps => ({ env: options.env, fetch: options.fetch, policy: options.policy() });
  registerUnder(worker, MONITOR_ORCHESTRATOR, MONITOR_ACTIVITY_NAMES, options, deps, logger);
  if (options.legacyNames) registerUnder(worker, LEGACY_MONITOR_ORCHESTRATOR, LEGACY_MONITOR_ACTIVITY_NAMES, options, deps, logger);
  worker.addNamedActivity(ACTIVITY_START_HTTP_JOB, (_ctx, input: HttpStartInput) => startHttpJob(input, deps()));
}

function registerUnder(
  worker: MonitorWorkerRegistry,
  orchestrator: string,
  names: MonitorActivityNames,
  options: RegisterMonitorOptions,
  deps: () => CheckDeps,
  logger: AppLogger,
): void {
  worker.addNamedOrchestrator(orchestrator, createMonitorOrchestrator({ logger, activities: names, checksPerExecution: options.checksPerExecution }));
  worker.addNamedActivity(names.check.simulated, (_ctx, input: CheckInput<SimulatedTarget>) => checkSimulated(input));
  worker.addNamedActivity(names.check.http, (_ctx, input: CheckInput<HttpTarget>) => checkHttp(input, deps()));
  worker.addNamedActivity(names.check["github-issues"], (_ctx, input: CheckInput<GithubIssuesTarget>) => checkGithubIssues(input, deps()));
  worker.addNamedActivity(names.check.command, (_ctx, input: CheckInput<CommandTarget>) => checkCommand(input, options.policy(), options.env, { signal: options.stopping, groups: options.commandGroups }));
  worker.addNamedActivity(names.sendAlert, async (ctx, input: AlertInput) => {
    try {
      return await sendAlert(input, deps());
    } catch (error) {
      logger.warn(`${names.sendAlert} for ${ctx.orchestrationId} (attempt failed): ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  });
}
