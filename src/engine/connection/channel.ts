import { createSecureContext } from "node:tls";
import { credentials, type ChannelCredentials, type ChannelOptions } from "@grpc/grpc-js";
import { retryServiceConfig } from "./retry-policy.js";

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
