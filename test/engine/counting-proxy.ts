/**
 * A transparent gRPC proxy in front of a hub that counts the calls per method: how the tests prove what the
 * engine sends over the wire (e.g. one QueryInstances per refresh) without touching the hub.
 * Bytes are forwarded untouched, metadata included; `stop()` drops every connection (a backend outage);
 * `failNext()` answers UNAVAILABLE to a method's next calls without forwarding them (a brief outage of one call).
 * With `tls` it serves TLS (a stand-in for a TLS endpoint such as Azure's) while the hub behind it stays plaintext;
 * `calls` records each call's `authorization` and `taskhub` headers as they arrived.
 */
import { createRequire } from "node:module";
import {
  Client,
  Metadata,
  Server,
  ServerCredentials,
  status,
  credentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";

const require = createRequire(import.meta.url);
const sdkDefinition = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js").TaskHubSidecarServiceService as Record<
  string,
  { path: string; requestStream: boolean; responseStream: boolean }
>;

const identity = (b: Buffer) => b;

export interface ProxyOptions {
  /** Serve TLS with this key and certificate chain (PEM). */
  tls?: { key: Buffer; cert: Buffer };
}

export interface ProxiedCall {
  method: string;
  authorization?: string;
  taskhub?: string;
}

export interface CountingProxy {
  port: number;
  address: string;
  /** Calls seen per method name (e.g. "QueryInstances"). */
  counts: Map<string, number>;
  calls: ProxiedCall[];
  count(method: string): number;
  /** Every method called except the given ones, with counts. */
  others(...except: string[]): Record<string, number>;
  /** The next `times` calls of `method` (e.g. "CompleteActivityTask") fail with UNAVAILABLE, unforwarded. */
  failNext(method: string, times: number): void;
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string, port = 0, options: ProxyOptions = {}): Promise<CountingProxy> {
  const upstream = new Client(target, credentials.createInsecure());
  const counts = new Map<string, number>();
  const failures = new Map<string, number>();
  const calls: ProxiedCall[] = [];
  const header = (metadata: Metadata, key: string) => {
    const value = metadata.get(key)[0];
    return value === undefined ? undefined : String(value);
  };
  const definition: Record<string, unknown> = {};
  const impl: UntypedServiceImplementation = {};
  for (const [key, m] of Object.entries(sdkDefinition)) {
    const name = m.path.split("/").pop()!;
    definition[key] = { ...m, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity };
    const bump = (metadata: Metadata) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      calls.push({ method: name, authorization: header(metadata, "authorization"), taskhub: header(metadata, "taskhub") });
    };
    if (!m.requestStream && !m.responseStream) {
      impl[key] = ((call: { request: Buffer; metadata: Metadata }, callback: (e: unknown, r?: Buffer) => void) => {
        bump(call.metadata);
        const left = failures.get(name) ?? 0;
        if (left > 0) {
          failures.set(name, left - 1);
          callback({ code: status.UNAVAILABLE, details: "injected by the test proxy" });
          return;
        }
        upstream.makeUnaryRequest(m.path, identity, identity, call.request, call.metadata, (err, res) => callback(err, res));
      }) as never;
    } else if (!m.requestStream && m.responseStream) {
      impl[key] = ((call: { request: Buffer; metadata: Metadata; write(b: Buffer): void; end(): void; destroy(e: unknown): void; on(e: string, f: () => void): void; emit(e: string, v: unknown): void }) => {
        bump(call.metadata);
        const up = upstream.makeServerStreamRequest(m.path, identity, identity, call.request, call.metadata);
        up.on("data", (b: Buffer) => call.write(b));
        up.on("end", () => call.end());
        up.on("error", (e: unknown) => call.emit("error", e));
        call.on("cancelled", () => up.cancel());
      }) as never;
    }
  }
  const server = new Server();
  server.addService(definition as unknown as ServiceDefinition, impl);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `127.0.0.1:${port}`,
      options.tls ? ServerCredentials.createSsl(null, [{ private_key: options.tls.key, cert_chain: options.tls.cert }]) : ServerCredentials.createInsecure(),
      (e, p) => (e ? reject(e) : resolve(p)),
    ),
  );
  return {
    port: bound,
    address: `127.0.0.1:${bound}`,
    counts,
    calls,
    count: (method) => counts.get(method) ?? 0,
    failNext: (method, times) => failures.set(method, times),
    others: (...except) => Object.fromEntries([...counts].filter(([k]) => !except.includes(k))),
    async stop() {
      server.forceShutdown();
      upstream.close();
    },
  };
}
