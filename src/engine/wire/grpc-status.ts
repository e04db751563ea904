/**
 * gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html), with the names grpc-js's `status`
 * enum gives them: what our error mapping reads, without loading grpc-js (test/engine/wire-proto.test.ts compares).
 */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(GrpcStatus).map(([name, code]) => [code, name]));

/** "NOT_FOUND" for 5; undefined for a code gRPC does not define. */
export function grpcStatusName(code: number): string | undefined {
  return NAMES[code];
}

/** A short human description of a gRPC failure (status name + details). */
export function describeGrpcError(error: { code?: number; details?: string; message?: string }): string {
  const name = error.code !== undefined ? (grpcStatusName(error.code) ?? String(error.code)) : undefined;
  const details = (error.details || error.message || "unknown error").replace(/\s*Resolution note:\s*$/, "");
  return name ? `${name}: ${details}` : details;
}
