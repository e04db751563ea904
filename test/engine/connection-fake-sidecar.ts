import { Server, ServerCredentials, type Metadata, type ServiceDefinition, type UntypedServiceImplementation, type sendUnaryData } from "@grpc/grpc-js";

/**
 * A tiny stand-in for a remote Durable Task scheduler (the outside world of the connection layer): it records the
 * headers of every call. Messages are raw bytes: Hello and GetInstance answer with an empty message
 * (an absent instance), GetWorkItems keeps its stream open.
 */
export interface RecordedCall {
  method: string;
  headers: Record<string, string>;
}

export interface FakeSidecar {
  port: number;
  calls: RecordedCall[];
  /** Fail every call with this gRPC status code (e.g. 16 UNAUTHENTICATED) unless undefined. */
  failWith?: number;
  stop(): Promise<void>;
}

const raw = { serialize: (b: Buffer) => b, deserialize: (b: Buffer) => b };
const method = (name: string, responseStream = false) => ({
  path: `/TaskHubSidecarService/${name}`,
  requestStream: false,
  responseStream,
  requestSerialize: raw.serialize,
  requestDeserialize: raw.deserialize,
  responseSerialize: raw.serialize,
  responseDeserialize: raw.deserialize,
});

const definition = {
  Hello: method("Hello"),
  GetInstance: method("GetInstance"),
  GetWorkItems: method("GetWorkItems", true),
} as unknown as ServiceDefinition;

function headersOf(metadata: Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.getMap())) out[k] = String(v);
  return out;
}

export async function startFakeSidecar(port = 0): Promise<FakeSidecar> {
  const server = new Server();
  const fake: FakeSidecar = { port: 0, calls: [], stop: async () => {} };
  const unary = (name: string) => (call: { metadata: Metadata }, callback: sendUnaryData<Buffer>) => {
    fake.calls.push({ method: name, headers: headersOf(call.metadata) });
    if (fake.failWith !== undefined) callback({ code: fake.failWith, details: "refused by the fake" });
    else callback(null, Buffer.alloc(0));
  };
  const impl: UntypedServiceImplementation = {
    Hello: unary("Hello"),
    GetInstance: unary("GetInstance"),
    GetWorkItems: (call: { metadata: Metadata; on(e: string, f: () => void): unknown; end(): void }) => {
      fake.calls.push({ method: "GetWorkItems", headers: headersOf(call.metadata) });
      call.on("cancelled", () => call.end());
    },
  };
  server.addService(definition, impl);
  fake.port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  fake.stop = () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => server.forceShutdown());
  return fake;
}
