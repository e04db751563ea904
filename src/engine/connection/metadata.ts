import { Metadata } from "@grpc/grpc-js";
import type { AccessTokenCache } from "./access-token-cache.js";

/** The SDK's per-call metadata hook (`MetadataGenerator` of @microsoft/durabletask-js). */
export type MetadataGenerator = () => Promise<Metadata>;

interface MetadataOptions {
  /** Sent as the `taskhub` header on every call (what the Durable Task Scheduler and our hub select a hub by). */
  taskHub: string;
  /** A bearer token source (Azure credentials); mutually exclusive with `staticToken`. */
  tokenCache?: AccessTokenCache | null;
  /** A fixed bearer token (the embedded hub's random token). */
  staticToken?: string;
  /** Identifies a worker to the scheduler (`workerid` header); clients send none. */
  workerId?: string;
  /** `x-user-agent` value. */
  userAgent?: string;
}

/**
 * Builds the metadata generator the SDK worker and client call before every RPC
 * (like `createMetadataGenerator` of `@microsoft/durabletask-js-azuremanaged`):
 * `taskhub`, `x-user-agent`, optional `workerid`, and `authorization: Bearer <token>` when there is a token.
 * The returned promise rejects when the credential cannot produce a token (the call then fails with that error).
 */
export function createMetadataGenerator(options: MetadataOptions): MetadataGenerator {
  const userAgent = options.userAgent ?? "durable-monitor-tui";
  return async () => {
    const metadata = new Metadata();
    metadata.set("taskhub", options.taskHub);
    metadata.set("x-user-agent", userAgent);
    if (options.workerId) metadata.set("workerid", options.workerId);
    if (options.staticToken) {
      metadata.set("authorization", `Bearer ${options.staticToken}`);
    } else if (options.tokenCache) {
      const token = await options.tokenCache.getToken();
      metadata.set("authorization", `Bearer ${token.token}`);
    }
    return metadata;
  };
}
