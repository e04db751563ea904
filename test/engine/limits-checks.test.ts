/**
 * What a checked system sends back is read only up to a bound: http bodies (declared or streamed), command output,
 * and the message that ends up in the custom status.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCommand } from "../../src/engine/checks/command.js";
import { checkHttp } from "../../src/engine/checks/http.js";
import { MAX_RESPONSE_BYTES } from "../../src/engine/checks/http-util.js";
import { targetSchema } from "../../src/engine/monitor/spec.js";
import { MAX_MESSAGE_CHARS, normalizeOutcome } from "../../src/engine/monitor/status.js";
import { startFakeServer, type FakeServer } from "./fake-http-server.js";

const FIVE_MB = 5 * 1024 * 1024;
let api: FakeServer;
beforeAll(async () => {
  api = await startFakeServer((req, res) => {
    const body = JSON.stringify({ status: "Running", message: "x".repeat(FIVE_MB) });
    if (req.path === "/declared") {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    // Chunked, no length: the reader has to count.
    res.writeHead(200, { "content-type": "application/json" });
    for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.slice(i, i + 64 * 1024));
    res.end();
  });
});
afterAll(() => api.close());

const http = (path: string) =>
  checkHttp({ jobId: "j", instanceId: "i", startedAt: new Date().toISOString(), target: targetSchema("http").parse({ url: `${api.url}${path}` }) });

describe("bounded reads", () => {
  it("an http answer over 1 MiB is a failed check that says so, declared or streamed", async () => {
    for (const path of ["/declared", "/streamed"]) {
      const out = await http(path);
      expect(out.status).toBe("Unknown");
      expect(out.message).toBe(`GET ${api.url}${path}: the response is larger than 1 MiB (not read further)`);
    }
    expect(MAX_RESPONSE_BYTES).toBe(1024 * 1024);
  });

  it("a command that prints 30 MB keeps a bounded tail, and its check message stays short", async () => {
    const out = await checkCommand({
      jobId: "c",
      instanceId: "i",
      startedAt: new Date().toISOString(),
      target: targetSchema("command").parse({ command: "head -c 30000000 /dev/zero | tr '\\0' 'x' >&2; exit 1" }),
    });
    expect(out.status).toBe("Running");
    const bounded = normalizeOutcome(out);
    expect(bounded.message!.length).toBeLessThan(MAX_MESSAGE_CHARS + 60);
    expect(bounded.message).toMatch(/… \[truncated: \d+ characters\]$/);
  });

  it("a check message longer than the bound is cut and says how long it was", () => {
    const out = normalizeOutcome({ status: "Running", message: "y".repeat(50_000) });
    expect(out.message).toBe(`${"y".repeat(MAX_MESSAGE_CHARS)}… [truncated: 50000 characters]`);
    expect(normalizeOutcome({ status: "Running", message: "short" }).message).toBe("short");
  });
});
