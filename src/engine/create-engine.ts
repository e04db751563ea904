import { PurgeInstanceCriteria, type TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import type { ResolvedProfile } from "./profile.js";
import { NotFoundError, UsageError, WaitTimeoutError } from "../errors.js";
import { createFileLogger, logFailure, type AppLogger } from "../logging.js";
import { defaultLogFile } from "../paths.js";
import { makePrivateDataDir } from "../private-files.js";
import { openConnection, type Connection } from "./connection/open-connection.js";
import type { CredentialFactory } from "./connection/credential-factory.js";
import { isUnreachable, toEngineError } from "./connection/errors.js";
import { describeGrpcError } from "./connection/probe.js";
import type { Engine, StartOptions, WatchOptions } from "./engine.js";
import { mapHistory } from "./history.js";
import { freshMonitorInput, prepareMonitorInput } from "./monitor/input.js";
import { hasUnfinishedLegacyMonitors } from "./monitor/legacy.js";
import { EVENT_POLL_NOW, EVENT_SET_INTERVAL, LEGACY_MONITOR_ORCHESTRATOR, MONITOR_ORCHESTRATOR, isCheckActivity, isOwnMonitorOrchestration } from "./monitor/names.js";
import { registerMonitor } from "./monitor/register.js";
import { intervalIssue } from "./monitor/spec.js";
import { parseIntervalEventData } from "./monitor/status.js";
import { resolveCheckPolicy } from "./checks/policy.js";
import { PayloadFiller, fetchInstancePayloads } from "./payloads.js";
import { queryInstances } from "./query.js";
import { fetchMissingInputs } from "./input-fetch.js";
import { SpecCache, runtimeStatusFromSdk, runtimeStatusToSdk, toSnapshot, wantsInput } from "./snapshot.js";
import { isSdkTimeout } from "./sdk-seam.js";
import type {
  ConnectionStatus,
  InstanceFilter,
  MonitorHistory,
  MonitorSnapshot,
  MonitorSpecInput,
  PurgeFilter,
  WatchEvent,
  WatchListener,
  WorkerState,
} from "./types.js";
import { TERMINAL_STATUSES, isTerminal } from "./types.js";
import { Watcher } from "./watcher.js";
import { hubWatchFeed, pagedQueryFeed } from "./instance-feed.js";
import { forEachInFlight } from "./in-flight.js";

export interface CreateEngineOptions {
  profile: ResolvedProfile;
  /** Run a worker in this process (the dashboard, `worker`, `start --wait` on the embedded hub). */
  withWorker: boolean;
  /** Default: DURABLE_MONITOR_TUI_LOG_FILE or the data dir's log file. */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Check the backend answers before returning (one Hello with this deadline): throws BackendUnreachableError
   * naming the endpoint (ConfigError when credentials are refused). The CLI sets it; the dashboard does not
   * (it shows `disconnected` and keeps retrying instead).
   */
  verifyTimeoutMs?: number;
  /** Tests: a fake Azure credential. */
  credentialFactory?: CredentialFactory;
  /** Tests: register other orchestrations/activities on the worker instead of the monitor's. */
  register?: (worker: TaskHubGrpcWorker) => void;
}

/** The engine plus what only local callers need to know. */
export interface LocalEngine extends Engine {
  /** Embedded profile: this process started the hub (it stops when the engine closes). */
  readonly ownsHub: boolean;
}

/** Payload fetches per watch refresh at most: a big hub fills its rows in over a few refreshes. */
export const WATCH_PAYLOAD_FETCHES = 64;

/** startMany's requests in flight: enough to hide each round trip, few enough not to flood a remote scheduler. */
export const START_MANY_IN_FLIGHT = 32;

/**
 * Opens the profile's backend and returns the engine facade (see Engine for each method's contract).
 * Every backend failure surfaces as a named error: BackendUnreachableError (exit 4) naming the endpoint,
 * NotFoundError for unknown instances, UsageError for refused requests.
 */
export async function createEngine(options: CreateEngineOptions): Promise<LocalEngine> {
  const env = options.env ?? process.env;
  const logFile = options.logFile ?? defaultLogFile(env);
  makePrivateDataDir(env);
  const logger = createFileLogger(logFile, "engine");
  const sdkLogger = createFileLogger(logFile, "sdk");
  const monitorLogger = createFileLogger(logFile, "monitor");

  const listeners = new Set<Watcher>();
  let connectionStatus: ConnectionStatus = { state: "connecting" };
  let workerStatus: { state: WorkerState; error?: string } = { state: options.withWorker ? "starting" : "none" };
  const broadcast = (event: WatchEvent) => {
    for (const w of listeners) w.deliver(event);
  };
  const setConnection = (status: ConnectionStatus) => {
    const same =
      status.state === connectionStatus.state &&
      status.lastError === connectionStatus.lastError &&
      status.nextRetryAt?.getTime() === connectionStatus.nextRetryAt?.getTime();
    connectionStatus = status;
    if (!same) broadcast({ type: "connection", status });
  };

  const connection: Connection = await openConnection(options.profile, {
    logger,
    sdkLogger,
    withWorker: options.withWorker,
    register:
      options.register ??
      (async (worker, client, stopping) => {
        const privateHub = connection.info.kind === "embedded" && !connection.info.sharedHub;
        const legacyNames = privateHub && (await hasUnfinishedLegacyMonitors(client));
        if (legacyNames) logger.info("worker: unfinished monitors under the legacy name '%s': registering the legacy names too", LEGACY_MONITOR_ORCHESTRATOR);
        registerMonitor(worker, {
          logger: monitorLogger,
          env,
          legacyNames,
          stopping,
          // Read per check: a connection that takes over a standalone hub's database becomes private, and back.
          policy: () => resolveCheckPolicy(options.profile.name, options.profile.checks ?? {}, connection.info.kind === "embedded" && !connection.info.sharedHub),
        });
      }),
    credentialFactory: options.credentialFactory,
    env,
    onWorkerStatus: (s) => {
      workerStatus = { state: s.state, error: s.error };
      broadcast({ type: "worker", state: s.state, error: s.error });
    },
  });

  if (options.verifyTimeoutMs !== undefined) {
    try {
      await connection.probe(options.verifyTimeoutMs);
      connectionStatus = { state: "connected" };
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  const specs = new SpecCache();
  /** Runs one backend call; an embedded connection whose hub owner exited recovers and retries once. */
  const fail = (what: string, error: unknown): Error => {
    const named = toEngineError(error, connection.info, what);
    logFailure(logger, what, named);
    return named;
  };
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (isUnreachable(error) && (await connection.recover())) {
        try {
          return await fn();
        } catch (again) {
          throw fail(what, again);
        }
      }
      throw fail(what, error);
    }
  };
  const payloads = new PayloadFiller((id) => fetchInstancePayloads(connection.client, id), specs);
  /**
   * Every matching instance without payloads, then the inputs convention monitors need for their schedule, and the
   * payloads our monitors' rows need (spec, final output): all of them for `list`, at most `maxFetches` for a table
   * refresh (a big hub fills in over a few refreshes).
   */
  const fetchAll = async (filter?: InstanceFilter, maxFetches?: number) => {
    const states = await queryInstances(connection.client, filter);
    await fetchMissingInputs(connection.client, states, specs, logger);
    await payloads.fill(states, maxFetches);
    return states;
  };

  const get = async (instanceId: string): Promise<MonitorSnapshot | undefined> => {
    const state = await call(`get ${instanceId}`, () => connection.client.getOrchestrationState(instanceId, true));
    return state ? toSnapshot(state, specs) : undefined;
  };
  const mustGet = async (instanceId: string): Promise<MonitorSnapshot> => {
    const snapshot = await get(instanceId);
    if (!snapshot) throw new NotFoundError(`No instance '${instanceId}' in task hub '${connection.info.taskHub}'`);
    return snapshot;
  };
  const mustBeActive = async (instanceId: string, verb: string): Promise<MonitorSnapshot> => {
    const snapshot = await mustGet(instanceId);
    if (isTerminal(snapshot.runtimeStatus)) {
      throw new UsageError(`Cannot ${verb} '${instanceId}': it is already ${snapshot.runtimeStatus}`);
    }
    return snapshot;
  };

  const periodMs = connection.info.kind === "embedded" ? 250 : 1000;
  let closed = false;

  const engine: LocalEngine = {
    get connection() {
      return connection.info;
    },
    logFile,
    get ownsHub() {
      return connection.ownsHub;
    },
    connectionStatus: () => connectionStatus,
    workerState: () => workerStatus.state,

    async start(spec: MonitorSpecInput, startOptions: StartOptions = {}) {
      const input = prepareMonitorInput(spec, options.profile.defaults);
      const id = await call("start", () =>
        connection.client.scheduleNewOrchestration(MONITOR_ORCHESTRATOR, input, { instanceId: startOptions.instanceId, startAt: startOptions.startAt }),
      );
      logger.info("started %s (%s, job %s)", id, input.spec.kind, input.spec.jobId);
      return id;
    },

    async startMany(specs: MonitorSpecInput[]) {
      const inputs = specs.map((spec, i) => {
        try {
          return prepareMonitorInput(spec, options.profile.defaults);
        } catch (error) {
          throw error instanceof UsageError ? new UsageError(`spec ${i + 1}: ${error.message}`, error.tryMessage) : error;
        }
      });
      const ids: string[] = new Array(inputs.length);
      await forEachInFlight(inputs, START_MANY_IN_FLIGHT, async (input, i) => {
        ids[i] = await call("start", () => connection.client.scheduleNewOrchestration(MONITOR_ORCHESTRATOR, input));
      });
      logger.info("started %d monitors", ids.length);
      return ids;
    },

    async terminate(instanceId, reason) {
      await mustBeActive(instanceId, "terminate");
      await call(`terminate ${instanceId}`, () => connection.client.terminateOrchestration(instanceId, reason ?? "terminated by user"));
    },

    async suspend(instanceId, reason) {
      const s = await mustBeActive(instanceId, "suspend");
      if (s.runtimeStatus === "Suspended") return;
      logger.info("suspend %s%s", instanceId, reason ? ` (${reason})` : "");
      await call(`suspend ${instanceId}`, () => connection.client.suspendOrchestration(instanceId));
    },

    async resume(instanceId, reason) {
      await mustBeActive(instanceId, "resume");
      logger.info("resume %s%s", instanceId, reason ? ` (${reason})` : "");
      await call(`resume ${instanceId}`, () => connection.client.resumeOrchestration(instanceId));
    },

    async raise(instanceId, eventName, data) {
      if (!eventName.trim()) throw new UsageError("The event name cannot be empty");
      if (eventName === EVENT_SET_INTERVAL && parseIntervalEventData(data) === undefined) {
        const issue = typeof data === "number" ? intervalIssue(data) : "the data must be a number of seconds";
        throw new UsageError(`set-interval: ${issue ?? "the data must be a number of seconds"} (got ${JSON.stringify(data)})`);
      }
      const target = await mustBeActive(instanceId, `raise '${eventName}' on`);
      // Our monitors know two events and would ignore any other; other orchestrations get what is sent.
      if (isOwnMonitorOrchestration(target.name) && eventName !== EVENT_POLL_NOW && eventName !== EVENT_SET_INTERVAL) {
        throw new UsageError(`A monitor does not know the event '${eventName}'; it accepts ${EVENT_POLL_NOW} (no data) and ${EVENT_SET_INTERVAL} (seconds)`);
      }
      await call(`raise ${eventName}`, () => connection.client.raiseOrchestrationEvent(instanceId, eventName, data));
    },

    pollNow(instanceId) {
      return engine.raise(instanceId, EVENT_POLL_NOW);
    },

    async setInterval(instanceId, seconds) {
      await engine.raise(instanceId, EVENT_SET_INTERVAL, seconds);
    },

    async purge(target: string | PurgeFilter) {
      if (typeof target === "string") {
        const s = await mustGet(target);
        if (!isTerminal(s.runtimeStatus)) {
          throw new UsageError(`Cannot purge '${target}': it is ${s.runtimeStatus}`, "terminate it first");
        }
        const result = await call(`purge ${target}`, () => connection.client.purgeOrchestration(target));
        return result?.deletedInstanceCount ?? 0;
      }
      const statuses = (target.statuses ?? TERMINAL_STATUSES).filter(isTerminal);
      if (statuses.length === 0) throw new UsageError("Only Completed, Failed and Terminated instances can be purged");
      const criteria = new PurgeInstanceCriteria();
      criteria.setRuntimeStatusList(statuses.map(runtimeStatusToSdk));
      if (target.createdBefore) criteria.setCreatedTimeTo(target.createdBefore);
      const result = await call("purge", () => connection.client.purgeOrchestration(criteria));
      return result?.deletedInstanceCount ?? 0;
    },

    async restart(instanceId, restartOptions) {
      const state = await call(`get ${instanceId}`, () => connection.client.getOrchestrationState(instanceId, true));
      if (!state) throw new NotFoundError(`No instance '${instanceId}' in task hub '${connection.info.taskHub}'`);
      const newId = restartOptions?.newInstanceId ?? false;
      // A new run names the one it came from (status and details show it); the same id replaces the run instead.
      // A monitor restarts from its spec alone: the stored input of a continued-as-new execution carries the old
      // deadline and counters, and the SDK's restart would replay that (ending at once with Timeout).
      const fresh = isOwnMonitorOrchestration(state.name) ? freshMonitorInput(state.serializedInput, newId ? instanceId : undefined) : undefined;
      if (!fresh) return call(`restart ${instanceId}`, () => connection.client.restartOrchestration(instanceId, newId));
      if (!newId && !isTerminal(runtimeStatusFromSdk(state.runtimeStatus))) {
        throw new UsageError(`Cannot restart '${instanceId}' under the same id while it is running`, "terminate it first, or restart it with a new id");
      }
      const id = await call(`restart ${instanceId}`, () =>
        connection.client.scheduleNewOrchestration(MONITOR_ORCHESTRATOR, fresh, newId ? {} : { instanceId }),
      );
      logger.info("restarted %s as %s", instanceId, id);
      return id;
    },

    async history(instanceId): Promise<MonitorHistory> {
      await mustGet(instanceId);
      const events = await call(`history ${instanceId}`, () => connection.client.getOrchestrationHistory(instanceId));
      return mapHistory(events, isCheckActivity);
    },

    get,

    async list(filter) {
      const states = await call("list", () => fetchAll(filter));
      return states.map((s) => toSnapshot(s, specs)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },

    async waitForCompletion(instanceId, timeoutMs = 5 * 60_000) {
      await mustGet(instanceId);
      let state;
      try {
        state = await connection.client.waitForOrchestrationCompletion(instanceId, true, Math.max(1, Math.ceil(timeoutMs / 1000)));
      } catch (error) {
        if (isSdkTimeout(error)) throw new WaitTimeoutError(instanceId, timeoutMs);
        throw toEngineError(error, connection.info, `wait for ${instanceId}`);
      }
      if (!state) throw new NotFoundError(`No instance '${instanceId}'`);
      return toSnapshot(state, specs);
    },

    watch(listener: WatchListener, watchOptions: WatchOptions = {}) {
      const filter = watchOptions.filter;
      const feed =
        connection.info.kind === "azure"
          ? pagedQueryFeed(() => connection.client, filter)
          : hubWatchFeed(() => connection.client, filter, (why) => logger.info("watch: listing every refresh (%s)", why));
      const watcher = new Watcher({
        feed,
        complete: async (states) => {
          await fetchMissingInputs(connection.client, states, specs, logger);
          await payloads.fill(states, WATCH_PAYLOAD_FETCHES);
        },
        incomplete: (state) => wantsInput(state, specs) || payloads.wants(state),
        specs,
        listener,
        periodMs: watchOptions.intervalMs ?? periodMs,
        logger,
        onQueryOk: () => setConnection({ state: "connected" }),
        onQueryFailed: (error, nextRetryAt) => {
          if (isUnreachable(error)) void connection.recover();
          setConnection({ state: "disconnected", lastError: toEngineError(error, connection.info).message || describeGrpcError(error as Error), nextRetryAt });
        },
      });
      listeners.add(watcher);
      // The newcomer learns the current state too (held until its initial snapshot, except `disconnected`).
      watcher.deliver({ type: "connection", status: connectionStatus });
      if (workerStatus.state !== "none") watcher.deliver({ type: "worker", state: workerStatus.state, error: workerStatus.error });
      watcher.start();
      return () => {
        watcher.stop();
        listeners.delete(watcher);
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const w of listeners) w.stop();
      listeners.clear();
      await connection.close();
    },
  };
  return engine;
}
