/**
 * The lean engine of one-shot commands (`list`, `status`, `start` without --wait): get, list and start over the wire
 * client (wire/wire-client.ts) instead of the SDK's, when the profile is the embedded hub and another process of ours
 * serves it (its endpoint file names a live process on loopback). A command then starts without loading the SDK,
 * grpc-js or the hub (issue 12: ~2× faster). Its reads are the full engine's (engine-core.ts), so its output is the
 * same. Anything else (no hub running, a remote backend, a worker, --wait) takes the full engine.
 * DURABLE_MONITOR_TUI_WIRE=off turns it off (every command then takes the full engine).
 */
import { errorMessage } from "../errors.js";
import { createFileLogger } from "../logging.js";
import { defaultDbPath, defaultLogFile } from "../paths.js";
import { makePrivateDataDir } from "../private-files.js";
import type { Engine } from "./engine.js";
import type { CallTarget } from "./engine-calls.js";
import { engineCalls } from "./engine-calls.js";
import { instanceLookups, startOne } from "./engine-core.js";
import { dialHost, endpointFileFor, pidAlive, readEndpoint } from "./hub/endpoint-file.js";
import { isLoopbackHost } from "./loopback.js";
import type { ResolvedProfile } from "./profile.js";
import type { ConnectionInfo } from "./types.js";
import { WireClient } from "./wire/wire-client.js";

/** What `list`, `status` and `start` use of an engine: the full engine is one too. */
export interface CommandEngine extends Pick<Engine, "connection" | "get" | "list" | "start" | "close"> {
  /** Embedded profile: this process started the hub (the lean engine never does). */
  readonly ownsHub: boolean;
}

export const LEAN_SWITCH_VARIABLE = "DURABLE_MONITOR_TUI_WIRE";

/**
 * The lean engine for `profile`, or undefined when it does not apply: not the embedded hub, no endpoint file, its
 * process gone, a host that is not loopback (the token goes nowhere else), or no connection within `connectTimeoutMs`
 * (nothing was sent then: the caller takes the full engine, which takes a dead hub over). Never throws.
 */
export async function openLeanEngine(profile: ResolvedProfile, env: NodeJS.ProcessEnv, connectTimeoutMs: number): Promise<CommandEngine | undefined> {
  if (env[LEAN_SWITCH_VARIABLE] === "off" || profile.connection.type !== "embedded") return undefined;
  const dbPath = profile.connection.dbPath ?? defaultDbPath(env);
  const endpoint = readEndpoint(endpointFileFor(dbPath));
  if (!endpoint || !pidAlive(endpoint.pid)) return undefined;
  const host = dialHost(endpoint.host);
  if (!isLoopbackHost(host)) return undefined;
  const address = `${host.includes(":") ? `[${host}]` : host}:${endpoint.port}`;
  const metadata: Record<string, string> = { taskhub: profile.taskHub };
  if (endpoint.token) metadata.authorization = `Bearer ${endpoint.token}`;
  let client: WireClient;
  const logFile = defaultLogFile(env);
  makePrivateDataDir(env);
  const logger = createFileLogger(logFile, "engine");
  try {
    client = await WireClient.connect({ address, metadata }, connectTimeoutMs);
  } catch (error) {
    logger.info("wire: no connection to the hub at %s (%s): opening the full engine", address, errorMessage(error));
    return undefined;
  }
  const info: ConnectionInfo = { kind: "embedded", location: dbPath, taskHub: profile.taskHub, address, ...(endpoint.shared ? { sharedHub: true } : {}) };
  logger.info("connection: the embedded hub of process %d at %s (task hub %s, wire client)", endpoint.pid, address, profile.taskHub);
  const target: CallTarget = { info, instances: client, recover: async () => false };
  const calls = engineCalls(target, logger);
  return {
    connection: info,
    ownsHub: false,
    ...instanceLookups(calls),
    ...startOne(calls, () => profile.defaults),
    async close() {
      client.close();
    },
  };
}
