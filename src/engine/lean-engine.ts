/**
 * The lean engine of one-shot commands (`list`, `status`, `start` without --wait, `suspend`, `resume`, `terminate`,
 * `raise`, `purge`, `restart`): get, list, start, the instance controls (instance-controls.ts) and purge and restart
 * (instance-cleanup.ts) over the wire client (wire/wire-client.ts) instead of the SDK's. A command then starts without loading the SDK, grpc-js or the hub
 * (issue 12). Its reads are the full engine's (engine-core.ts), so its output is the same. It applies to two targets:
 * - the embedded hub when another process serves it: its endpoint file names a live process on loopback, and the
 *   token read there goes to that address only;
 * - a plaintext endpoint without credentials (the emulator, or our standalone hub with Token=): the address and
 *   headers the full connection would use.
 * Anything else (no hub running, TLS, Azure credentials, a worker, --wait) takes the full engine, as does a target that
 * refuses the connection (the full engine then takes a dead hub over, or reports it unreachable). A hub owner that
 * exits mid-command is taken over the same way (leanCallTarget).
 * DURABLE_MONITOR_TUI_WIRE=off turns it off.
 */
import { BackendUnreachableError, errorMessage } from "../errors.js";
import { createFileLogger, type AppLogger } from "../logging.js";
import { defaultDbPath, defaultLogFile } from "../paths.js";
import { makePrivateDataDir } from "../private-files.js";
import { dtsInfo, staticTokenOf } from "./connection/dts-info.js";
import { endpointAddress } from "./connection/endpoint.js";
import { describeEndpoint, unreachableRemedy } from "./connection/errors.js";
import type { Engine } from "./engine.js";
import type { CallTarget } from "./engine-calls.js";
import { engineCalls } from "./engine-calls.js";
import { instanceLookups, startOne } from "./engine-core.js";
import { instanceControls } from "./instance-controls.js";
import { instanceCleanup } from "./instance-cleanup.js";
import { dialHost, endpointFileFor, hostPort, liveEndpoint, pidAlive, readEndpoint } from "./hub/endpoint-file.js";
import { isLoopbackHost } from "./loopback.js";
import type { Connection } from "./connection/open-connection.js";
import type { ResolvedProfile } from "./profile.js";
import type { ConnectionInfo } from "./types.js";
import { WireClient, WireConnectTimeout, type WireTarget } from "./wire/wire-client.js";

/** What the one-shot commands on the lean path use of an engine: the full engine is one too. */
export interface CommandEngine
  extends Pick<Engine, "connection" | "get" | "list" | "start" | "waitUntilStarted" | "terminate" | "suspend" | "resume" | "raise" | "purge" | "restart" | "close"> {
  /** Embedded profile: this process runs the hub (the lean engine only after taking it over from an owner that exited). */
  readonly ownsHub: boolean;
}

/** `off`: no lean engine, and no first rows before the full engine (first-page.ts). */
export const LEAN_SWITCH_VARIABLE = "DURABLE_MONITOR_TUI_WIRE";

type LeanTarget = WireTarget & { info: ConnectionInfo; what: string };

/** The embedded hub another live process serves on loopback, per its endpoint file. */
function embeddedTarget(profile: ResolvedProfile, dbPath: string): LeanTarget | undefined {
  const endpoint = readEndpoint(endpointFileFor(dbPath));
  if (!endpoint || !pidAlive(endpoint.pid)) return undefined;
  const host = dialHost(endpoint.host);
  if (!isLoopbackHost(host)) return undefined;
  const address = hostPort(host, endpoint.port);
  const metadata: Record<string, string> = { taskhub: profile.taskHub };
  if (endpoint.token) metadata.authorization = `Bearer ${endpoint.token}`;
  const info: ConnectionInfo = { kind: "embedded", location: dbPath, taskHub: profile.taskHub, address, ...(endpoint.shared ? { sharedHub: true } : {}) };
  return { address, metadata, info, what: `the embedded hub of process ${endpoint.pid}` };
}

/** A connection string's endpoint when it is plaintext and sends no credential of Azure's (Authentication=None). */
function plainEndpointTarget(profile: ResolvedProfile, env: NodeJS.ProcessEnv): LeanTarget | undefined {
  if (profile.connection.type !== "dts" || profile.connection.parsed.authentication !== "None") return undefined;
  const parsed = profile.connection.parsed;
  const token = staticTokenOf(parsed, env);
  let address: string;
  try {
    const dial = endpointAddress(parsed.endpoint, token !== undefined);
    if (dial.useTls) return undefined;
    address = dial.address;
  } catch {
    return undefined; // the full engine reports what is wrong with the endpoint
  }
  const metadata: Record<string, string> = { taskhub: profile.taskHub };
  if (token) metadata.authorization = `Bearer ${token}`;
  return { address, metadata, info: dtsInfo(profile, parsed, address, token), what: "the endpoint" };
}

export function leanTarget(profile: ResolvedProfile, env: NodeJS.ProcessEnv): LeanTarget | undefined {
  if (env[LEAN_SWITCH_VARIABLE] === "off") return undefined;
  if (profile.connection.type === "embedded") return embeddedTarget(profile, profile.connection.dbPath ?? defaultDbPath(env));
  return plainEndpointTarget(profile, env);
}

/**
 * The calls' target: the wire client, until the embedded hub's owner exits mid-command. The first call that finds it
 * gone then does what the full engine does (connection/open-connection.ts): takes the hub over, or joins whoever did,
 * and the call and the rest of the command go on over the SDK's client (loaded only then).
 */
function leanCallTarget(client: WireClient, target: LeanTarget, profile: ResolvedProfile, env: NodeJS.ProcessEnv, logger: AppLogger) {
  let full: Connection | undefined;
  /** The one takeover: calls that fail together (a list's payload fetches) all wait for it, and then go on over it. */
  let takingOver: Promise<boolean> | undefined;
  const takeOver = async (): Promise<boolean> => {
    try {
      // An owner still there answered late or cut the call: the request may have been applied, so it is not sent again.
      const live = await liveEndpoint(endpointFileFor(target.info.location));
      if (live && hostPort(dialHost(live.host), live.port) === target.address) {
        logger.info("wire: %s is still there after a failed call: not retried", target.what);
        return false;
      }
      const { openConnection } = await import("./create-engine.js");
      full = await openConnection(profile, { env, logger, withWorker: false });
      logger.info("wire: %s went away mid-command; going on with the full client at %s", target.what, full.info.address);
      return true;
    } catch (error) {
      logger.warn("wire: %s went away mid-command, and the hub could not be reached again: %s", target.what, errorMessage(error));
      return false;
    }
  };
  const callTarget: CallTarget & { close(): Promise<void>; readonly ownsHub: boolean } = {
    get info() {
      return full?.info ?? target.info;
    },
    get instances() {
      return full?.instances ?? client;
    },
    get ownsHub() {
      return full?.ownsHub ?? false;
    },
    recover() {
      if (full) return full.recover();
      if (target.info.kind !== "embedded") return Promise.resolve(false);
      return (takingOver ??= takeOver());
    },
    async close() {
      client.close();
      await takingOver;
      await full?.close();
    },
  };
  return callTarget;
}

function engineOver(client: WireClient, target: LeanTarget, profile: ResolvedProfile, env: NodeJS.ProcessEnv, logger: AppLogger): CommandEngine {
  const callTarget = leanCallTarget(client, target, profile, env, logger);
  const calls = engineCalls<CallTarget>(callTarget, logger);
  return {
    get connection() {
      return callTarget.info;
    },
    get ownsHub() {
      return callTarget.ownsHub;
    },
    ...instanceLookups(calls),
    ...startOne(calls, () => profile.defaults),
    ...instanceControls(calls),
    ...instanceCleanup(calls),
    close: () => callTarget.close(),
  };
}

/**
 * The lean engine for `profile`, or undefined when it does not apply or the target refuses the connection (nothing
 * was sent then: the caller takes the full engine). Throws BackendUnreachableError when an endpoint of a connection
 * string gives no answer within `connectTimeoutMs` (the full engine would wait as long again to say the same).
 */
export async function openLeanEngine(profile: ResolvedProfile, env: NodeJS.ProcessEnv, connectTimeoutMs: number): Promise<CommandEngine | undefined> {
  const target = leanTarget(profile, env);
  if (!target) return undefined;
  makePrivateDataDir(env);
  const logger = createFileLogger(defaultLogFile(env), "engine");
  let client: WireClient;
  try {
    client = await WireClient.connect(target, connectTimeoutMs);
  } catch (error) {
    if (error instanceof WireConnectTimeout && target.info.kind !== "embedded") {
      throw new BackendUnreachableError(`cannot reach ${describeEndpoint(target.info)}: DEADLINE_EXCEEDED: ${error.message}`, unreachableRemedy(target.info));
    }
    logger.info("wire: no connection to %s at %s (%s): opening the full engine", target.what, target.address, errorMessage(error));
    return undefined;
  }
  logger.info("connection: %s at %s (task hub %s, wire client)", target.what, target.address, profile.taskHub);
  return engineOver(client, target, profile, env, logger);
}
