/**
 * A plaintext HTTP/2 client connection (RFC 9113, "prior knowledge": no upgrade) over a TCP socket, as much as unary
 * gRPC calls need: requests with a body, answers with headers, data and trailers, both directions' flow control, and
 * the connection's housekeeping (SETTINGS, PING, GOAWAY, RST_STREAM). It exists because loading node:http2 costs a
 * one-shot command about 50 ms (it loads tls, http and nghttp2's binding), a quarter of `list` (issue 12);
 * node:net is already loaded at start-up. No push (we turn it off), no priorities, no TLS.
 */
import { connect as connectTcp, type Socket } from "node:net";
import {
  ACK,
  END_HEADERS,
  END_STREAM,
  FrameType,
  H2Error,
  H2ProtocolError,
  PREFACE,
  PRIORITY,
  Setting,
  frame,
  settingsPayload,
  uint32,
  unpadded,
} from "./h2-frames.js";
import { HpackDecoder, HpackError, encodeHeaderBlock, type HeaderField } from "./hpack.js";
import { takePreDialed } from "./pre-dial.js";

const DEFAULT_WINDOW = 65_535;
const DEFAULT_MAX_FRAME = 16_384;
/** What the server may send on one stream before we read it: more than an answer may be (unary-call.ts's limit). */
const STREAM_RECEIVE_WINDOW = 16 * 1024 * 1024;
/** The connection's receive window, topped up whenever this much of it has been used. */
const CONNECTION_RECEIVE_WINDOW = 16 * 1024 * 1024;
const WINDOW_TOP_UP = 1024 * 1024;
const MAX_WINDOW = 2 ** 31 - 1;
/**
 * The largest header list we take (announced as SETTINGS_MAX_HEADER_LIST_SIZE, counted as RFC 9113 does), and of its
 * encoded block: a bigger one ends the connection (only a runaway server sends one: gRPC's own limit is 8 KiB).
 */
const MAX_HEADER_LIST = 256 * 1024;
/** Frames one header block may span: 16 full frames fill MAX_HEADER_LIST; many tiny ones are a flood. */
const MAX_HEADER_FRAMES = 64;
/** SETTINGS_MAX_FRAME_SIZE's legal range (RFC 9113 6.5.2). */
const MAX_FRAME_SIZE_LIMIT = 2 ** 24 - 1;

/** How a stream ended: its END_STREAM, the server's RST_STREAM (or a GOAWAY that left it out), or a lost connection. */
export type StreamEnd = { kind: "end" } | { kind: "reset"; code: number } | { kind: "error"; message: string };

export interface StreamHandler {
  /** A header block: the answer's headers first, then (if any) its trailers; `endStream` when it ends the stream. */
  headers(fields: HeaderField[], endStream: boolean): void;
  data(chunk: Buffer): void;
  /** Called once; nothing else is called after it. */
  close(end: StreamEnd): void;
}

interface Stream {
  readonly id: number;
  readonly handler: StreamHandler;
  sendWindow: number;
  /** The request body not yet sent (flow control holds it back). */
  unsent: Buffer;
}

export class H2Session {
  private readonly streams = new Map<number, Stream>();
  private readonly decoder = new HpackDecoder();
  private nextStreamId = 1;
  private received: Buffer = Buffer.alloc(0);
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = DEFAULT_MAX_FRAME;
  private sendWindow = DEFAULT_WINDOW;
  private receivedSinceTopUp = 0;
  /** A header block split over CONTINUATION frames, until its END_HEADERS. */
  private pendingBlock: { streamId: number; endStream: boolean; parts: Buffer[]; bytes: number } | undefined;
  /** Set by GOAWAY or a lost connection: no new streams. */
  private closedReason: string | undefined;
  /** Called once, at the server's first SETTINGS (connect resolves then). */
  private onSettings: (() => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly authority: string,
  ) {}

  /**
   * Connects to `address` (host:port, an IPv6 host in brackets) and resolves once the server's SETTINGS arrive (proof
   * that an HTTP/2 server answers); rejects with the socket's error (ECONNREFUSED …), or `onTimeout()`'s after `timeoutMs`.
   */
  static connect(address: string, timeoutMs: number, onTimeout: () => Error): Promise<H2Session> {
    return new Promise((resolve, reject) => {
      const colon = address.lastIndexOf(":");
      const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
      const preDialed = takePreDialed(address);
      const socket = preDialed ?? connectTcp({ host, port: Number(address.slice(colon + 1)), noDelay: true });
      const session = new H2Session(socket, address);
      const timer = setTimeout(() => fail(onTimeout()), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      socket.once("error", fail);
      socket.once("close", () => fail(new Error(`the connection to ${session.authority} closed before the server's SETTINGS`)));
      const sendPreface = () => {
        socket.write(
          Buffer.concat([
            PREFACE,
            frame(FrameType.SETTINGS, 0, 0, settingsPayload([
              [Setting.ENABLE_PUSH, 0],
              [Setting.INITIAL_WINDOW_SIZE, STREAM_RECEIVE_WINDOW],
              [Setting.MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST],
            ])),
            frame(FrameType.WINDOW_UPDATE, 0, 0, uint32(CONNECTION_RECEIVE_WINDOW - DEFAULT_WINDOW)),
          ]),
        );
      };
      if (preDialed && !preDialed.connecting) sendPreface();
      else socket.once("connect", sendPreface);
      session.onSettings = () => {
        clearTimeout(timer);
        socket.removeAllListeners("error").removeAllListeners("close");
        socket.on("error", (error) => session.lost(error.message));
        socket.on("close", () => session.lost("the connection closed"));
        resolve(session);
      };
      socket.on("data", (chunk: Buffer) => session.receive(chunk));
    });
  }

  /**
   * Opens a stream: sends the request's headers (pseudo-headers `:scheme` and `:authority` added) and its whole
   * body, then calls `handler` as the answer arrives. Returns a function that cancels the stream (RST_STREAM CANCEL).
   */
  request(fields: readonly HeaderField[], body: Buffer, handler: StreamHandler): () => void {
    if (this.closedReason !== undefined) {
      const reason = this.closedReason;
      queueMicrotask(() => handler.close({ kind: "error", message: reason }));
      return () => {};
    }
    const [pseudo, rest] = [fields.filter(([n]) => n.startsWith(":")), fields.filter(([n]) => !n.startsWith(":"))];
    const block = encodeHeaderBlock([...pseudo, [":scheme", "http"], [":authority", this.authority], ...rest]);
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream: Stream = { id, handler, sendWindow: this.peerInitialWindow, unsent: body };
    this.streams.set(id, stream);
    const frames: Buffer[] = [];
    for (let at = 0; at === 0 || at < block.length; at += this.peerMaxFrame) {
      const part = block.subarray(at, at + this.peerMaxFrame);
      const last = at + this.peerMaxFrame >= block.length;
      frames.push(frame(at === 0 ? FrameType.HEADERS : FrameType.CONTINUATION, last ? END_HEADERS : 0, id, part));
    }
    if (body.length === 0) frames.push(frame(FrameType.DATA, END_STREAM, id));
    this.socket.write(Buffer.concat(frames));
    this.sendData(stream);
    return () => {
      if (!this.streams.delete(id)) return;
      if (!this.socket.destroyed) this.socket.write(frame(FrameType.RST_STREAM, 0, id, uint32(H2Error.CANCEL)));
    };
  }

  /** False once the server sent GOAWAY or the connection is lost: a new request would fail at once. */
  get open(): boolean {
    return this.closedReason === undefined;
  }

  /** Closes the connection at once; streams still open end with an error. */
  destroy(): void {
    this.lost("the connection was closed");
    this.socket.destroy();
  }

  /** Sends as much of the stream's body as both windows allow; END_STREAM with its last byte. */
  private sendData(stream: Stream): void {
    const frames: Buffer[] = [];
    while (stream.unsent.length > 0) {
      const size = Math.min(stream.unsent.length, stream.sendWindow, this.sendWindow, this.peerMaxFrame);
      if (size <= 0) break;
      const part = stream.unsent.subarray(0, size);
      stream.unsent = stream.unsent.subarray(size);
      stream.sendWindow -= size;
      this.sendWindow -= size;
      frames.push(frame(FrameType.DATA, stream.unsent.length === 0 ? END_STREAM : 0, stream.id, part));
    }
    if (frames.length) this.socket.write(Buffer.concat(frames));
  }

  private receive(chunk: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
    try {
      while (this.received.length >= 9) {
        const length = this.received.readUIntBE(0, 3);
        // We announce no larger SETTINGS_MAX_FRAME_SIZE: a bigger frame is an error, and is not buffered.
        if (length > DEFAULT_MAX_FRAME) throw new H2ProtocolError(`a frame of ${length} bytes`);
        if (this.received.length < 9 + length) break;
        const type = this.received[3]!;
        const flags = this.received[4]!;
        const streamId = this.received.readUInt32BE(5) & 0x7fffffff;
        const payload = this.received.subarray(9, 9 + length);
        this.received = this.received.subarray(9 + length);
        this.onFrame(type, flags, streamId, payload);
      }
    } catch (error) {
      const message = error instanceof H2ProtocolError || error instanceof HpackError ? error.message : String(error);
      if (!this.socket.destroyed) this.socket.write(frame(FrameType.GOAWAY, 0, 0, Buffer.concat([uint32(0), uint32(H2Error.PROTOCOL_ERROR)])));
      this.lost(`the server broke the HTTP/2 protocol: ${message}`);
      this.socket.destroy();
    }
  }

  private onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (this.pendingBlock && type !== FrameType.CONTINUATION) throw new H2ProtocolError("a header block was interrupted");
    switch (type) {
      case FrameType.DATA:
        return this.onData(flags, streamId, payload);
      case FrameType.HEADERS:
        return this.onHeaderBlock(streamId, (flags & END_STREAM) !== 0, (flags & END_HEADERS) !== 0, unpadded(flags, payload, flags & PRIORITY ? 5 : 0));
      case FrameType.CONTINUATION:
        if (!this.pendingBlock || this.pendingBlock.streamId !== streamId) throw new H2ProtocolError("an unexpected CONTINUATION");
        return this.onHeaderBlock(streamId, this.pendingBlock.endStream, (flags & END_HEADERS) !== 0, payload);
      case FrameType.RST_STREAM:
        return this.end(streamId, { kind: "reset", code: payload.readUInt32BE(0) });
      case FrameType.SETTINGS:
        return this.onPeerSettings(flags, payload);
      case FrameType.PING:
        if (!(flags & ACK)) this.socket.write(frame(FrameType.PING, ACK, 0, payload));
        return;
      case FrameType.GOAWAY:
        return this.onGoAway(payload.readUInt32BE(0) & 0x7fffffff, payload.readUInt32BE(4));
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(streamId, payload.readUInt32BE(0) & 0x7fffffff);
      case FrameType.PUSH_PROMISE:
        throw new H2ProtocolError("a PUSH_PROMISE, though push is off");
      default:
        return; // PRIORITY, and frame types of extensions: ignored, as the protocol asks
    }
  }

  private onData(flags: number, streamId: number, payload: Buffer): void {
    // Every DATA frame counts against the connection's window, even one for a stream we cancelled.
    this.receivedSinceTopUp += payload.length;
    if (this.receivedSinceTopUp >= WINDOW_TOP_UP) {
      this.socket.write(frame(FrameType.WINDOW_UPDATE, 0, 0, uint32(this.receivedSinceTopUp)));
      this.receivedSinceTopUp = 0;
    }
    const stream = this.streams.get(streamId);
    if (!stream) return;
    const data = unpadded(flags, payload, 0);
    if (data.length) stream.handler.data(data);
    if (flags & END_STREAM) this.end(streamId, { kind: "end" });
  }

  private onHeaderBlock(streamId: number, endStream: boolean, complete: boolean, part: Buffer): void {
    const block = this.pendingBlock ?? { streamId, endStream, parts: [], bytes: 0 };
    block.parts.push(part);
    block.bytes += part.length;
    if (block.bytes > MAX_HEADER_LIST || block.parts.length > MAX_HEADER_FRAMES) throw new H2ProtocolError(`a header block over ${MAX_HEADER_LIST} bytes or ${MAX_HEADER_FRAMES} frames`);
    if (!complete) {
      this.pendingBlock = block;
      return;
    }
    this.pendingBlock = undefined;
    // Decoded even for a stream we no longer follow: the decoder's table must see every block.
    const fields = this.decoder.decode(block.parts.length === 1 ? block.parts[0]! : Buffer.concat(block.parts), MAX_HEADER_LIST);
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.handler.headers(fields, endStream);
    if (endStream) this.end(streamId, { kind: "end" });
  }

  private onPeerSettings(flags: number, payload: Buffer): void {
    if (flags & ACK) return;
    if (payload.length % 6 !== 0) throw new H2ProtocolError("a SETTINGS frame of odd size");
    for (let at = 0; at < payload.length; at += 6) {
      const id = payload.readUInt16BE(at);
      const value = payload.readUInt32BE(at + 2);
      if (id === Setting.INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW) throw new H2ProtocolError("an initial window over 2^31 - 1");
        for (const stream of this.streams.values()) stream.sendWindow += value - this.peerInitialWindow;
        this.peerInitialWindow = value;
      } else if (id === Setting.MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME || value > MAX_FRAME_SIZE_LIMIT) throw new H2ProtocolError(`a maximum frame size of ${value}`);
        this.peerMaxFrame = value;
      }
    }
    this.socket.write(frame(FrameType.SETTINGS, ACK, 0));
    const first = this.onSettings;
    this.onSettings = undefined;
    first?.();
    for (const stream of this.streams.values()) this.sendData(stream);
  }

  private onGoAway(lastStreamId: number, code: number): void {
    this.closedReason = `the server is closing the connection (GOAWAY, code ${code})`;
    // Streams the server never processed may be retried; the others finish normally.
    for (const id of [...this.streams.keys()]) if (id > lastStreamId) this.end(id, { kind: "reset", code: H2Error.REFUSED_STREAM });
  }

  private onWindowUpdate(streamId: number, increment: number): void {
    if (streamId === 0) {
      this.sendWindow += increment;
      for (const stream of this.streams.values()) this.sendData(stream);
      return;
    }
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.sendWindow += increment;
    this.sendData(stream);
  }

  private end(streamId: number, end: StreamEnd): void {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    this.streams.delete(streamId);
    // The server answered before taking our whole body: the rest will never go, so the stream is closed our side too.
    if (stream.unsent.length > 0 && !this.socket.destroyed) this.socket.write(frame(FrameType.RST_STREAM, 0, streamId, uint32(H2Error.CANCEL)));
    stream.handler.close(end);
  }

  private lost(message: string): void {
    this.closedReason ??= message;
    for (const id of [...this.streams.keys()]) this.end(id, { kind: "error", message });
  }
}
