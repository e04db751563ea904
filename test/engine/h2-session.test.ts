/**
 * The wire client's own HTTP/2 connection (src/engine/wire/h2-session.ts) against node:http2's server (nghttp2, as in
 * grpc-js's server): bodies bigger than the initial windows both ways and more data than the connection's receive
 * window over one connection (flow control), a header block split over CONTINUATION frames, the server's PING, and a
 * GOAWAY that leaves a stream out. The real hub's answers are covered by test/cli/lean-path.test.ts.
 */
import { createServer, type Http2Server, type Http2Session, type ServerHttp2Stream } from "node:http2";
import { createServer as createTcpServer } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { H2Session, type StreamEnd } from "../../src/engine/wire/h2-session.js";

let server: Http2Server;
let address: string;
const serverSessions: Http2Session[] = [];
const held: ServerHttp2Stream[] = [];

/** What the stand-in does, by request path. */
const routes: Record<string, (stream: ServerHttp2Stream, body: Buffer) => void> = {
  "/echo-size": (s, body) => {
    s.respond({ ":status": 200, "x-request-bytes": String(body.length) });
    s.end(Buffer.alloc(3 * 1024 * 1024, body.length % 251));
  },
  "/big-header": (s) => s.respond({ ":status": 200, "x-big": "v".repeat(40_000) }, { endStream: true }),
  "/hold": (s) => held.push(s),
};

beforeAll(async () => {
  server = createServer();
  server.on("session", (session) => serverSessions.push(session));
  server.on("stream", (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => routes[String(headers[":path"])]!(stream, Buffer.concat(chunks)));
    stream.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface Answer {
  headers: Record<string, string>;
  bytes: number;
  firstByte?: number;
  end: StreamEnd;
}

function call(session: H2Session, path: string, body = Buffer.alloc(5)): Promise<Answer> {
  return new Promise((resolve) => {
    const answer: Partial<Answer> & { headers: Record<string, string>; bytes: number } = { headers: {}, bytes: 0 };
    session.request([[":method", "POST"], [":path", path]], body, {
      headers: (fields) => fields.forEach(([name, value]) => (answer.headers[name] = value)),
      data: (chunk) => {
        answer.firstByte ??= chunk[0];
        answer.bytes += chunk.length;
      },
      close: (end) => resolve({ ...answer, end }),
    });
  });
}

const connect = () => H2Session.connect(address, 2000, () => new Error("no connection"));

/** A server written frame by frame: its SETTINGS, then `answer` once the client's first request has come in. */
async function withRawServer(answer: Buffer, use: (session: H2Session) => Promise<void>): Promise<void> {
  const raw = createTcpServer((socket) => {
    socket.write(Buffer.from("000000040000000000", "hex"));
    // The client's preface (24 bytes), SETTINGS (9 + 12), WINDOW_UPDATE (9 + 4) and SETTINGS ack (9) come first.
    const beforeRequest = 24 + 21 + 13 + 9;
    let seen = 0;
    socket.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > beforeRequest && seen - chunk.length <= beforeRequest) socket.write(answer);
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
  const session = await H2Session.connect(`127.0.0.1:${(raw.address() as { port: number }).port}`, 2000, () => new Error("no connection"));
  try {
    await use(session);
  } finally {
    session.destroy();
    await new Promise((resolve) => raw.close(resolve));
  }
}

describe("the wire client's HTTP/2 connection", () => {
  test("a 1 MiB request and 3 MiB answers, six calls on one connection: flow control both ways", async () => {
    const session = await connect();
    try {
      const answers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => call(session, "/echo-size", Buffer.alloc(1024 * 1024 + i))));
      answers.forEach((answer, i) => {
        expect(answer.end).toEqual({ kind: "end" });
        expect(answer.headers[":status"]).toBe("200");
        expect(answer.headers["x-request-bytes"]).toBe(String(1024 * 1024 + i));
        expect(answer.bytes).toBe(3 * 1024 * 1024);
        expect(answer.firstByte).toBe((1024 * 1024 + i) % 251);
      });
    } finally {
      session.destroy();
    }
  });

  test("a header block over one frame arrives whole (CONTINUATION), and the connection goes on", async () => {
    const session = await connect();
    try {
      const answer = await call(session, "/big-header");
      expect(answer.headers["x-big"]).toBe("v".repeat(40_000));
      expect((await call(session, "/echo-size")).headers["x-request-bytes"]).toBe("5");
    } finally {
      session.destroy();
    }
  });

  test("a header block over 256 KiB ends the connection instead of growing without end", async () => {
    const frameHeader = (type: number, flags: number, length: number) => Buffer.from([length >> 16, (length >> 8) & 0xff, length & 0xff, type, flags, 0, 0, 0, 1]);
    const part = Buffer.alloc(16_384, 0x41);
    const endless = Buffer.concat([frameHeader(1, 0, part.length), part, ...Array.from({ length: 16 }, () => [frameHeader(9, 0, part.length), part]).flat()]);
    await withRawServer(endless, async (session) => {
      expect((await call(session, "/anything")).end).toMatchObject({ kind: "error", message: expect.stringContaining("header block over") });
    });
  });

  test("a header block in more than 64 frames (tiny CONTINUATIONs) ends the connection", async () => {
    const frameHeader = (type: number, length: number) => Buffer.from([0, 0, length, type, 0, 0, 0, 0, 1]);
    const flood = Buffer.concat([frameHeader(1, 1), Buffer.from([0x88]), ...Array.from({ length: 100 }, () => [frameHeader(9, 1), Buffer.from([0x88])]).flat()]);
    await withRawServer(flood, async (session) => {
      expect((await call(session, "/anything")).end).toMatchObject({ kind: "error", message: expect.stringContaining("64 frames") });
    });
  });

  test("a SETTINGS_MAX_FRAME_SIZE outside 16384..2^24-1 ends the connection (a frame size of 0 would never finish a write)", async () => {
    await withRawServer(Buffer.from("000006040000000000" + "0005" + "00000000", "hex"), async (session) => {
      expect((await call(session, "/anything")).end).toMatchObject({ kind: "error", message: expect.stringContaining("maximum frame size of 0") });
      expect(session.open).toBe(false);
    });
  });

  test("the server's PING is answered", async () => {
    const session = await connect();
    try {
      await call(session, "/echo-size");
      const serverSide = serverSessions.at(-1)!;
      const acked = await new Promise<boolean>((resolve) => serverSide.ping((error) => resolve(!error)));
      expect(acked).toBe(true);
    } finally {
      session.destroy();
    }
  });

  test("a GOAWAY ends the streams it left out as refused, lets the others finish, and no new stream opens", async () => {
    const session = await connect();
    const kept = call(session, "/hold");
    await expect.poll(() => held.length).toBe(1);
    // nghttp2 names stream 1 as processed: it stays open and is answered after the GOAWAY.
    serverSessions.at(-1)!.goaway(0, 0);
    await expect.poll(async () => (await call(session, "/echo-size")).end).toMatchObject({ kind: "error", message: expect.stringContaining("GOAWAY") });
    held[0]!.respond({ ":status": 200 }, { endStream: true });
    expect((await kept).end).toEqual({ kind: "end" });
    session.destroy();

    // A server that processed nothing (last stream 0): the open stream is refused.
    await withRawServer(Buffer.from("000008070000000000" + "00000000" + "00000000", "hex"), async (rawSession) => {
      expect((await call(rawSession, "/anything")).end).toEqual({ kind: "reset", code: 7 });
    });
  });

  test("a lost connection ends the open streams with an error", async () => {
    const session = await connect();
    const pending = call(session, "/hold");
    await expect.poll(() => held.length).toBe(2);
    serverSessions.at(-1)!.destroy();
    expect((await pending).end).toMatchObject({ kind: "error" });
    session.destroy();
  });
});
