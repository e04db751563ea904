import { Client, status, type ServiceError } from "@grpc/grpc-js";
import { describeGrpcError } from "../wire/grpc-status.js";
import { channelCredentials, channelOptions, type ChannelTarget } from "./channel.js";

const HELLO_PATH = "/TaskHubSidecarService/Hello";

type ProbeTarget = ChannelTarget;

type ProbeResult = { ok: true } | { ok: false; code?: number; message: string; /** No token could be obtained (nothing was sent). */ tokenError?: boolean };

/**
 * Calls the sidecar's Hello RPC once with a deadline (no waiting for the channel to become ready), carrying the
 * same headers as every other call: it proves the endpoint is reachable and, where auth is required, that the
 * token is accepted. Never throws; the result says what went wrong.
 */
export async function probeBackend(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const client = new Client(target.address, channelCredentials(target.useTls), channelOptions());
  try {
    const metadata = await target.metadata();
    return await new Promise<ProbeResult>((resolve) => {
      client.makeUnaryRequest<Buffer, Buffer>(
        HELLO_PATH,
        () => Buffer.alloc(0), // google.protobuf.Empty encodes to zero bytes
        (b) => b,
        Buffer.alloc(0),
        metadata,
        { deadline: Date.now() + timeoutMs },
        (error: ServiceError | null) => {
          if (!error) resolve({ ok: true });
          else resolve({ ok: false, code: error.code, message: describeGrpcError(error) });
        },
      );
    });
  } catch (error) {
    // No token means no access: report it like a refusal (UNAUTHENTICATED), not as an unreachable endpoint.
    return { ok: false, code: status.UNAUTHENTICATED, tokenError: true, message: error instanceof Error ? error.message : String(error) };
  } finally {
    client.close();
  }
}
