/**
 * The wire client's unary call against answers our hub gives rarely or never (a stand-in HTTP/2 server on loopback
 * plays them): a trailers-only error, an error with trailers, a proxy's HTTP status, a server that never answers, one
 * that drops the connection, a compressed or oversized answer. Each becomes the gRPC code grpc-js would give, and the
 * engine's error mapping makes of it what it makes of the SDK's errors (exit codes included).
 */
import { createServer, type Http2Server, type ServerHttp2Stream } from "node:http2";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BackendStorageError, BackendUnreachableError, ConfigError, NotFoundError } from "../../src/errors.js";
import { toEngineError } from "../../src/engine/connection/errors.js";
import { STORAGE_FULL_TRAILER } from "../../src/engine/storage-full.js";
import { GrpcStatus } from "../../src/engine/wire/grpc-status.js";
import { H2Session } from "../../src/engine/wire/h2-session.js";
import { MAX_RESPONSE_BYTES, WireCallError, unaryCall } from "../../src/engine/wire/unary-call.js";
import { WireClient } from "../../src/engine/wire/wire-client.js";
import { preDial } from "../../src/engine/wire/pre-dial.js";
import type { ConnectionInfo } from "../../src/engine/types.js";

/** What the stand-in does for an instance id (the GetInstance request carries it as field 1). */
const behaviours: Record<string, (stream: ServerHttp2Stream) => void> = {
  "trailers-only": (s) => s.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "5", "grpc-message": "No instance %27x%27 %E2%9C%93" }, { endStream: true }),
  "with-trailers": (s) => {
    s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "8", "grpc-message": "disk full", [STORAGE_FULL_TRAILER]: "1" }));
    s.end();
  },
  "http-503": (s) => s.respond({ ":status": 503 }, { endStream: true }),
  "refused-token": (s) => s.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "16", "grpc-message": "Missing or wrong hub token" }, { endStream: true }),
  silent: () => {},
  "drop-connection": (s) => s.session?.destroy(),
  compressed: (s) => answer(s, Buffer.from([1, 0, 0, 0, 1, 0])),
  oversized: (s) => answer(s, Buffer.alloc(MAX_RESPONSE_BYTES + 64 * 1024)),
  absent: (s) => answer(s, frame(Buffer.alloc(0))),
  // The server's GOAWAY (a restart, a maximum connection age) naming this stream as the last: it is answered.
  "goaway-first": (s) => {
    s.session?.goaway(0, s.id);
    answer(s, frame(Buffer.alloc(0)));
  },
};

function frame(message: Buffer): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

function answer(s: ServerHttp2Stream, body: Buffer): void {
  s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
  s.end(body);
}

let server: Http2Server;
/** Connections the stand-in has accepted. */
let opened = 0;
let address: string;
const seen: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  server = createServer();
  server.on("session", () => opened++);
  server.on("stream", (stream, headers) => {
    seen.push({ ...headers });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const id = Buffer.concat(chunks).subarray(7).toString("utf8").replace(/\u0010\u0001$/, "");
      (behaviours[id] ?? behaviours.absent!)(stream);
    });
    stream.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const info: ConnectionInfo = { kind: "embedded", location: "/tmp/hub.sqlite", taskHub: "default", address: "127.0.0.1:1" };

async function failureOf(id: string): Promise<WireCallError> {
  const client = await WireClient.connect({ address, metadata: { taskhub: "hub-a", authorization: "Bearer t0k" } }, 2000);
  try {
    const error = await client.getInstance(id, false).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, id).toBeInstanceOf(WireCallError);
    return error as WireCallError;
  } finally {
    client.close();
  }
}

describe("the wire client's unary call", () => {
  test("goes over the connection pre-dialed to its address (pre-dial.ts), opened before it was needed", async () => {
    const before = opened;
    preDial(address, "127.0.0.1", Number(address.split(":")[1]));
    for (const deadline = Date.now() + 5000; opened === before; ) {
      if (Date.now() > deadline) throw new Error("the pre-dialed connection was not accepted");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const client = await WireClient.connect({ address, metadata: { taskhub: "hub-a" } }, 2000);
    expect(await client.getInstance("absent", false)).toBeUndefined();
    client.close();
    expect(opened).toBe(before + 1);
  });

  test("sends the call's headers: path, gRPC content type, deadline, task hub and token", async () => {
    const client = await WireClient.connect({ address, metadata: { taskhub: "hub-a", authorization: "Bearer t0k" } }, 2000);
    expect(await client.getInstance("absent", false)).toBeUndefined();
    client.close();
    expect(seen.at(-1)).toMatchObject({
      ":method": "POST",
      ":path": "/TaskHubSidecarService/GetInstance",
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": "60000m",
      taskhub: "hub-a",
      authorization: "Bearer t0k",
    });
  });

  test("statuses from a trailers-only answer and from trailers; the message percent-decoded; trailers kept", async () => {
    const notFound = await failureOf("trailers-only");
    expect([notFound.code, notFound.details, notFound.message]).toEqual([GrpcStatus.NOT_FOUND, "No instance 'x' ✓", "5 NOT_FOUND: No instance 'x' ✓"]);
    expect(toEngineError(notFound, info, "get x")).toBeInstanceOf(NotFoundError);
    const full = await failureOf("with-trailers");
    expect(full.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(full.metadata.get(STORAGE_FULL_TRAILER)).toEqual(["1"]);
    expect(toEngineError(full, info, "start")).toBeInstanceOf(BackendStorageError);
    const refused = toEngineError(await failureOf("refused-token"), info, "list");
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused.message).toBe("list: the embedded hub (/tmp/hub.sqlite at 127.0.0.1:1) refused the credentials: UNAUTHENTICATED: Missing or wrong hub token");
  });

  test("no answer, a dropped connection and a proxy's 503 are unreachable (exit 4)", async () => {
    const session = await H2Session.connect(address, 2000, () => new Error("no connection"));
    const late = await unaryCall(session, "/TaskHubSidecarService/GetInstance", Buffer.from("\n\u0006silent"), {}, 200).catch((e: unknown) => e);
    session.destroy();
    expect((late as WireCallError).code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    for (const error of [late as WireCallError, await failureOf("drop-connection"), await failureOf("http-503")]) {
      expect([GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.UNAVAILABLE]).toContain(error.code);
      expect(toEngineError(error, info, "list")).toBeInstanceOf(BackendUnreachableError);
    }
  });

  test("a compressed answer and one over the receive limit are refused, not misread", async () => {
    expect((await failureOf("compressed")).code).toBe(GrpcStatus.INTERNAL);
    expect((await failureOf("oversized")).code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  });

  test("after the server's GOAWAY the next call goes over a new connection; a header that cannot be sent fails only its call", async () => {
    const client = await WireClient.connect({ address, metadata: { taskhub: "hub-a" } }, 2000);
    try {
      const before = opened;
      expect(await client.getInstance("goaway-first", false)).toBeUndefined();
      expect(await client.getInstance("absent", false)).toBeUndefined();
      expect(opened).toBe(before + 1);
      const bad = await WireClient.connect({ address, metadata: { taskhub: "caf\u00e9" } }, 2000);
      const error = await bad.getInstance("absent", false).catch((e: unknown) => e);
      expect([(error as WireCallError).code, (error as WireCallError).details]).toEqual([GrpcStatus.INTERNAL, expect.stringContaining("outside printable ASCII")]);
      bad.close();
    } finally {
      client.close();
    }
  });

  test("a port that refuses the connection fails the connect, before anything is sent", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(WireClient.connect({ address: `127.0.0.1:${port}`, metadata: {} }, 2000)).rejects.toThrow(/ECONNREFUSED/);
  });
});
