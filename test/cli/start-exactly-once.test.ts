/**
 * A start whose answer is lost because the embedded hub's owner exited right after committing it: the command takes the
 * hub over and retries (engine-calls.ts), and must not start the monitor a second time — `start` on the lean path and
 * `start --specs` on the full one. The owner is a real engine; a loopback relay in front of its hub (the network, the
 * one faked part) lets the start through, and when the answer comes back closes the owner and drops that answer.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor, readEndpoint } from "../../src/engine/hub/endpoint-file.js";
import { embeddedProfile, tempDir } from "../engine/engine-helpers.js";
import { cliEnv } from "../helpers/cli.js";
import { runMain } from "../helpers/run-main.js";

const MARKER = "exactly-once-job";

/**
 * Relays loopback connections to `port`. Once a client sends bytes holding MARKER (the start's input), the next answer
 * from the hub on that connection is not passed on: `whenAnswered` runs (it closes the owner), then the client's
 * connection is cut, as the owner's exit would have cut it.
 */
async function lossyRelay(port: number, whenAnswered: () => Promise<void>): Promise<{ server: Server; port: number; cut: () => boolean }> {
  let cut = false;
  const server = createServer((client: Socket) => {
    const hub = connect(port, "127.0.0.1");
    let armed = false;
    let dropping = false;
    client.on("data", (chunk: Buffer) => {
      if (!cut && chunk.includes(MARKER)) armed = true;
      hub.write(chunk);
    });
    hub.on("data", (chunk: Buffer) => {
      if (dropping) return;
      if (!armed) return void client.write(chunk);
      dropping = cut = true;
      void whenAnswered().finally(() => client.destroy());
    });
    for (const [a, b] of [[client, hub], [hub, client]] as const) {
      a.on("error", () => b.destroy());
      a.on("close", () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port, cut: () => cut };
}

describe("a start whose answer is lost when the hub's owner exits", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  });

  /** An owner engine (no worker: monitors stay Pending) whose endpoint file names the relay in front of its hub. */
  async function ownerBehindRelay() {
    const dir = tempDir();
    const dbPath = join(dir, "hub.sqlite");
    const env = cliEnv({ DURABLE_MONITOR_TUI_DATA_DIR: dir, DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "test.log") });
    const owner: LocalEngine = await createEngine({ profile: embeddedProfile(dbPath), withWorker: false, env });
    closers.push(() => owner.close());
    const endpoint = readEndpoint(endpointFileFor(dbPath))!;
    const relay = await lossyRelay(endpoint.port, () => owner.close());
    closers.push(() => new Promise((resolve) => relay.server.close(() => resolve())));
    writeFileSync(endpointFileFor(dbPath), JSON.stringify({ ...endpoint, port: relay.port }));
    return { dir, dbPath, env, relay };
  }

  async function monitorsIn(dbPath: string, env: NodeJS.ProcessEnv) {
    const engine = await createEngine({ profile: embeddedProfile(dbPath), withWorker: false, env });
    try {
      return (await engine.list()).map((s) => ({ id: s.instanceId, jobId: s.spec?.jobId }));
    } finally {
      await engine.close();
    }
  }

  it("start (lean path): one monitor, the id printed", async () => {
    const { dir, dbPath, env, relay } = await ownerBehindRelay();
    const run = await runMain(["start", "--duration", "600", "--interval", "60", "--timeout", "1200", "--job-id", MARKER], { env });
    expect(relay.cut()).toBe(true);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(await monitorsIn(dbPath, env)).toEqual([{ id: run.stdout.trim(), jobId: MARKER }]);
    // The answer that was dropped was the committed start's: the retry found it there.
    expect(readFileSync(join(dir, "test.log"), "utf8")).toContain("start retried: 1 of 1 instances were started by the first attempt");
  });

  it("start --specs (full path): each monitor once, the ids printed in order", async () => {
    const { dir, dbPath, env, relay } = await ownerBehindRelay();
    const specs = join(dir, "specs.jsonl");
    const spec = (n: number) => JSON.stringify({ kind: "simulated", jobId: `${MARKER}-${n}`, target: { durationSeconds: 600 }, pollingIntervalSeconds: 60, timeoutSeconds: 1200 });
    writeFileSync(specs, [1, 2, 3].map(spec).join("\n") + "\n");
    const run = await runMain(["start", "--specs", specs], { env });
    expect(relay.cut()).toBe(true);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const ids = run.stdout.trim().split("\n");
    const listed = await monitorsIn(dbPath, env);
    expect(listed).toHaveLength(3);
    expect(ids.map((id) => listed.find((m) => m.id === id)?.jobId)).toEqual([1, 2, 3].map((n) => `${MARKER}-${n}`));
    expect(readFileSync(join(dir, "test.log"), "utf8")).toContain("start retried: 3 of 3 instances were started by the first attempt");
  });
});
