import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { TaskHubGrpcClient, type TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import type { DtsConnection, ResolvedProfile } from "../profile.js";
import { BackendUnreachableError, ConfigError, errorMessage } from "../../errors.js";
import type { AppLogger } from "../../logging.js";
import { defaultDbPath } from "../../paths.js";
import type { ConnectionInfo } from "../types.js";
import { AccessTokenCache, DURABLE_TASK_SCOPE } from "./access-token-cache.js";
import { getCredentialFromAuthenticationType, type CredentialFactory } from "./credential-factory.js";
import { endpointAddress } from "./endpoint.js";
import { dtsInfo, staticTokenOf } from "./dts-info.js";
import { describeEndpoint, unreachableRemedy } from "./errors.js";
import { createMetadataGenerator, type MetadataGenerator } from "./metadata.js";
import { probeBackend } from "./probe.js";
import { channelSettings } from "./channel.js";
import { startInstances, type InstanceToStart } from "./start-instances.js";
import { createSdkLogger } from "./sdk-logger.js";
import { WorkerSupervisor, type WorkerStatus } from "./worker-supervisor.js";
import { closeClientChannel } from "../sdk-seam.js";
import type { InstanceClient } from "../instance-client.js";
import { sdkInstanceClient } from "./sdk-instance-client.js";

/** Registers what this process's worker runs (orchestrations, activities) before it starts; `stopping` aborts on close. */
export type RegisterWorkload = (worker: TaskHubGrpcWorker, client: TaskHubGrpcClient, stopping: AbortSignal) => void | Promise<void>;

interface OpenConnectionOptions {
  /** The engine's logger (connection events). */
  logger: AppLogger;
  /** Where the SDK logs; defaults to `logger`. Never the console. */
  sdkLogger?: AppLogger;
  /** Also run a worker (the dashboard, `worker`, `start --wait` on the embedded hub). */
  withWorker: boolean;
  /** With `withWorker`: the worker starts only at `startWorker()` (the dashboard: once its first rows are drawn). */
  deferWorker?: boolean;
  /**
   * Registers orchestrators/activities on the worker (required with `withWorker`); `client` is the current one;
   * `stopping` is aborted when a stop cuts that worker's running checks off.
   */
  register?: RegisterWorkload;
  /** Builds the Azure credential; tests inject a fake `TokenCredential`. */
  credentialFactory?: CredentialFactory;
  onWorkerStatus?: (status: WorkerStatus) => void;
  /** Environment for the default db path. */
  env?: NodeJS.ProcessEnv;
}

export interface Connection {
  /** Where it points now (an embedded connection can move when it takes over a hub whose owner exited). */
  readonly info: ConnectionInfo;
  /** The current client (replaced when an embedded connection moves: read it per call, do not keep it). */
  readonly client: TaskHubGrpcClient;
  /** The current client as the engine's reads and `start` use it (replaced with `client`). */
  readonly instances: InstanceClient;
  /** The supervised worker, when asked for one and started (it connects in the background). */
  worker?: WorkerSupervisor;
  /** Starts the deferred worker (see `deferWorker`); does nothing when it runs already, is not wanted, or after close. */
  startWorker(): void;
  /** Embedded only: true when this process runs the hub (it stops when this connection closes). */
  readonly ownsHub: boolean;
  /**
   * When this process runs the hub: whether an instance of that orchestration name has one of these statuses in the
   * connection's task hub, read from the hub's database. Undefined otherwise (ask the backend with a query).
   */
  ownHubHasInstanceNamed(name: string, statuses: readonly number[]): boolean | undefined;
  /**
   * Embedded client only: when the hub's owner process is gone, acquires the hub again (taking it over, or joining
   * whoever did) and switches client and worker to it. Resolves true when the connection moved. Never throws.
   */
  recover(): Promise<boolean>;
  /**
   * One Hello with a deadline. Throws BackendUnreachableError naming the endpoint when it gets no answer,
   * ConfigError when the credentials are refused.
   */
  probe(timeoutMs?: number): Promise<void>;
  /**
   * Starts one orchestration per input in a few calls on our hub (embedded, or standalone reached with its token; see
   * start-instances.ts). Resolves undefined for other backends and for a hub that does not offer it.
   */
  startInstances(name: string, entries: readonly InstanceToStart[]): Promise<string[] | undefined>;
  /** Stops the worker, the client and (when owned) the embedded hub. Idempotent; never throws. */
  close(): Promise<void>;
}

interface Target {
  info: ConnectionInfo;
  useTls: boolean;
  metadata: (workerId?: string) => MetadataGenerator;
  ownsHub: boolean;
  hasInstanceNamed?: (taskHub: string, name: string, statuses: readonly number[]) => boolean;
  release: () => Promise<void>;
}

function dtsTarget(profile: ResolvedProfile, parsed: DtsConnection, factory: CredentialFactory, env: NodeJS.ProcessEnv): Target {
  const credential = factory(parsed);
  const staticToken = staticTokenOf(parsed, env);
  const { address, useTls } = endpointAddress(parsed.endpoint, credential !== null || staticToken !== undefined);
  const tokenCache = credential ? new AccessTokenCache(credential, DURABLE_TASK_SCOPE) : null;
  return {
    info: dtsInfo(profile, parsed, address, staticToken),
    useTls,
    metadata: (workerId) => createMetadataGenerator({ taskHub: profile.taskHub, tokenCache, staticToken, workerId }),
    ownsHub: false,
    release: async () => {},
  };
}

async function embeddedTarget(profile: ResolvedProfile, dbPath: string, logger: AppLogger): Promise<Target> {
  const { acquireEmbeddedHub } = await import("../hub/index.js"); // loaded only for embedded profiles
  const hub = await acquireEmbeddedHub({ dbPath, logger });
  return {
    info: { kind: "embedded", location: hub.dbPath, taskHub: profile.taskHub, address: hub.address, ...(hub.shared ? { sharedHub: true } : {}) },
    useTls: false,
    metadata: () => createMetadataGenerator({ taskHub: profile.taskHub, staticToken: hub.token }),
    ownsHub: hub.owned,
    hasInstanceNamed: hub.hasInstanceNamed,
    release: () => Promise.resolve(hub.release()),
  };
}

/**
 * Turns a profile's connection into an SDK client (and optionally a supervised worker):
 * `embedded` → the local hub in this process, or the live one another process owns (its token is sent);
 * a DTS connection string → that endpoint with the `taskhub` header, a bearer token from the matching
 * `@azure/identity` credential unless `Authentication=None`, TLS by the rule of `endpointAddress` (always with a
 * credential, except plain `http://` to loopback; a token to any other `http://` host is refused).
 * Nothing is contacted here except the embedded hub's endpoint file: call `probe()` to check reachability.
 * Throws ConfigError for an unusable endpoint, BackendUnreachableError when the embedded hub cannot start.
 */
export async function openConnection(profile: ResolvedProfile, opts: OpenConnectionOptions): Promise<Connection> {
  const dbPath = profile.connection.type === "embedded" ? (profile.connection.dbPath ?? defaultDbPath(opts.env)) : undefined;
  const acquire =
    dbPath === undefined
      ? undefined
      : async (): Promise<Target> => {
          try {
            return await embeddedTarget(profile, dbPath, opts.logger);
          } catch (error) {
            if (error instanceof ConfigError || error instanceof BackendUnreachableError) throw error;
            throw new BackendUnreachableError(`cannot start or reach the embedded hub for ${dbPath}: ${errorMessage(error)}`);
          }
        };
  const target =
    profile.connection.type === "embedded"
      ? await acquire!()
      : dtsTarget(profile, profile.connection.parsed, opts.credentialFactory ?? getCredentialFromAuthenticationType, opts.env ?? process.env);
  const connection = new LiveConnection(profile, opts, target, acquire);
  if (!opts.deferWorker) connection.startWorker();
  return connection;
}

/** A connection whose target can move (an embedded client taking over a hub whose owner exited). */
class LiveConnection implements Connection {
  worker?: WorkerSupervisor;
  private target: Target;
  private current: TaskHubGrpcClient;
  private currentInstances: InstanceClient;
  private readonly useTls: boolean;
  private readonly sdkLogger: ReturnType<typeof createSdkLogger>;
  private readonly workerId = `${hostname()},${process.pid},${randomUUID().replace(/-/g, "")}`;
  private closed: Promise<void> | undefined;
  private recovering: Promise<boolean> | undefined;

  constructor(
    private readonly profile: ResolvedProfile,
    private readonly opts: OpenConnectionOptions,
    target: Target,
    /** Embedded only: acquires the hub (again). */
    private readonly acquire: (() => Promise<Target>) | undefined,
  ) {
    this.target = target;
    this.useTls = target.useTls;
    this.sdkLogger = createSdkLogger(opts.sdkLogger ?? opts.logger);
    this.current = this.makeClient(target);
    this.currentInstances = sdkInstanceClient(this.current);
    opts.logger.info("connection: %s (task hub %s, %s)", describeEndpoint(target.info), target.info.taskHub, this.useTls ? "TLS" : "plaintext");
  }

  get info(): ConnectionInfo {
    return this.target.info;
  }

  get client(): TaskHubGrpcClient {
    return this.current;
  }

  get instances(): InstanceClient {
    return this.currentInstances;
  }

  get ownsHub(): boolean {
    return this.target.ownsHub;
  }

  ownHubHasInstanceNamed(name: string, statuses: readonly number[]): boolean | undefined {
    return this.target.hasInstanceNamed?.(this.target.info.taskHub, name, statuses);
  }

  startWorker(): void {
    const { opts } = this;
    if (!opts.withWorker || this.worker || this.closed) return;
    if (!opts.register) throw new Error("openConnection: withWorker needs a register function");
    const register = opts.register;
    this.worker = new WorkerSupervisor({
      target: () => ({ address: this.target.info.address, useTls: this.useTls, metadata: this.target.metadata(this.workerId) }),
      register: (w, stopping) => register(w, this.current, stopping),
      sdkLogger: opts.sdkLogger ?? opts.logger,
      logger: opts.logger,
      onStatus: opts.onWorkerStatus,
      recover: this.acquire ? this.recover : undefined,
    });
    this.worker.start();
  }

  /** Embedded client of another process's hub: when that hub is gone, take it over (or join the new owner). */
  readonly recover = (): Promise<boolean> => {
    if (!this.acquire || this.target.ownsHub || this.closed) return Promise.resolve(false);
    this.recovering ??= this.moveIfGone(this.acquire).finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  };

  private async moveIfGone(acquire: () => Promise<Target>): Promise<boolean> {
    const { logger } = this.opts;
    try {
      const alive = await probeBackend({ address: this.target.info.address, useTls: this.useTls, metadata: this.target.metadata() }, 1000);
      if (alive.ok || this.closed) return false;
      const next = await acquire();
      if (this.closed || next.info.address === this.target.info.address) {
        if (this.closed) await next.release();
        return false;
      }
      const old = this.current;
      this.target = next;
      this.current = this.makeClient(next);
      this.currentInstances = sdkInstanceClient(this.current);
      closeClient(old);
      logger.info("embedded hub: the previous owner is gone; now %s (%s)", next.ownsHub ? "owning it" : "a client of the new owner", next.info.address);
      this.worker?.retarget();
      return true;
    } catch (error) {
      logger.warn("embedded hub recovery failed: %s", errorMessage(error));
      return false;
    }
  }

  async probe(timeoutMs = 5000): Promise<void> {
    const info = this.target.info;
    const result = await probeBackend({ address: info.address, useTls: this.useTls, metadata: this.target.metadata() }, timeoutMs);
    if (result.ok) return;
    if (result.tokenError) {
      const auth = this.profile.connection.type === "dts" ? this.profile.connection.parsed.authentication : "the credential";
      throw new ConfigError(`cannot get a token for ${describeEndpoint(info)} (Authentication=${auth}): ${result.message}`);
    }
    if (result.code === 16 /* UNAUTHENTICATED */ || result.code === 7 /* PERMISSION_DENIED */) {
      throw new ConfigError(`${describeEndpoint(info)} refused the credentials: ${result.message}`);
    }
    if (await this.recover()) return this.probe(timeoutMs);
    throw new BackendUnreachableError(`cannot reach ${describeEndpoint(info)}: ${result.message}`, unreachableRemedy(info));
  }

  async startInstances(name: string, entries: readonly InstanceToStart[]): Promise<string[] | undefined> {
    const { info } = this.target;
    if (info.kind !== "embedded" && !info.localHub) return undefined;
    return startInstances({ address: info.address, useTls: this.useTls, metadata: this.target.metadata() }, name, entries);
  }

  close(): Promise<void> {
    this.closed ??= this.stopAll();
    return this.closed;
  }

  private async stopAll(): Promise<void> {
    const { logger } = this.opts;
    await this.recovering;
    const attempt = async (what: string, step: () => unknown) => {
      try {
        await step();
      } catch (error) {
        logger.warn("%s: %s", what, errorMessage(error));
      }
    };
    await attempt("stopping the worker", () => this.worker?.stop());
    await attempt("stopping the client", () => closeClient(this.current));
    await attempt("releasing the hub", () => this.target.release());
  }

  private makeClient(t: Target): TaskHubGrpcClient {
    return new TaskHubGrpcClient({ ...channelSettings({ address: t.info.address, useTls: this.useTls, metadata: t.metadata() }), logger: this.sdkLogger });
  }
}

/**
 * Closes the client's channel at once. `TaskHubGrpcClient.stop()` does the same and then sleeps a second
 * (a grpc-node workaround for long-lived processes); one-shot CLI commands should not pay that on every exit.
 */
function closeClient(client: TaskHubGrpcClient): void {
  if (!closeClientChannel(client)) void client.stop();
}
