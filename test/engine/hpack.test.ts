/**
 * The HPACK decoder and encoder of the wire client (src/engine/wire/hpack.ts) against RFC 7541's own examples
 * (Appendix C: requests and responses, with and without Huffman, sharing one dynamic table), and the malformed
 * blocks it must refuse rather than misread.
 */
import { describe, expect, test } from "vitest";
import { HpackDecoder, HpackError, encodeHeaderBlock, huffmanDecode } from "../../src/engine/wire/hpack.js";

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");

describe("HPACK", () => {
  test("Huffman strings of RFC 7541 C.4", () => {
    expect(huffmanDecode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"))).toBe("www.example.com");
    expect(huffmanDecode(hex("a8eb 1064 9cbf"))).toBe("no-cache");
    expect(huffmanDecode(hex("25a8 49e9 5ba9 7d7f"))).toBe("custom-key");
    expect(huffmanDecode(hex("25a8 49e9 5bb8 e8b4 bf"))).toBe("custom-value");
  });

  test("C.3 and C.4: three requests on one connection, the dynamic table carried from one to the next", () => {
    for (const [blocks, last] of [
      [["8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", "8286 84be 5808 6e6f 2d63 6163 6865", "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"], "C.3"],
      [["8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf", "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"], "C.4"],
    ] as const) {
      const decoder = new HpackDecoder();
      const decoded = blocks.map((block) => decoder.decode(hex(block)));
      expect(decoded[0], last).toEqual([[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]]);
      expect(decoded[1], last).toEqual([[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"], ["cache-control", "no-cache"]]);
      expect(decoded[2], last).toEqual([[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [":authority", "www.example.com"], ["custom-key", "custom-value"]]);
    }
  });

  test("C.6.1: a Huffman-coded response", () => {
    const block = hex(
      "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
    );
    expect(new HpackDecoder().decode(block)).toEqual([
      [":status", "302"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ]);
  });

  test("a table size update evicts what no longer fits; a later reference to it is refused", () => {
    const decoder = new HpackDecoder();
    expect(decoder.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65 be"))).toEqual([
      ["custom-key", "custom-value"],
      ["custom-key", "custom-value"],
    ]);
    expect(() => decoder.decode(hex("20 be"))).toThrow(HpackError);
  });

  test("malformed blocks are refused: a cut field, unknown indexes, Huffman padding too long or not ones, EOS, a table over 4096", () => {
    expect(new HpackDecoder().decode(hex("3fe1 1f"))).toEqual([]); // exactly 4096 is allowed
    for (const block of ["40 0a 6375 7374", "c0", "ff 00", "04 81 ff", "04 81 00", "04 84 ffff ffff", "3fe2 1f"]) {
      expect(() => new HpackDecoder().decode(hex(block)), block).toThrow(HpackError);
    }
  });

  test("a small block naming one big table entry many times is refused past the header list limit", () => {
    const entry = Buffer.concat([hex("40 01 78 7f e9 06"), Buffer.alloc(1000, 0x61)]); // x: "a" × 1000, indexed
    const bomb = Buffer.concat([entry, Buffer.alloc(300, 0xbe)]);
    expect(new HpackDecoder().decode(Buffer.concat([entry, Buffer.alloc(3, 0xbe)]), 256 * 1024)).toHaveLength(4);
    expect(() => new HpackDecoder().decode(bomb, 256 * 1024)).toThrow(/header list over/);
  });

  test("the encoder refuses what a header cannot carry as written (outside printable ASCII)", () => {
    expect(() => encodeHeaderBlock([["taskhub", "caf\u00e9"]])).toThrow(HpackError);
    expect(() => encodeHeaderBlock([["taskhub", "a\nb"]])).toThrow(HpackError);
  });

  test("what the encoder writes, the decoder reads back (long values use multi-byte lengths)", () => {
    const fields: Array<[string, string]> = [
      [":path", "/TaskHubSidecarService/GetInstance"],
      ["authorization", "Bearer " + "x".repeat(300)],
      ["grpc-message", "caf%C3%A9"],
    ];
    expect(new HpackDecoder().decode(encodeHeaderBlock(fields))).toEqual(fields);
  });
});
