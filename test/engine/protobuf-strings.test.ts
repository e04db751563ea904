/**
 * google-protobuf's string fields read with TextDecoder (sdk-seam.ts, fastProtobufStrings) give exactly the strings
 * google-protobuf's own reader gives: ASCII, multi-byte and astral characters, a leading BOM, a text longer than its
 * 8,192-unit chunks, a monitor's custom status, and bytes that are not valid UTF-8 (read by google-protobuf's code,
 * which throws where a sequence is cut short by the field's end).
 * The real engine's messages go through it in every engine and UI test (createEngine installs it).
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { fastProtobufStrings, pb, publishedReadString, wellKnownTypes } from "../../src/engine/sdk-seam.js";

/** A StringValue message whose field 1 holds `bytes` as they are (valid UTF-8 or not). */
function stringValueBytes(bytes: Uint8Array): Uint8Array {
  const header: number[] = [0x0a];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      header.push(n);
      break;
    }
    header.push((n & 0x7f) | 0x80);
  }
  return Uint8Array.from([...header, ...bytes]);
}

const TEXTS = [
  "",
  "plain ascii",
  "é ü ß 漢字 한국어 ✅ 🙂 e\u0301",
  "\uFEFFa leading byte-order mark",
  "x".repeat(9000) + "é" + "🙂".repeat(3000),
  JSON.stringify({ jobId: "bench-0001", status: "Running", progress: 42, recent: [{ t: "2026-12-02T00:00:00Z", status: "Running" }] }),
];
const INVALID = [
  [0xff, 0x41],
  [0x41, 0xc3],
  [0xed, 0xa0, 0x80, 0x41],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x99, 0x82, 0x80, 0x42],
].map((b) => Uint8Array.from(b));

const require = createRequire(import.meta.url);

/** The string read, or the error google-protobuf throws (a sequence cut short runs past the field's end). */
function read(message: Uint8Array): string {
  try {
    return wellKnownTypes.StringValue.deserializeBinary(message).getValue();
  } catch (error) {
    return `threw: ${(error as Error).message}`;
  }
}

describe("google-protobuf's strings read with TextDecoder", () => {
  it("reads what google-protobuf's own reader reads, valid UTF-8 or not", () => {
    const messages = [...TEXTS.map((t) => new TextEncoder().encode(t)), ...INVALID].map(stringValueBytes);
    const decoder = Object.getPrototypeOf(new (require("google-protobuf").BinaryReader)(new Uint8Array(0)).a);
    expect(fastProtobufStrings()).toBe(true);
    expect(decoder.fa).not.toBe(publishedReadString);
    const fast = messages.map(read);
    decoder.fa = decoder.readString = publishedReadString;
    try {
      const published = messages.map(read);
      expect(fast).toEqual(published);
      expect(published.slice(0, TEXTS.length)).toEqual(TEXTS);
      expect(published.filter((p) => p.startsWith("threw")).length).toBeGreaterThan(0);
      expect(published.slice(TEXTS.length).filter((p) => !p.startsWith("threw")).length).toBeGreaterThan(0);
    } finally {
      expect(fastProtobufStrings()).toBe(true);
    }
  });

  it("a malformed message (a string's length a ten-byte varint that reads as negative) reads as google-protobuf reads it", () => {
    // OrchestrationState { instanceId: length -1, name: "A" }
    const bytes = Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x12, 0x01, 0x41]);
    const readState = () => {
      try {
        const s = pb.OrchestrationState.deserializeBinary(bytes);
        return [s.getInstanceid(), s.getName()];
      } catch (error) {
        return `threw: ${(error as Error).message}`;
      }
    };
    const decoder = Object.getPrototypeOf(new (require("google-protobuf").BinaryReader)(new Uint8Array(0)).a);
    expect(fastProtobufStrings()).toBe(true);
    const fast = readState();
    decoder.fa = decoder.readString = publishedReadString;
    try {
      expect(fast).toEqual(readState());
    } finally {
      expect(fastProtobufStrings()).toBe(true);
    }
  });

  it("reads the strings of a message with several fields and leaves the reader after each", () => {
    expect(fastProtobufStrings()).toBe(true);
    const state = new pb.OrchestrationState();
    state.setInstanceid("id-漢字-🙂");
    state.setName("DurableMonitorTui.Monitor");
    state.setCustomstatus(new wellKnownTypes.StringValue().setValue(TEXTS[5]!));
    const back = pb.OrchestrationState.deserializeBinary(state.serializeBinary());
    expect(back.getInstanceid()).toBe("id-漢字-🙂");
    expect(back.getName()).toBe("DurableMonitorTui.Monitor");
    expect(back.getCustomstatus()?.getValue()).toBe(TEXTS[5]);
  });
});
