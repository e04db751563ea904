/**
 * HTTP/2's frame layer (RFC 9113 section 4 and 6) as the client in h2-session.ts writes and reads it: frame types,
 * flags and settings, the 9-byte frame header, and a few payload shapes.
 */
export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
export const FrameType = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
export const END_STREAM = 0x1;
export const ACK = 0x1;
export const END_HEADERS = 0x4;
const PADDED = 0x8;
export const PRIORITY = 0x20;
export const Setting = { ENABLE_PUSH: 2, INITIAL_WINDOW_SIZE: 4, MAX_FRAME_SIZE: 5, MAX_HEADER_LIST_SIZE: 6 } as const;

/** RST_STREAM and GOAWAY codes we send or read. */
export const H2Error = { NO_ERROR: 0, PROTOCOL_ERROR: 1, CANCEL: 8, REFUSED_STREAM: 7 } as const;

export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return payload.length ? Buffer.concat([header, payload]) : header;
}

export function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

export function settingsPayload(settings: Array<[id: number, value: number]>): Buffer {
  const out = Buffer.alloc(6 * settings.length);
  settings.forEach(([id, value], i) => {
    out.writeUInt16BE(id, 6 * i);
    out.writeUInt32BE(value, 6 * i + 2);
  });
  return out;
}

/** A frame's payload without its padding (and a HEADERS frame's priority fields). */
export function unpadded(flags: number, payload: Buffer, priorityBytes: number): Buffer {
  const padLength = flags & PADDED ? payload[0]! : 0;
  const start = (flags & PADDED ? 1 : 0) + priorityBytes;
  if (start + padLength > payload.length) throw new H2ProtocolError("padding longer than the frame");
  return payload.subarray(start, payload.length - padLength);
}

/** The server broke the protocol: the connection cannot go on. */
export class H2ProtocolError extends Error {
  override name = "H2ProtocolError";
}
