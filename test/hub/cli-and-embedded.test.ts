/**
 * The `hub` command (spawned built bin) and the one-owner-per-database embedded hub.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { NoOpLogger, OrchestrationStatus, TaskHubGrpcClient, TaskHubGrpcWorker, type OrchestrationContext } from "@microsoft/durabletask-js";
import { acquireEmbeddedHub, endpointFileFor, startHub, HubStartError } from "../../src/engine/hub/index.js";
import { runCli } from "../helpers/cli.js";
import { metadataFor } from "../helpers/hub.js";
import { spawnHub } from "./spawn-hub.js";
import { expectNotADatabaseRefused } from "../helpers/corrupt-database.js";
import { waitFor } from "../engine/engine-helpers.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "dmt-hubcli-"));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const hello = async function* (_ctx: OrchestrationContext, name: string): AsyncGenerator<any, string, any> {
  return `hello ${name}`;
};

async function roundTrip(address: string, token: string | undefined): Promise<string | undefined> {
  const settings = { hostAddress: address, metadataGenerator: metadataFor(undefined, token), logger: new NoOpLogger() };
  const worker = new TaskHubGrpcWorker({ ...settings, shutdownTimeoutMs: 1000 });
  worker.addOrchestrator(hello);
  const client = new TaskHubGrpcClient(settings);
  try {
    await worker.start();
    const id = await client.scheduleNewOrchestration(hello, "hub");
    const state = await client.waitForOrchestrationCompletion(id, true, 20);
    expect(state?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    return state?.serializedOutput;
  } finally {
    await worker.stop().catch(() => {});
    await client.stop().catch(() => {});
  }
}

describe("durable-monitor-tui hub", () => {
  test("prints the connection string, serves the SDK, and stops cleanly on SIGTERM and SIGINT", async () => {
    const dir = await tempDir();
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const hub = await spawnHub(["--port", "0", "--db", join(dir, "hub.sqlite"), "--insecure"]);
      expect(hub.output()).toContain(`Connection string: Endpoint=http://localhost:${hub.port};Authentication=None;TaskHub=default\n`);
      if (signal === "SIGTERM") expect(await roundTrip(hub.address, undefined)).toBe(JSON.stringify("hello hub"));
      hub.child.kill(signal);
      expect(await hub.exited).toEqual({ code: 0, signal: null });
      expect(hub.output()).toContain("Hub stopped.");
    }
    expect(existsSync(join(dir, "hub.sqlite"))).toBe(true);
  });

  test("--token is required on every call", async () => {
    const dir = await tempDir();
    const hub = await spawnHub(["--port", "0", "--db", join(dir, "hub.sqlite"), "--token", "s3cret"]);
    try {
      expect(await roundTrip(hub.address, "s3cret")).toBe(JSON.stringify("hello hub"));
      const client = new TaskHubGrpcClient({ hostAddress: hub.address, logger: new NoOpLogger() });
      await expect(client.getOrchestrationState("x")).rejects.toThrow(/UNAUTHENTICATED|token/);
      await client.stop();
    } finally {
      hub.child.kill("SIGTERM");
      await hub.exited;
    }
  });

  test("a bad port is a usage error (exit 2); a port in use is a clear error (exit 1)", async () => {
    const bad = await runCli(["hub", "--port", "70000"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--port must be a number from 0 to 65535");

    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dir = await tempDir();
      const inUse = await runCli(["hub", "--port", String(port), "--db", join(dir, "hub.sqlite")]);
      expect(inUse.code).toBe(1);
      expect(inUse.stderr).toMatch(new RegExp(`Port ${port} .*already in use`));
    } finally {
      blocker.close();
    }
  });

  test("a database that is not one: exit 4 with the recovery hint, and the file is left as it was", async () => {
    const dbPath = join(await tempDir(), "hub.sqlite");
    await expectNotADatabaseRefused(dbPath, () => runCli(["hub", "--port", "0", "--db", dbPath, "--insecure"]));
  });

  test("--insecure is for loopback only: a non-loopback host without a token is refused with the remedy", async () => {
    const refused = await runCli(["hub", "--host", "0.0.0.0", "--port", "0", "--insecure"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--insecure is for loopback hosts only");
    const both = await runCli(["hub", "--port", "0", "--insecure", "--token", "t"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--insecure serves without a token");
    await expect(startHub({ dbPath: join(await tempDir(), "x.sqlite"), host: "0.0.0.0" })).rejects.toBeInstanceOf(HubStartError);
  });

  test("the default database lives in the data dir and the hub logs to the log file, not the terminal", async () => {
    const data = await tempDir();
    const hub = await spawnHub(["--port", "0"], { DURABLE_MONITOR_TUI_DATA_DIR: data });
    hub.child.kill("SIGTERM");
    await hub.exited;
    expect(existsSync(join(data, "hub.sqlite"))).toBe(true);
    expect(readFileSync(join(data, "durable-monitor-tui.log"), "utf8")).toContain("hub: serving");
  });
});

describe("acquireEmbeddedHub", () => {
  test("one owner per database file: the second caller connects to the first one's hub", async () => {
    const dbPath = join(await tempDir(), "embedded.sqlite");
    const owner = await acquireEmbeddedHub({ dbPath });
    try {
      expect(owner.owned).toBe(true);
      const file = endpointFileFor(dbPath);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const endpoint = JSON.parse(readFileSync(file, "utf8"));
      expect(endpoint).toMatchObject({ pid: process.pid, token: owner.token });
      const second = await acquireEmbeddedHub({ dbPath });
      expect(second.owned).toBe(false);
      expect(second.address).toBe(owner.address);
      expect(second.token).toBe(owner.token);
      await second.release(); // no-op
      expect(await roundTrip(owner.address, owner.token)).toBe(JSON.stringify("hello hub"));
      await expect(roundTrip(owner.address, "wrong")).rejects.toThrow();
    } finally {
      await owner.release();
    }
    expect(existsSync(endpointFileFor(dbPath))).toBe(false);
  });

  test("the owner's endpoint file is left alone by a caller that cannot reach it (half-written, or slow to answer)", async () => {
    const dbPath = join(await tempDir(), "busy-owner.sqlite");
    const owner = await acquireEmbeddedHub({ dbPath });
    try {
      const file = endpointFileFor(dbPath);
      const published = readFileSync(file, "utf8");
      writeFileSync(file, ""); // what a reader sees between the file's creation and its write
      const lookedAgain: string[] = [];
      const logger = { error() {}, warn() {}, debug() {}, info: (message: string) => lookedAgain.push(message) };
      const second = acquireEmbeddedHub({ dbPath, logger });
      await waitFor("the second caller found the database held", () => lookedAgain.some((line) => line.includes("looking again")));
      expect(existsSync(file)).toBe(true);
      writeFileSync(file, published);
      const joined = await second;
      expect(joined.owned).toBe(false);
      expect(joined.address).toBe(owner.address);
    } finally {
      await owner.release();
    }
  });

  test("a stale endpoint file from a dead process is taken over", async () => {
    const dbPath = join(await tempDir(), "stale.sqlite");
    const dead = spawn(process.execPath, ["-e", "0"]);
    const deadPid = await new Promise<number>((r) => dead.once("exit", () => r(dead.pid!)));
    writeFileSync(endpointFileFor(dbPath), JSON.stringify({ pid: deadPid, host: "127.0.0.1", port: 1, token: "old" }), { mode: 0o600 });
    const hub = await acquireEmbeddedHub({ dbPath });
    try {
      expect(hub.owned).toBe(true);
      expect(hub.token).not.toBe("old");
      expect(JSON.parse(readFileSync(endpointFileFor(dbPath), "utf8")).pid).toBe(process.pid);
    } finally {
      await hub.release();
    }
  });
});

