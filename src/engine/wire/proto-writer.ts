/**
 * A protobuf (proto3) writer for the few messages the wire client sends: varints, strings, booleans and nested
 * messages, written in field-number order as the SDK's generated code writes them. Values equal to proto3's
 * defaults are left out, as protobuf does.
 */
const VARINT = 0;
const LENGTH_DELIMITED = 2;

export class ProtoWriter {
  private readonly bytes: number[] = [];
  private readonly parts: Buffer[] = [];

  /** Unsigned varint of a non-negative integer up to 2^53. */
  private varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }

  private flush(): void {
    if (this.bytes.length) this.parts.push(Buffer.from(this.bytes.splice(0)));
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** int32 / enum / int64 (negative values as their 64-bit two's complement, ten bytes). */
  int(field: number, value: number | undefined): this {
    if (!value) return this;
    this.tag(field, VARINT);
    if (value >= 0) this.varint(value);
    else this.varint64Negative(value);
    return this;
  }

  private varint64Negative(value: number): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  bool(field: number, value: boolean | undefined): this {
    if (!value) return this;
    this.tag(field, VARINT);
    this.bytes.push(1);
    return this;
  }

  string(field: number, value: string | undefined): this {
    if (!value) return this;
    return this.bytesField(field, Buffer.from(value, "utf8"));
  }

  /** A nested message, written even when empty (as protobuf writes a set sub-message); nothing when undefined. */
  message(field: number, value: ProtoWriter | undefined): this {
    if (value === undefined) return this;
    return this.bytesField(field, value.finish());
  }

  /** A packed repeated enum / int32 (non-negative values). */
  packed(field: number, values: readonly number[] | undefined): this {
    if (!values?.length) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytesField(field, inner.finish());
  }

  private bytesField(field: number, value: Buffer): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(value.length);
    this.flush();
    this.parts.push(value);
    return this;
  }

  finish(): Buffer {
    this.flush();
    return Buffer.concat(this.parts);
  }
}
