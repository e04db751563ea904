/**
 * Integration-test helper: a real hub on loopback with a temp database, and factories for real SDK clients and
 * workers already pointed at it (task hub and token headers added by a metadataGenerator, logs silenced).
 * `stop()` stops every worker and client it made, then the hub, then removes the temp dir.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { NoOpLogger, TaskHubGrpcClient, TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import { startHub, type HubOptions, type RunningHub } from "../../src/engine/hub/index.js";

export interface TestHubOptions {
  dbPath?: string;
  token?: string;
  taskHub?: string;
  /** Extra hub options (lease length, outstanding items per worker). */
  hub?: Partial<Omit<HubOptions, "dbPath" | "token">>;
}

export interface ConnectionOverrides {
  taskHub?: string;
  /** Token to send; defaults to the hub's. Pass "" to send none. */
  token?: string;
  /** Workers: send the SDK's work item filters for what they registered (default: none, i.e. take everything). */
  workItemFilters?: "auto";
}

export interface TestHub {
  hub: RunningHub;
  dir: string;
  createClient(o?: ConnectionOverrides): TaskHubGrpcClient;
  createWorker(o?: ConnectionOverrides): TaskHubGrpcWorker;
  stop(): Promise<void>;
}

export function metadataFor(taskHub: string | undefined, token: string | undefined): () => Promise<grpc.Metadata> {
  return async () => {
    const md = new grpc.Metadata();
    if (taskHub) md.set("taskhub", taskHub);
    if (token) md.set("authorization", `Bearer ${token}`);
    return md;
  };
}

export async function startTestHub(opts: TestHubOptions = {}): Promise<TestHub> {
  const dir = await mkdtemp(join(tmpdir(), "dmt-hub-"));
  const hub = await startHub({ dbPath: opts.dbPath ?? join(dir, "hub.sqlite"), token: opts.token, ...opts.hub });
  const clients: TaskHubGrpcClient[] = [];
  const workers: TaskHubGrpcWorker[] = [];
  const logger = new NoOpLogger();
  const settings = (o: ConnectionOverrides = {}) => ({
    hostAddress: hub.address,
    metadataGenerator: metadataFor(o.taskHub ?? opts.taskHub, o.token ?? opts.token),
    logger,
  });
  return {
    hub,
    dir,
    createClient(o) {
      const client = new TaskHubGrpcClient(settings(o));
      clients.push(client);
      return client;
    },
    createWorker(o) {
      const worker = new TaskHubGrpcWorker({ ...settings(o), shutdownTimeoutMs: 2000, workItemFilters: o?.workItemFilters });
      workers.push(worker);
      return worker;
    },
    async stop() {
      await Promise.all(
        workers.map((w) =>
          w.stop().catch(() => {
            // never started, or already stopped
          }),
        ),
      );
      await Promise.all(clients.map((c) => c.stop().catch(() => {})));
      await hub.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
