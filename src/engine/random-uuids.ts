/**
 * Random (version 4) UUIDs for new instances, as the SDK's client draws them. Their bytes come from the kernel's
 * random source where it is a file (/dev/urandom, read once): node:crypto would cost a one-shot `start` ~5 ms of
 * start-up. Elsewhere (Windows) node:crypto draws them.
 */
import { closeSync, openSync, readSync } from "node:fs";

const URANDOM = "/dev/urandom";

function urandomBytes(length: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(URANDOM, "r");
  } catch {
    return undefined;
  }
  try {
    const bytes = Buffer.allocUnsafe(length);
    for (let filled = 0; filled < length; ) {
      const read = readSync(fd, bytes, filled, length - filled, null);
      if (read <= 0) return undefined;
      filled += read;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Formats 16 bytes from `bytes` at `offset` as a version 4, RFC 4122 variant UUID. */
function uuidAt(bytes: Buffer, offset: number): string {
  bytes[offset + 6] = (bytes[offset + 6]! & 0x0f) | 0x40;
  bytes[offset + 8] = (bytes[offset + 8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex", offset, offset + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `count` new instance ids. */
export async function randomUuids(count: number): Promise<string[]> {
  const bytes = urandomBytes(16 * count) ?? (await import("node:crypto")).randomBytes(16 * count);
  return Array.from({ length: count }, (_, i) => uuidAt(bytes, 16 * i));
}
