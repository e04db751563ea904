import { BackendStorageError, BackendUnreachableError, ConfigError, FatalError, NotFoundError, UsageError, errorMessage } from "../../errors.js";
import type { ConnectionInfo } from "../types.js";
import { GrpcStatus as status, describeGrpcError } from "../wire/grpc-status.js";
import { STORAGE_FULL_REMEDY, STORAGE_FULL_TRAILER } from "../storage-full.js";

/** What to check when the endpoint does not answer. */
export function unreachableRemedy(info: ConnectionInfo): string {
  if (info.kind === "embedded") return "the hub's owner process may have just exited: run the command again";
  if (info.kind === "emulator" && info.localHub) return "is the hub running? (durable-monitor-tui hub)";
  if (info.kind === "emulator") return "is the emulator running? (docker run -d -p 8080:8080 mcr.microsoft.com/dts/dts-emulator:latest)";
  return "check the profile's Endpoint (`durable-monitor-tui profiles show`) and your network";
}

/** Where a connection points, for error messages: "the embedded hub (…/hub.sqlite at 127.0.0.1:4567)". */
export function describeEndpoint(info: ConnectionInfo): string {
  if (info.kind === "embedded") return `the embedded hub (${info.location} at ${info.address})`;
  const what = info.kind === "azure" ? "Azure Durable Task Scheduler" : info.localHub ? "the hub" : "the emulator";
  return `${what} at ${info.location} (task hub '${info.taskHub}')`;
}

/** Our hub's "no room to write" (see storage-full.ts), as opposed to a payload over a size limit. */
function isStorageFull(error: unknown): boolean {
  const metadata = (error as { metadata?: { get?: (key: string) => unknown[] } } | null)?.metadata;
  return typeof metadata?.get === "function" && metadata.get(STORAGE_FULL_TRAILER).length > 0;
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/**
 * True when the error says the backend could not be reached (as opposed to refusing the request). CANCELLED counts:
 * we never cancel a call we still wait for, so it is the server (or a proxy) going away mid-call.
 */
export function isUnreachable(error: unknown): boolean {
  const code = grpcCode(error);
  return code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED || code === status.CANCELLED;
}

/**
 * Turns an SDK/gRPC failure into the app's named errors (FatalErrors pass through):
 * UNAVAILABLE / DEADLINE_EXCEEDED / CANCELLED (the server went away mid-call) → BackendUnreachableError naming the endpoint (exit 4);
 * UNAUTHENTICATED / PERMISSION_DENIED → ConfigError about the credentials (exit 3);
 * RESOURCE_EXHAUSTED marked as our hub's full disk → BackendStorageError (exit 4);
 * NOT_FOUND → NotFoundError; INVALID_ARGUMENT / FAILED_PRECONDITION / ALREADY_EXISTS / RESOURCE_EXHAUSTED (a payload
 * over the backend's size limit) → UsageError.
 */
export function toEngineError(error: unknown, info: ConnectionInfo, what?: string): Error {
  if (error instanceof FatalError) return error;
  const code = grpcCode(error);
  const prefix = what ? `${what}: ` : "";
  const detail = code !== undefined ? describeGrpcError(error as { code: number; details?: string; message?: string }) : errorMessage(error);
  switch (code) {
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
    case status.CANCELLED:
      return new BackendUnreachableError(`${prefix}cannot reach ${describeEndpoint(info)}: ${detail}`, unreachableRemedy(info));
    case status.UNAUTHENTICATED:
    case status.PERMISSION_DENIED:
      return new ConfigError(`${prefix}${describeEndpoint(info)} refused the credentials: ${detail}`);
    case status.NOT_FOUND:
      return new NotFoundError(`${prefix}${detail}`);
    case status.RESOURCE_EXHAUSTED:
      if (isStorageFull(error)) return new BackendStorageError(`${prefix}${(error as { details?: string }).details ?? detail}`, STORAGE_FULL_REMEDY);
      return new UsageError(`${prefix}${detail}`);
    case status.INVALID_ARGUMENT:
    case status.FAILED_PRECONDITION:
    case status.ALREADY_EXISTS:
      return new UsageError(`${prefix}${detail}`);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
