/**
 * Starting and stopping a hub: store + backend + gRPC server on one address.
 */
import * as grpc from "@grpc/grpc-js";
import { silentLogger, type AppLogger } from "../../logging.js";
import { HubBackend } from "./backend.js";
import { callKit, createServiceHandlers, hubServiceDefinition } from "./grpc-service.js";
import { startInstancesDefinition } from "./start-instances-protocol.js";
import { startInstancesHandlers } from "./start-instances-service.js";
import type { HubLimits } from "./limits.js";
import { openSqliteStore } from "./sqlite-store.js";
import { DatabaseLockedError } from "./store.js";
import { isLoopbackHost } from "../loopback.js";
import { hostPort } from "./endpoint-file.js";

export interface HubOptions {
  /** SQLite file (WAL); parent directories are created. */
  dbPath: string;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 = an ephemeral port. */
  port?: number;
  /** When set, every RPC must carry metadata `authorization: Bearer <token>` (else UNAUTHENTICATED). */
  token?: string;
  /** Allow binding a non-loopback host without a token. */
  insecure?: boolean;
  /** Default silentLogger. The hub never writes to stdout/stderr. */
  logger?: AppLogger;
  /** How long a worker may hold a work item before it is handed to another one. Default 5 minutes. */
  leaseMs?: number;
  /** Work items outstanding per connected worker stream. Default 32. */
  maxOutstandingPerWorker?: number;
  /** Payload size limits; default DEFAULT_HUB_LIMITS (the README's "Limits"). */
  limits?: Partial<HubLimits>;
  /** The most bytes the database may grow to; writes beyond it are refused as on a full disk. Default: the disk's room. */
  maxDatabaseBytes?: number;
}

export interface RunningHub {
  host: string;
  port: number;
  /** "host:port": what the SDK's `hostAddress` takes. */
  address: string;
  token?: string;
  dbPath: string;
  /** Asks this hub's own database (the owner process only): see Store.hasInstanceNamed. */
  hasInstanceNamed(taskHub: string, name: string, statuses: readonly number[]): boolean;
  stop(): Promise<void>;
}

/** Why a hub could not start; `reason` tells the CLI which exit code and remedy to show. */
export class HubStartError extends Error {
  constructor(
    message: string,
    readonly reason: "insecure-bind" | "address-in-use" | "bind-failed" | "database" | "locked",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "HubStartError";
  }
}

export type { HubLimits };
export { isLoopbackHost } from "../loopback.js";

/**
 * Opens the database and serves the Durable Task sidecar protocol on host:port.
 * @throws HubStartError (insecure-bind: non-loopback host without token or `insecure`; address-in-use;
 *   bind-failed; database: the file cannot be opened; locked: another process has it open).
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? silentLogger;
  if (!isLoopbackHost(host) && !options.token && !options.insecure) {
    throw new HubStartError(
      `Refusing to serve the hub on ${host} without a token: anyone on the network could run and stop orchestrations. Give a token (--token) or, if you really mean it, --insecure.`,
      "insecure-bind",
    );
  }
  let store;
  try {
    store = openSqliteStore(options.dbPath, { maxBytes: options.maxDatabaseBytes });
  } catch (error) {
    throw new HubStartError((error as Error).message, error instanceof DatabaseLockedError ? "locked" : "database", { cause: error });
  }
  const backend = new HubBackend(store, { logger, leaseMs: options.leaseMs, maxOutstandingPerStream: options.maxOutstandingPerWorker, limits: options.limits });
  const { handlers, endWorkerStreams } = createServiceHandlers({ backend, logger, token: options.token });

  const server = new grpc.Server({
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
    "grpc.max_send_message_length": 64 * 1024 * 1024,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.http2.min_ping_interval_without_data_ms": 5000,
  });
  server.addService(hubServiceDefinition, handlers);
  server.addService(startInstancesDefinition, startInstancesHandlers(backend, callKit(logger, options.token)));
  const bindHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${bindHost}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      );
    });
  } catch (error) {
    store.close();
    const message = (error as Error).message;
    if (/EADDRINUSE|address already in use/i.test(message)) {
      throw new HubStartError(`Port ${options.port} on ${host} is already in use: stop the other process or pick another port (--port).`, "address-in-use", {
        cause: error,
      });
    }
    throw new HubStartError(`Cannot listen on ${host}:${options.port ?? 0}: ${message}`, "bind-failed", { cause: error });
  }
  backend.start();
  logger.info("hub: serving %s on %s:%d", options.dbPath, host, port);

  let stopping: Promise<void> | undefined;
  return {
    host,
    port,
    address: hostPort(host, port),
    token: options.token,
    dbPath: options.dbPath,
    hasInstanceNamed: (taskHub, name, statuses) => store.hasInstanceNamed(taskHub, name, statuses),
    stop() {
      stopping ??= (async () => {
        backend.stop();
        endWorkerStreams();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, 2000);
          server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        });
        backend.batcher.flush();
        store.close();
        logger.info("hub: stopped (%s); %d commits carried %d writes", options.dbPath, backend.batcher.stats.commits, backend.batcher.stats.writes);
      })();
      return stopping;
    },
  };
}
