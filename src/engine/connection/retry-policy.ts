import { status, type ChannelOptions } from "@grpc/grpc-js";

/**
 * The gRPC retry policy of `@microsoft/durabletask-js-azuremanaged` (its `retry-policy.ts` defaults): every method,
 * up to 10 attempts, backoff 50 ms doubling to at most 250 ms (grpc randomises each wait in [0, backoff]),
 * retried on UNAVAILABLE only. A completion call that meets a brief outage is then re-sent by grpc itself instead of
 * being dropped by the SDK (which only logs a failed completion; the work item would re-run after its lease).
 * Only calls whose response has not started are retried: a work-item stream already delivering is not replayed.
 */
const RETRY_POLICY = {
  maxAttempts: 10,
  initialBackoffMs: 50,
  maxBackoffMs: 250,
  backoffMultiplier: 2,
  retryableStatusCodes: [status.UNAVAILABLE],
} as const;

/** The `grpc.service_config` JSON for RETRY_POLICY (an empty service name applies it to every method). */
export function retryServiceConfig(policy: typeof RETRY_POLICY = RETRY_POLICY): string {
  return JSON.stringify({
    methodConfig: [
      {
        name: [{ service: "" }],
        retryPolicy: {
          maxAttempts: policy.maxAttempts,
          initialBackoff: `${policy.initialBackoffMs / 1000}s`,
          maxBackoff: `${policy.maxBackoffMs / 1000}s`,
          backoffMultiplier: policy.backoffMultiplier,
          retryableStatusCodes: policy.retryableStatusCodes.map((code) => status[code]),
        },
      },
    ],
  });
}
