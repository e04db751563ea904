import type { TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import type { ProfileSettings, ProfileSettingsTarget, ResolvedProfile } from "./profile.js";
import { errorMessage } from "../errors.js";
import { createFileLogger, type AppLogger } from "../logging.js";
import { defaultLogFile, runningCommandsDir } from "../paths.js";
import { makePrivateDataDir } from "../private-files.js";
import { openConnection, type Connection, type RegisterWorkload } from "./connection/open-connection.js";
import type { CredentialFactory } from "./connection/credential-factory.js";
import { isUnreachable, toEngineError } from "./connection/errors.js";
import { describeGrpcError } from "./wire/grpc-status.js";
import { fastProtobufStrings } from "./sdk-seam.js";
import type { Engine, WatchOptions } from "./engine.js";
import { instanceCommands, instanceReads } from "./engine-actions.js";
import { engineCalls, type EngineCalls } from "./engine-calls.js";
import { EngineStatus } from "./engine-status.js";
import { hasUnfinishedLegacyMonitors } from "./monitor/legacy.js";
import { LEGACY_MONITOR_ORCHESTRATOR } from "./monitor/names.js";
import { registerMonitor } from "./monitor/register.js";
import { resolveCheckPolicy, type CheckSettings } from "./checks/policy.js";
import { commandGroupRecord, killOrphanedGroups, type CommandGroupRecord } from "./checks/command-groups.js";
import type { WatchListener, WorkerState } from "./types.js";
import { Watcher } from "./watcher.js";
import { hubWatchFeed, pagedQueryFeed } from "./instance-feed.js";

/** With `workerAfterFirstRows`: the latest the worker starts, first rows or not. */
const WORKER_START_DEADLINE_MS = 3000;

/** Payload fetches per watch refresh at most: a big hub fills its rows in over a few refreshes. */
const WATCH_PAYLOAD_FETCHES = 64;
/** Rows still waiting for payloads offered per refresh, besides the changed ones: enough to use the fetches above. */
const WATCH_COMPLETE_BATCH = 2 * WATCH_PAYLOAD_FETCHES;

export interface CreateEngineOptions {
  profile: ResolvedProfile;
  /** Run a worker in this process (the dashboard, `worker`, `start --wait` on the embedded hub). */
  withWorker: boolean;
  /**
   * The dashboard: the worker starts once the first watch has drawn its first rows (WORKER_START_DEADLINE_MS at the
   * latest). On the embedded hub, a worker starting with many monitors overdue floods the hub with their checks,
   * in this process, just as the first rows are read and drawn.
   */
  workerAfterFirstRows?: boolean;
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
  /** Told each change of this engine's worker's state too (the dashboard's engine thread passes them on). */
  onWorkerStatus?: (state: WorkerState, error?: string) => void;
  /**
   * A worker that runs elsewhere for this engine (the dashboard's engine thread, engine-thread.ts), with `withWorker`
   * false: its states, reported through `reportTo`, are this engine's worker states; `start` is called where this
   * engine would start its own worker (the first watch's first rows drawn, `startWorker()`).
   */
  workerElsewhere?: { reportTo(report: (state: WorkerState, error?: string) => void): void; start(): void };
}

/** The engine plus what only local callers need to know (and a config edit for its profile: ProfileSettingsTarget). */
export interface LocalEngine extends Engine, ProfileSettingsTarget {
  /** Embedded profile: this process started the hub (it stops when the engine closes). */
  readonly ownsHub: boolean;
  /** With `workerAfterFirstRows`: starts the worker now, as a watch's first rows would (no-op once it runs). */
  startWorker(): void;
}

/**
 * What the worker of this process runs: the monitor orchestration and its activities, with the legacy names too when
 * a private hub still has unfinished monitors under them.
 */
function monitorWorkload(
  options: CreateEngineOptions,
  env: NodeJS.ProcessEnv,
  logger: AppLogger,
  monitorLogger: AppLogger,
  connection: () => Connection,
  commandGroups: CommandGroupRecord | undefined,
  checks: () => CheckSettings | undefined,
): RegisterWorkload {
  const privateHub = () => connection().info.kind === "embedded" && !connection().info.sharedHub;
  return async (worker, client, stopping) => {
    const legacyNames = privateHub() && (await hasUnfinishedLegacyMonitors(client, (name, statuses) => connection().ownHubHasInstanceNamed(name, statuses)));
    if (legacyNames) logger.info("worker: unfinished monitors under the legacy name '%s': registering the legacy names too", LEGACY_MONITOR_ORCHESTRATOR);
    registerMonitor(worker, {
      logger: monitorLogger,
      env,
      legacyNames,
      stopping,
      commandGroups,
      // Read per check: a connection that takes over a standalone hub's database becomes private, and back.
      // The check settings too: a config edit applies from the next check.
      policy: () => resolveCheckPolicy(options.profile.name, checks() ?? {}, privateHub()),
    });
  };
}

/** `Engine.watch`: a watcher polling the backend, which also keeps the connection's state. */
function watchWith(
  calls: EngineCalls,
  status: EngineStatus,
  listener: WatchListener,
  watchOptions: WatchOptions,
  onInitialShown: () => void,
): () => void {
  const { connection } = calls;
  const filter = watchOptions.filter;
  const feed =
    connection.info.kind === "azure"
      ? pagedQueryFeed(() => connection.client, filter)
      : hubWatchFeed(() => connection.client, filter, (why) => calls.logger.info("watch: listing every refresh (%s)", why));
  const watcher = new Watcher({
    feed,
    complete: (states) => calls.complete(states, { maxFetches: WATCH_PAYLOAD_FETCHES }),
    incomplete: (state) => calls.incomplete(state),
    completeBatch: WATCH_COMPLETE_BATCH,
    specs: calls.specs,
    listener,
    periodMs: watchOptions.intervalMs ?? (connection.info.kind === "embedded" ? 250 : 1000),
    logger: calls.logger,
    onInitialShown,
    onQueryOk: () => status.setConnection({ state: "connected" }),
    onQueryFailed: (error, nextRetryAt) => {
      if (isUnreachable(error)) void connection.recover();
      const lastError = errorMessage(toEngineError(error, connection.info)) || describeGrpcError(error as Error);
      status.setConnection({ state: "disconnected", lastError, nextRetryAt });
    },
  });
  const remove = status.add(watcher);
  watcher.start();
  return remove;
}

/**
 * Opens the profile's backend and returns the engine facade (see Engine for each method's contract).
 * Every backend failure surfaces as a named error: BackendUnreachableError (exit 4) naming the endpoint,
 * NotFoundError for unknown instances, UsageError for refused requests.
 */
export async function createEngine(options: CreateEngineOptions): Promise<LocalEngine> {
  fastProtobufStrings();
  const env = options.env ?? process.env;
  const logFile = options.logFile ?? defaultLogFile(env);
  makePrivateDataDir(env);
  const logger = createFileLogger(logFile, "engine");
  const status = new EngineStatus(options.withWorker || options.workerElsewhere !== undefined);
  options.workerElsewhere?.reportTo((state, error) => status.setWorker(state, error));
  // Before this worker runs a check: command checks a dead worker left running are killed, so that the check it
  // runs again never runs twice at the same time.
  const commandsDir = runningCommandsDir(env);
  if (options.withWorker) killOrphanedGroups(commandsDir, logger);
  const commandGroups = options.withWorker ? commandGroupRecord(commandsDir, logger) : undefined;
  let settings: ProfileSettings = { defaults: options.profile.defaults, checks: options.profile.checks };

  const connection: Connection = await openConnection(options.profile, {
    logger,
    sdkLogger: createFileLogger(logFile, "sdk"),
    withWorker: options.withWorker,
    deferWorker: options.workerAfterFirstRows,
    register: options.register ?? monitorWorkload(options, env, logger, createFileLogger(logFile, "monitor"), () => connection, commandGroups, () => settings.checks),
    credentialFactory: options.credentialFactory,
    env,
    onWorkerStatus: (s) => {
      status.setWorker(s.state, s.error);
      options.onWorkerStatus?.(s.state, s.error);
    },
  });

  if (options.verifyTimeoutMs !== undefined) {
    try {
      await connection.probe(options.verifyTimeoutMs);
      status.setConnection({ state: "connected" });
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  const calls = engineCalls(connection, logger);
  let closed = false;
  // Deferred worker: started by the first watch's first rows, or at the deadline (a no-op once it runs).
  const workerDeadline = options.workerAfterFirstRows ? setTimeout(() => startWorker(), WORKER_START_DEADLINE_MS) : undefined;
  const startWorker = () => {
    clearTimeout(workerDeadline);
    if (closed) return;
    connection.startWorker();
    options.workerElsewhere?.start();
  };
  return {
    get connection() {
      return connection.info;
    },
    logFile,
    get ownsHub() {
      return connection.ownsHub;
    },
    startWorker,
    connectionStatus: () => status.connectionStatus(),
    workerState: () => status.workerState(),
    applyProfileSettings(next) {
      settings = { defaults: next.defaults, checks: next.checks };
      logger.info("profile settings updated from the config file (defaults, check settings)");
    },
    ...instanceCommands(calls, () => settings.defaults),
    ...instanceReads(calls),
    watch: (listener, watchOptions = {}) => watchWith(calls, status, listener, watchOptions, () => startWorker()),
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(workerDeadline);
      status.stopAll();
      await connection.close();
    },
  };
}

/** For the lean engine's takeover (lean-engine.ts): one module to load on demand, with what the full engine loads. */
export { openConnection } from "./connection/open-connection.js";
