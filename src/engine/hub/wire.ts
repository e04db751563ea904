/**
 * Hand-written protobuf encoding of the one message the hub sends most: an orchestrator WorkItem. The history is
 * stored as serialized HistoryEvent bytes, so the work item is assembled from those bytes directly instead of
 * decoding every event and encoding it again. Field numbers are those of orchestrator_service.proto:
 * WorkItem { OrchestratorRequest orchestratorRequest = 1; string completionToken = 10; }
 * OrchestratorRequest { string instanceId = 1; StringValue executionId = 2; repeated HistoryEvent pastEvents = 3;
 * repeated HistoryEvent newEvents = 4; }   StringValue { string value = 1; }
 */

/** Bytes a varint of this (non-negative) number takes. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

const fieldSize = (length: number) => 1 + varintSize(length) + length;

function writeField(buf: Buffer, pos: number, tag: number, bytes: Uint8Array): number {
  buf[pos++] = tag;
  pos = writeVarint(buf, pos, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** Serialized `WorkItem` carrying an `OrchestratorRequest` (see the file comment for the fields). */
export function encodeOrchestratorWorkItem(
  instanceId: string,
  executionId: string,
  pastEvents: readonly Uint8Array[],
  newEvents: readonly Uint8Array[],
  completionToken: string,
): Buffer {
  const id = Buffer.from(instanceId, "utf8");
  const exec = Buffer.from(executionId, "utf8");
  const token = Buffer.from(completionToken, "utf8");
  const execWrapper = fieldSize(exec.length); // StringValue { value = 1 }
  let requestSize = fieldSize(id.length) + fieldSize(execWrapper);
  for (const e of pastEvents) requestSize += fieldSize(e.length);
  for (const e of newEvents) requestSize += fieldSize(e.length);
  const total = fieldSize(requestSize) + fieldSize(token.length);
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  buf[pos++] = (1 << 3) | 2;
  pos = writeVarint(buf, pos, requestSize);
  pos = writeField(buf, pos, (1 << 3) | 2, id);
  buf[pos++] = (2 << 3) | 2;
  pos = writeVarint(buf, pos, execWrapper);
  pos = writeField(buf, pos, (1 << 3) | 2, exec);
  for (const e of pastEvents) pos = writeField(buf, pos, (3 << 3) | 2, e);
  for (const e of newEvents) pos = writeField(buf, pos, (4 << 3) | 2, e);
  pos = writeField(buf, pos, (10 << 3) | 2, token);
  if (pos !== total) throw new Error(`work item encoding size mismatch (${pos} != ${total})`);
  return buf;
}
