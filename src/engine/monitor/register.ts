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
import type { CheckInput } from "../checks/types.js";
import type { CommandTarget, GithubIssuesTarget, HttpTarget, SimulatedTarget } from "./spec.js";
import {
  ACTIVITY_CHECK_COMMAND,
  ACTIVITY_CHECK_GITHUB_ISSUES,
  ACTIVITY_CHECK_HTTP,
  ACTIVITY_CHECK_SIMULATED,
  ACTIVITY_SEND_ALERT,
  ACTIVITY_START_HTTP_JOB,
  MONITOR_ORCHESTRATOR,
} from "./names.js";
import { createMonitorOrchestrator } from "./orchestrator.js";

/** The registration surface `registerMonitor` needs. */
export interface MonitorWorkerRegistry {
  addNamedOrchestrator(name: string, fn: TOrchestrator): string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addNamedActivity(name: string, fn: (context: ActivityContext, input: any) => any): string;
}

export interface RegisterMonitorOptions {
  /** Orchestrator and activity logs (the file logger); default silent. */
  logger?: AppLogger;
  /** Environment the activities read (GITHUB_TOKEN) and commands run with; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The fetch the http, github-issues and alert activities use; default globalThis.fetch. */
  fetch?: typeof fetch;
}

/**
 * Registers `monitor` and every activity (the checks, the http start and sendAlert).
 * Call before `worker.start()`. Throws whatever the worker throws for a duplicate name.
 */
export function registerMonitor(worker: MonitorWorkerRegistry, options: RegisterMonitorOptions = {}): void {
  const logger = options.logger ?? silentLogger;
  const deps = { env: options.env, fetch: options.fetch };
  worker.addNamedOrchestrator(MONITOR_ORCHESTRATOR, createMonitorOrchestrator({ logger }));
  worker.addNamedActivity(ACTIVITY_CHECK_SIMULATED, (_ctx, input: CheckInput<SimulatedTarget>) => checkSimulated(input));
  worker.addNamedActivity(ACTIVITY_CHECK_HTTP, (_ctx, input: CheckInput<HttpTarget>) => checkHttp(input, deps));
  worker.addNamedActivity(ACTIVITY_START_HTTP_JOB, (_ctx, input: HttpStartInput) => startHttpJob(input, deps));
  worker.addNamedActivity(ACTIVITY_CHECK_GITHUB_ISSUES, (_ctx, input: CheckInput<GithubIssuesTarget>) => checkGithubIssues(input, deps));
  worker.addNamedActivity(ACTIVITY_CHECK_COMMAND, (_ctx, input: CheckInput<CommandTarget>) => checkCommand(input, options.env));
  worker.addNamedActivity(ACTIVITY_SEND_ALERT, async (ctx, input: AlertInput) => {
    try {
      return await sendAlert(input, deps);
    } catch (error) {
      logger.warn(`sendAlert for ${ctx.orchestrationId} (attempt failed): ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  });
}
