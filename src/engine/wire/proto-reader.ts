/**
 * A protobuf reader for the messages the wire client receives: walks the fields of one message, reads varints,
 * strings and nested messages, and skips what it does not know (fields a newer backend adds, or ones we ignore).
 * Malformed input throws ProtoDecodeError.
 */
export class ProtoDecodeError extends Error {
  constructor(message: string) {
    super(`malformed protobuf: ${message}`);
    this.name = "ProtoDecodeError";
  }
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

export class ProtoReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** Calls `onField(field, wireType)` for each field in order; the callback reads the value or calls `skip`. */
  forEachField(onField: (field: number, wireType: number) => void): void {
    while (this.pos < this.end) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      if (field === 0) throw new ProtoDecodeError("field number 0");
      const before = this.pos;
      onField(field, key % 8);
      if (this.pos === before) this.skip(key % 8);
    }
    if (this.pos !== this.end) throw new ProtoDecodeError("a field runs past the end of its message");
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ProtoDecodeError("truncated");
    return this.buf[this.pos++]!;
  }

  /** An unsigned varint up to 2^53 (larger values lose precision; none of our fields carries one). */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    throw new ProtoDecodeError("varint longer than ten bytes");
  }

  /** int32 / int64 / enum: a varint read as two's complement (negative values are ten bytes long). */
  int(): number {
    const start = this.pos;
    const value = this.varint();
    if (value < 2 ** 53) return value;
    // Negative (or huge) values: exact in 64 bits, then as a number.
    let big = 0n;
    for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf[i]! & 0x7f);
    return Number(BigInt.asIntN(64, big));
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  private length(): number {
    const n = this.varint();
    if (n > this.end - this.pos) throw new ProtoDecodeError("length past the end of the message");
    return n;
  }

  string(): string {
    const n = this.length();
    const text = this.buf.toString("utf8", this.pos, this.pos + n);
    this.pos += n;
    return text;
  }

  /** A reader over the nested message at this field. */
  message(): ProtoReader {
    const n = this.length();
    const inner = new ProtoReader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return inner;
  }

  /** A repeated varint field, packed or not. */
  varints(wireType: number, into: number[]): void {
    if (wireType !== LENGTH_DELIMITED) {
      into.push(this.int());
      return;
    }
    const inner = this.message();
    while (inner.pos < inner.end) into.push(inner.int());
  }

  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
        this.advance(8);
        return;
      case LENGTH_DELIMITED:
        this.advance(this.length());
        return;
      case FIXED32:
        this.advance(4);
        return;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new ProtoDecodeError("truncated");
    this.pos += n;
  }
}
