/**
 * One unary gRPC call over an HTTP/2 session of ours (h2-session.ts): the request framed (5-byte prefix, uncompressed), the answer's
 * status read from the trailers (or a trailers-only answer's headers), a deadline sent as `grpc-timeout` and enforced
 * here. Failures reject with WireCallError, shaped like grpc-js's ServiceError (code, details, trailers as metadata),
 * so the engine's error mapping reads both alike.
 */
import { GrpcStatus, grpcStatusName } from "./grpc-status.js";
import { H2Error } from "./h2-frames.js";
import type { H2Session, StreamEnd } from "./h2-session.js";
import type { HeaderField } from "./hpack.js";

/** The largest answer accepted: grpc-js's default receive limit, which the SDK's client has too. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** A header block by name (lower case); a name sent more than once has all its values. */
type Headers = Record<string, string | string[]>;

function byName(fields: HeaderField[]): Headers {
  const out: Headers = {};
  for (const [name, value] of fields) {
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[name] = [seen, value];
  }
  return out;
}

export class WireCallError extends Error {
  /** The trailers, read as grpc-js's Metadata is (`get(key)` → values). */
  readonly metadata: { get(key: string): string[] };

  constructor(
    readonly code: number,
    readonly details: string,
    trailers: Headers = {},
  ) {
    super(`${code} ${grpcStatusName(code) ?? "UNKNOWN"}: ${details}`);
    this.name = "WireCallError";
    this.metadata = {
      get: (key) => {
        const value = trailers[key.toLowerCase()];
        return value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
      },
    };
  }
}

/** gRPC's mapping of an HTTP status without a grpc-status (a proxy's answer, say). */
function codeForHttpStatus(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return GrpcStatus.INTERNAL;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

function decodeMessage(text: string | string[] | undefined): string {
  const raw = Array.isArray(text) ? text.join(",") : (text ?? "");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The one message of a unary answer, or a WireCallError when the body is not exactly one uncompressed message. */
function singleMessage(body: Buffer): Buffer {
  if (body.length < 5) throw new WireCallError(GrpcStatus.INTERNAL, "the answer carries no message");
  if (body[0] !== 0) throw new WireCallError(GrpcStatus.INTERNAL, "the answer is compressed (none was offered)");
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length) throw new WireCallError(GrpcStatus.INTERNAL, "the answer is not one whole message");
  return body.subarray(5);
}

function frame(message: Buffer): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

/** The status an answer ends with: grpc-status from the trailers (or headers), else the HTTP status's. */
function outcome(headers: Headers | undefined, trailers: Headers | undefined): { code: number; details: string; trailers: Headers } {
  const source = trailers?.["grpc-status"] !== undefined ? trailers : headers?.["grpc-status"] !== undefined ? headers : undefined;
  if (source) return { code: Number(source["grpc-status"]), details: decodeMessage(source["grpc-message"]), trailers: source };
  const httpStatus = Number(headers?.[":status"] ?? 0);
  if (httpStatus && httpStatus !== 200) return { code: codeForHttpStatus(httpStatus), details: `HTTP status ${httpStatus}`, trailers: {} };
  return { code: GrpcStatus.UNAVAILABLE, details: "the call ended without a status (the connection closed)", trailers: {} };
}

/** How a stream that ended without an answer fails: a refused stream may be retried, a lost connection is unreachable. */
function failureOf(end: StreamEnd): WireCallError | undefined {
  if (end.kind === "error") return new WireCallError(GrpcStatus.UNAVAILABLE, end.message);
  if (end.kind === "reset" && end.code === H2Error.REFUSED_STREAM) return new WireCallError(GrpcStatus.UNAVAILABLE, "the server refused the stream");
  if (end.kind === "reset" && end.code !== H2Error.NO_ERROR) return new WireCallError(GrpcStatus.UNAVAILABLE, `the server reset the stream (HTTP/2 error ${end.code})`);
  return undefined;
}

/**
 * Calls `path` with the request message and `metadata` (header names in lower case); resolves to the answer's
 * message. Rejects with WireCallError: the answer's status when not OK, DEADLINE_EXCEEDED after `deadlineMs`,
 * RESOURCE_EXHAUSTED over MAX_RESPONSE_BYTES, UNAVAILABLE when the connection fails.
 */
export function unaryCall(session: H2Session, path: string, request: Buffer, metadata: Record<string, string>, deadlineMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let headers: Headers | undefined;
    let trailers: Headers | undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let cancel = () => {};
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: WireCallError | undefined, value?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cancel();
      if (error) reject(error);
      else resolve(value!);
    };
    /** How the call ends once its stream has: the answer's message, or its status. */
    const settle = (end: StreamEnd): void => {
      const failure = failureOf(end);
      if (failure) return finish(failure);
      const status = outcome(headers, trailers);
      if (status.code !== GrpcStatus.OK) return finish(new WireCallError(status.code, status.details, status.trailers));
      finish(undefined, singleMessage(Buffer.concat(chunks)));
    };
    const fields: HeaderField[] = [
      [":method", "POST"],
      [":path", path],
      ["content-type", "application/grpc"],
      ["te", "trailers"],
      ["grpc-timeout", `${Math.max(1, Math.ceil(deadlineMs))}m`],
      ...Object.entries(metadata),
    ];
    try {
      cancel = session.request(fields, frame(request), {
        headers(block) {
          if (headers === undefined) headers = byName(block);
          else trailers = byName(block);
        },
        data(chunk) {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES + 5) {
            finish(new WireCallError(GrpcStatus.RESOURCE_EXHAUSTED, `Received message larger than max (${received} vs. ${MAX_RESPONSE_BYTES})`));
          } else chunks.push(chunk);
        },
        close(end) {
          try {
            settle(end);
          } catch (error) {
            finish(error instanceof WireCallError ? error : new WireCallError(GrpcStatus.INTERNAL, `unreadable answer: ${String(error)}`));
          }
        },
      });
    } catch (error) {
      // Nothing was sent (a header the protocol cannot carry, say): this call fails, the connection stays.
      return finish(new WireCallError(GrpcStatus.INTERNAL, error instanceof Error ? error.message : String(error)));
    }
    timer = setTimeout(() => finish(new WireCallError(GrpcStatus.DEADLINE_EXCEEDED, `Deadline exceeded (${deadlineMs} ms)`)), deadlineMs);
  });
}
