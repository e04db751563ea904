/**
 * HPACK (RFC 7541), the header compression of HTTP/2, as much as a client of unary gRPC calls needs: a decoder for
 * the server's header blocks (static and dynamic table, Huffman strings) and an encoder that writes every field as a
 * plain literal (never indexed, no Huffman: a request's few headers are not worth compressing, and nothing of ours
 * then lingers in the server's table). Header values are octets; they are read as latin1, as node:http2 does.
 * Malformed input throws HpackError (the connection cannot go on: its decoding state is lost).
 */
export class HpackError extends Error {
  constructor(message: string) {
    super(`malformed header block: ${message}`);
    this.name = "HpackError";
  }
}

export type HeaderField = [name: string, value: string];

/** RFC 7541 Appendix A. */
const STATIC_TABLE: readonly HeaderField[] = (
  ":authority|:method GET|:method POST|:path /|:path /index.html|:scheme http|:scheme https|:status 200|:status 204|" +
  ":status 206|:status 304|:status 400|:status 404|:status 500|accept-charset|accept-encoding gzip, deflate|" +
  "accept-language|accept-ranges|accept|access-control-allow-origin|age|allow|authorization|cache-control|" +
  "content-disposition|content-encoding|content-language|content-length|content-location|content-range|" +
  "content-type|cookie|date|etag|expect|expires|from|host|if-match|if-modified-since|if-none-match|if-range|" +
  "if-unmodified-since|last-modified|link|location|max-forwards|proxy-authenticate|proxy-authorization|range|" +
  "referer|refresh|retry-after|server|set-cookie|strict-transport-security|transfer-encoding|user-agent|vary|via|" +
  "www-authenticate"
)
  .split("|")
  .map((entry) => {
    const space = entry.indexOf(" ");
    return space < 0 ? [entry, ""] : [entry.slice(0, space), entry.slice(space + 1)];
  });

/**
 * RFC 7541 Appendix B, the Huffman code's length in bits for each octet 0–255 and then EOS (256), one letter each:
 * "A" = 5 bits … "Z" = 30. The code is canonical (codes are assigned in order of length, then of symbol), so these
 * lengths define it; test/engine/hpack.test.ts checks the RFC's examples.
 */
const HUFFMAN_CODE_LENGTHS =
  "ISXXXXXXXTZXXZXXXXXXXXZXXXXXXXXXBFFHIBDGFFDGDBBBAAABBBBBBBCDKBHFIBCCCCCCCCCCCCCCCCCCCCCCDCDIOIJBKABABABBBACCBBBABCB" +
  "AABCCCCCKGJIXPRPPRRRSRSSSSSTSTTRSTSSSSQRSRSSTRQPRRSSQSRRTQRSSQQRQSRSSPRRRSRRSVVPORSRUVVVWWVTUOQVWWVWTQQVVXWWWPTPQRQQ" +
  "SRRUUTTVSVWVVWWWWWXWWWWWVZ";
const EOS = 256;

/**
 * The decoding tree: node n's children are at [2n] (bit 0) and [2n + 1] (bit 1); a child is another node's index, or
 * -(symbol + 1) for a leaf. Built on first use.
 */
let huffmanTree: Int32Array | undefined;

function buildHuffmanTree(): Int32Array {
  const lengths = Array.from(HUFFMAN_CODE_LENGTHS, (letter) => letter.charCodeAt(0) - 60);
  const symbols = lengths.map((_, symbol) => symbol).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const tree = new Int32Array(2 * symbols.length);
  let nodes = 1;
  let code = 0;
  let previousLength = lengths[symbols[0]!]!;
  symbols.forEach((symbol, i) => {
    const length = lengths[symbol]!;
    if (i > 0) code = (code + 1) << (length - previousLength);
    previousLength = length;
    let node = 0;
    for (let bit = length - 1; bit > 0; bit--) {
      const slot = 2 * node + ((code >>> bit) & 1);
      if (tree[slot] === 0) tree[slot] = nodes++;
      node = tree[slot]!;
    }
    tree[2 * node + (code & 1)] = -(symbol + 1);
  });
  return tree;
}

export function huffmanDecode(bytes: Uint8Array): string {
  const tree = (huffmanTree ??= buildHuffmanTree());
  const out = Buffer.allocUnsafe(Math.ceil((bytes.length * 8) / 5));
  let length = 0;
  let node = 0;
  let pendingBits = 0;
  let pendingAllOnes = true;
  for (const byte of bytes) {
    for (let shift = 7; shift >= 0; shift--) {
      const bit = (byte >> shift) & 1;
      const next = tree[2 * node + bit]!;
      if (next < 0) {
        if (-next - 1 === EOS) throw new HpackError("EOS inside a Huffman string");
        out[length++] = -next - 1;
        node = 0;
        pendingBits = 0;
        pendingAllOnes = true;
      } else {
        node = next;
        pendingBits++;
        pendingAllOnes &&= bit === 1;
      }
    }
  }
  // What is left must be padding: at most 7 bits, all ones (the start of EOS).
  if (pendingBits > 7 || !pendingAllOnes) throw new HpackError("bad Huffman padding");
  return out.toString("latin1", 0, length);
}

class BlockReader {
  pos = 0;
  constructor(private readonly block: Uint8Array) {}

  more(): boolean {
    return this.pos < this.block.length;
  }

  peek(): number {
    return this.block[this.pos]!;
  }

  /** An integer with an N-bit prefix (RFC 7541 5.1); bounded to 2^28 (no header is longer). */
  int(prefixBits: number): number {
    const max = (1 << prefixBits) - 1;
    let value = this.byte() & max;
    if (value < max) return value;
    for (let shift = 0; ; shift += 7) {
      if (shift > 21) throw new HpackError("integer too large");
      const b = this.byte();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
  }

  string(): string {
    const huffman = (this.peek() & 0x80) !== 0;
    const length = this.int(7);
    if (this.pos + length > this.block.length) throw new HpackError("a string runs past the end of the block");
    const bytes = this.block.subarray(this.pos, this.pos + length);
    this.pos += length;
    return huffman ? huffmanDecode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
  }

  private byte(): number {
    if (this.pos >= this.block.length) throw new HpackError("the block ends inside a field");
    return this.block[this.pos++]!;
  }
}

/** The table size we announce (SETTINGS_HEADER_TABLE_SIZE's default): the server may not make its table larger. */
const HEADER_TABLE_SIZE = 4096;

const entrySize = ([name, value]: HeaderField) => name.length + value.length + 32;

/** One connection's decoder: its dynamic table follows the server's encoder, so every block must go through it, in order. */
export class HpackDecoder {
  private readonly dynamic: HeaderField[] = [];
  private size = 0;
  private maxSize = HEADER_TABLE_SIZE;

  /**
   * The block's fields, in order. `maxListSize` bounds what they add up to (each name and value plus 32, as
   * SETTINGS_MAX_HEADER_LIST_SIZE counts): a small block can name one big table entry many times over.
   */
  decode(block: Uint8Array, maxListSize = Number.POSITIVE_INFINITY): HeaderField[] {
    const reader = new BlockReader(block);
    const fields: HeaderField[] = [];
    let listSize = 0;
    const take = (field: HeaderField) => {
      listSize += entrySize(field);
      if (listSize > maxListSize) throw new HpackError(`a header list over ${maxListSize} bytes`);
      fields.push(field);
    };
    while (reader.more()) {
      const first = reader.peek();
      if (first & 0x80) {
        take(this.entry(reader.int(7)));
      } else if (first & 0x40) {
        const field = this.literal(reader, 6);
        this.add(field);
        take(field);
      } else if (first & 0x20) {
        const size = reader.int(5);
        if (size > HEADER_TABLE_SIZE) throw new HpackError(`table size ${size} over the ${HEADER_TABLE_SIZE} allowed`);
        this.maxSize = size;
        this.evict();
      } else {
        take(this.literal(reader, 4)); // without indexing, or never indexed
      }
    }
    return fields;
  }

  private literal(reader: BlockReader, prefixBits: number): HeaderField {
    const index = reader.int(prefixBits);
    const name = index === 0 ? reader.string() : this.entry(index)[0];
    return [name, reader.string()];
  }

  private entry(index: number): HeaderField {
    const field = index === 0 ? undefined : index <= STATIC_TABLE.length ? STATIC_TABLE[index - 1] : this.dynamic[index - STATIC_TABLE.length - 1];
    if (!field) throw new HpackError(`no table entry ${index}`);
    return field;
  }

  private add(field: HeaderField): void {
    this.dynamic.unshift(field);
    this.size += entrySize(field);
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize) this.size -= entrySize(this.dynamic.pop()!);
  }
}

/** Writes an integer with an N-bit prefix (RFC 7541 5.1) at `at`, the first byte's other bits set; returns the end. */
function writeInt(out: Buffer, at: number, value: number, prefixBits: number, firstBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out[at++] = firstBits | value;
    return at;
  }
  out[at++] = firstBits | max;
  for (value -= max; value >= 0x80; value = Math.floor(value / 0x80)) out[at++] = (value % 0x80) | 0x80;
  out[at++] = value;
  return at;
}

/** Printable ASCII, what gRPC allows in a (non-binary) header value; grpc-js refuses the rest as well. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A header block of literal fields with new names, never indexed (RFC 7541 6.2.3); names must be lower case.
 * Throws HpackError for a name or value outside printable ASCII (it would not arrive as written).
 */
export function encodeHeaderBlock(fields: readonly HeaderField[]): Buffer {
  for (const [name, value] of fields) {
    if (!PRINTABLE_ASCII.test(name) || !PRINTABLE_ASCII.test(value)) throw new HpackError(`the header '${name}' has characters outside printable ASCII`);
  }
  // Each string takes at most 5 bytes of length before it (lengths stay under 2^28).
  const out = Buffer.allocUnsafe(fields.reduce((sum, [name, value]) => sum + 11 + name.length + value.length, 0));
  let at = 0;
  for (const [name, value] of fields) {
    out[at++] = 0x10;
    for (const text of [name, value]) {
      at = writeInt(out, at, Buffer.byteLength(text, "latin1"), 7, 0);
      at += out.write(text, at, "latin1");
    }
  }
  return out.subarray(0, at);
}
