/**
 * A call whose answer is lost. When the embedded hub's owner exited right after committing a start, the command takes
 * the hub over and retries (engine-calls.ts), and must not start the monitor a second time — `start` on the lean path
 * and `start --specs` on the full one. When the owner is still there, a call is not sent again at all (a raise applied
 * twice would reach the orchestration twice). The owner is a real engine; a loopback relay in front of its hub
 * (test/helpers/lossy-relay.ts) lets the call through and drops its answer.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor, readEndpoint } from "../../src/engine/hub/endpoint-file.js";
import { embeddedProfile, tempDir, waitFor } from "../engine/engine-helpers.js";
import { cliEnv } from "../helpers/cli.js";
import { lossyRelay } from "../helpers/lossy-relay.js";
import { runMain } from "../helpers/run-main.js";

const MARKER = "exactly-once-job";

describe("a call whose answer is lost", () => {
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
    const relay = await lossyRelay(endpoint.port, MARKER, () => owner.close());
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

  it("a raise whose answer is lost while the owner stays (lean path): not sent again; the command fails as unreachable", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "hub.sqlite");
    const env = cliEnv({ DURABLE_MONITOR_TUI_DATA_DIR: dir, DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "test.log") });
    const owner: LocalEngine = await createEngine({ profile: embeddedProfile(dbPath), withWorker: true, env });
    closers.push(() => owner.close());
    const id = await owner.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 60, timeoutSeconds: 1200 });
    await waitFor("the first check", async () => (await owner.get(id))?.customStatus?.checkCount);
    const endpoint = readEndpoint(endpointFileFor(dbPath))!;
    const relay = await lossyRelay(endpoint.port, "/TaskHubSidecarService/RaiseEvent", async () => {});
    closers.push(() => new Promise((resolve) => relay.server.close(() => resolve())));
    writeFileSync(endpointFileFor(dbPath), JSON.stringify({ ...endpoint, port: relay.port }));
    const run = await runMain(["raise", id, "set-interval", "--data", "120"], { env });
    expect(relay.cut()).toBe(true);
    expect(run.code, run.stderr).toBe(4);
    await waitFor("the new interval", async () => (await owner.get(id))?.customStatus?.intervalSeconds === 120);
    const raised = (await owner.history(id)).events.filter((e) => e.type === "EventRaised");
    expect(raised.map((e) => e.name)).toEqual(["set-interval"]);
    expect(readFileSync(join(dir, "test.log"), "utf8")).toContain("still there after a failed call: not retried");
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
