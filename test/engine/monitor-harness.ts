/**
 * Runs the monitor orchestration for integration tests: the real SDK worker and client against the real hub
 * (startTestHub), with registerMonitor's activities. Helpers wait on conditions (polling with a deadline), never sleep.
 */
import { HistoryEventType, OrchestrationStatus, type OrchestrationState } from "@microsoft/durabletask-js";
import { startTestHub } from "../helpers/hub.js";
import { prepareMonitorInput } from "../../src/engine/monitor/input.js";
import { MONITOR_ORCHESTRATOR } from "../../src/engine/monitor/names.js";
import { resolveCheckPolicy } from "../../src/engine/checks/policy.js";
import { registerMonitor, type MonitorWorkerRegistry, type RegisterMonitorOptions } from "../../src/engine/monitor/register.js";
import type { MonitorSpecInput } from "../../src/engine/monitor/spec.js";
import type { MonitorOutput, MonitorStatus } from "../../src/engine/types.js";

export interface HarnessOptions extends Omit<RegisterMonitorOptions, "policy"> {
  /** What checks may do; default the embedded hub's policy with no defined commands. */
  policy?: RegisterMonitorOptions["policy"];
  /** The hub's database (to restart a hub on the same data); default a temp file removed on close. */
  dbPath?: string;
  /** Replace registered activities (stands in for a check that crashes). */
  replaceActivities?: Record<string, (ctx: unknown, input: unknown) => unknown>;
}

export interface MonitorHarness {
  /** Validates the spec like Engine.start and schedules a monitor (`restartedFrom`: as `restart` does); returns the instance id. */
  start(spec: MonitorSpecInput, restartedFrom?: string): Promise<string>;
  /** Schedules a monitor with this input as is (e.g. as an earlier build wrote it). */
  startRaw(input: unknown): Promise<string>;
  state(id: string): Promise<OrchestrationState | undefined>;
  /** The waits the orchestration scheduled in its current execution: each timer's fireAt minus its turn's time, in s. */
  scheduledWaits(id: string): Promise<number[]>;
  raise(id: string, event: string, data?: unknown): Promise<void>;
  /** Polls the custom status until `predicate` holds; throws with the last status seen after `timeoutMs`. */
  waitForStatus(id: string, predicate: (s: MonitorStatus) => boolean, timeoutMs?: number): Promise<MonitorStatus>;
  /** Polls until the instance is Completed, Failed or Terminated. */
  waitForEnd(id: string, timeoutMs?: number): Promise<OrchestrationState>;
  /** Stops the worker: the hub keeps timers and events until a worker comes back. */
  stopWorker(): Promise<void>;
  /** Starts a fresh worker (after stopWorker). */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export const TERMINAL = [OrchestrationStatus.COMPLETED, OrchestrationStatus.FAILED, OrchestrationStatus.TERMINATED];

export function customStatusOf(state: OrchestrationState | undefined): MonitorStatus | undefined {
  const raw = state?.serializedCustomStatus;
  return raw ? (JSON.parse(raw) as MonitorStatus) : undefined;
}

export function outputOf(state: OrchestrationState): MonitorOutput {
  return JSON.parse(state.serializedOutput ?? "null") as MonitorOutput;
}

export async function poll<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await read();
  }
  return last;
}

/** The test process's environment minus GITHUB_TOKEN, so a developer's token never reaches the fake GitHub. */
function withoutGithubToken(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "GITHUB_TOKEN"));
}

export async function startMonitorHarness(options: HarnessOptions = {}): Promise<MonitorHarness> {
  const testHub = await startTestHub(options.dbPath ? { dbPath: options.dbPath } : {});
  const client = testHub.createClient();
  const newWorker = async () => {
    const worker = testHub.createWorker();
    const registry: MonitorWorkerRegistry = {
      addNamedOrchestrator: (name, fn) => worker.addNamedOrchestrator(name, fn),
      addNamedActivity: (name, fn) => worker.addNamedActivity(name, (options.replaceActivities?.[name] ?? fn) as never),
    };
    registerMonitor(registry, { env: withoutGithubToken(), policy: () => resolveCheckPolicy("test", {}, true), ...options });
    await worker.start();
    return worker;
  };
  let worker: Awaited<ReturnType<typeof newWorker>> | undefined = await newWorker();
  const state = (id: string) => client.getOrchestrationState(id, true);
  return {
    start: (spec, restartedFrom) =>
      client.scheduleNewOrchestration(MONITOR_ORCHESTRATOR, { ...prepareMonitorInput(spec), ...(restartedFrom ? { restartedFrom } : {}) }),
    startRaw: (input) => client.scheduleNewOrchestration(MONITOR_ORCHESTRATOR, input),
    state,
    scheduledWaits: async (id) => {
      let turnAt = 0;
      const waits: number[] = [];
      for (const event of await client.getOrchestrationHistory(id)) {
        if (event.type === HistoryEventType.OrchestratorStarted) turnAt = event.timestamp.getTime();
        if (event.type === HistoryEventType.TimerCreated) waits.push((event.fireAt.getTime() - turnAt) / 1000);
      }
      return waits;
    },
    raise: (id, event, data) => client.raiseOrchestrationEvent(id, event, data),
    waitForStatus: async (id, predicate, timeoutMs = 20_000) =>
      customStatusOf(await poll(`custom status of ${id}`, () => state(id), (s) => {
        const cs = customStatusOf(s);
        return !!cs && predicate(cs);
      }, timeoutMs))!,
    waitForEnd: async (id, timeoutMs = 30_000) =>
      (await poll(`the end of ${id}`, () => state(id), (s) => !!s && TERMINAL.includes(s.runtimeStatus), timeoutMs))!,
    stopWorker: async () => {
      await worker?.stop();
      worker = undefined;
    },
    startWorker: async () => {
      worker ??= await newWorker();
    },
    close: () => testHub.stop(),
  };
}
