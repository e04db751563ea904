import { createSecureContext } from "node:tls";
import { credentials, type ChannelCredentials, type ChannelOptions } from "@grpc/grpc-js";
import type { MetadataGenerator } from "./metadata.js";
import { retryServiceConfig } from "./retry-policy.js";

/** Where and how to reach a backend: what the connection string (or the embedded hub) resolves to. */
export interface ChannelTarget {
  /** host:port */
  address: string;
  useTls: boolean;
  /** Per-call headers (taskhub, token, workerid). */
  metadata: MetadataGenerator;
}

/** Channel options for every channel we open (client, worker, probe): retries on, with RETRY_POLICY. */
export function channelOptions(): ChannelOptions {
  return {
    "grpc.primary_user_agent": "durable-monitor-tui",
    "grpc.enable_retries": 1,
    "grpc.service_config": retryServiceConfig(),
  };
}

/**
 * Plaintext, or TLS verified against Node's default trust store — the one `NODE_EXTRA_CA_CERTS` (a company CA, a
 * test certificate) adds to. grpc's own `createSsl()` did not honour `NODE_EXTRA_CA_CERTS` here (grpc-js 1.14 on
 * Node 24: "self-signed certificate"), while a context made by Node's `tls` does.
 */
export function channelCredentials(useTls: boolean): ChannelCredentials {
  return useTls ? credentials.createFromSecureContext(createSecureContext()) : credentials.createInsecure();
}

/**
 * The channel part of the SDK's client and worker options for a target: what the official client and worker builders
 * derive from their options (address, retry policy, TLS credentials, per-call metadata). Spread it into
 * `new TaskHubGrpcClient({...})` / `new TaskHubGrpcWorker({...})`; switching to the official builders replaces this.
 */
export function channelSettings(target: ChannelTarget) {
  return {
    hostAddress: target.address,
    options: channelOptions(),
    credentials: channelCredentials(target.useTls),
    metadataGenerator: target.metadata,
  };
}
