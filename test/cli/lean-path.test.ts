/**
 * `list`, `status` and `start` on the lean path (engine/lean-engine.ts: the wire client, no SDK) against the same
 * instances as the full path (the SDK's client): a real hub owned by a real engine running our monitor worker, a
 * separate process running someone else's sample-style monitors, and an SDK worker whose orchestration fails. Both
 * paths must give the same snapshots and print the same text and JSON with the same exit codes; a stale or foreign
 * endpoint file must make the CLI take the full path; a refused token must fail as a refused token.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { NoOpLogger, TaskHubGrpcClient, TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor, readEndpoint } from "../../src/engine/hub/endpoint-file.js";
import { openLeanEngine } from "../../src/engine/lean-engine.js";
import type { ResolvedProfile } from "../../src/engine/profile.js";
import { cliEnv, runCli, tempDir } from "../helpers/cli.js";
import { spawnHub } from "../hub/spawn-hub.js";
import { metadataFor } from "../helpers/hub.js";
import { spawnOtherApp } from "../helpers/other-app.js";
import { runMain } from "../helpers/run-main.js";
import { waitFor } from "../engine/engine-helpers.js";

/** The built-in profile of a data dir: what the CLI resolves without a config file. */
function builtin(dataDir: string): ResolvedProfile {
  return { name: "default", connection: { type: "embedded", dbPath: join(dataDir, "hub.sqlite") }, taskHub: "default", defaults: {}, presets: {}, source: "builtin" };
}

/** A connection-string profile for `endpoint` (Token= when given). */
function endpointProfile(endpoint: string, authentication: "None" | "DefaultAzure", hubToken?: string): ResolvedProfile {
  const parsed = { endpoint, authentication, taskHub: "default", ...(hubToken ? { token: hubToken } : {}) };
  return { name: "remote", connection: { type: "dts", connectionString: `Endpoint=${endpoint};Authentication=${authentication}`, parsed }, taskHub: "default", defaults: {}, presets: {}, source: "file" };
}

/** An environment for the CLI on `dataDir` (its own config dir and log file). */
function envFor(dataDir: string): NodeJS.ProcessEnv {
  return cliEnv({ DURABLE_MONITOR_TUI_DATA_DIR: dataDir, DURABLE_MONITOR_TUI_LOG_FILE: join(dataDir, "test.log") });
}

const OFF = { DURABLE_MONITOR_TUI_WIRE: "off" };
/** Relative times ("3s ago") move between two runs: compared as a placeholder. */
const stable = (text: string) => text.replace(/\b(just now|\d+[smhd] ago)\b/g, "<ago>");

type Printed = { code: number; stdout: string; stderr: string };

/**
 * Runs `commands` once on the lean path and once with it off (each with the environment to pass the CLI); resolves to
 * what each printed and how many wire clients each opened (counted in the log), lean first.
 */
async function onBothPaths(commands: (extra: Record<string, string>) => Promise<Printed[]>): Promise<{ printed: Printed[][]; leanOpens: number[] }> {
  const opens = () => readFileSync(join(dataDir, "test.log"), "utf8").split("wire client").length;
  const printed: Printed[][] = [];
  const leanOpens: number[] = [];
  for (const extra of [{}, OFF]) {
    const before = opens();
    printed.push(await commands(extra));
    leanOpens.push(opens() - before);
  }
  return { printed, leanOpens };
}

const dataDir = tempDir("dmt-lean-");
const env = envFor(dataDir);
const profile = builtin(dataDir);
let owner: LocalEngine;
let token: string;
let address: string;
let otherApp: ChildProcess;
let failingWorker: TaskHubGrpcWorker;
let client: TaskHubGrpcClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  owner = await createEngine({ profile, withWorker: true, env });
  token = readEndpoint(endpointFileFor(join(dataDir, "hub.sqlite")))!.token;
  address = owner.connection.address;
  const settings = { hostAddress: address, metadataGenerator: metadataFor("default", token), logger: new NoOpLogger() };
  // Its own work only (the SDK's filters): without them it would take our monitors' work items too.
  failingWorker = new TaskHubGrpcWorker({ ...settings, shutdownTimeoutMs: 2000, workItemFilters: "auto" });
  failingWorker.addNamedOrchestrator("Boom", async function* () {
    throw new Error("boom: the job vanished");
  });
  [otherApp] = await Promise.all([spawnOtherApp("sample-monitor-worker.mjs", address, token), failingWorker.start()]);
  client = new TaskHubGrpcClient(settings);

  const long = { kind: "simulated", target: { durationSeconds: 3600 }, pollingIntervalSeconds: 60, timeoutSeconds: 7200 } as const;
  ids.running = await owner.start(long);
  ids.done = await owner.start({ kind: "simulated", target: { durationSeconds: 0.05 }, pollingIntervalSeconds: 0.02, timeoutSeconds: 30 });
  ids.terminated = await owner.start(long);
  ids.sampleRunning = await client.scheduleNewOrchestration("job_monitor", { job_id: "sample-run", polling_interval_seconds: 60, timeout_seconds: 3600, checks_to_complete: 100 });
  ids.sampleDone = await client.scheduleNewOrchestration("job_monitor", { job_id: "sample-done", polling_interval_seconds: 1, timeout_seconds: 60, checks_to_complete: 1 });
  ids.failed = await client.scheduleNewOrchestration("Boom", { why: "test" });
  await waitFor("the terminated monitor to run", async () => (await owner.get(ids.terminated!))?.customStatus?.checkCount);
  await owner.terminate(ids.terminated!, "stopped by the test");
  const settled: Record<string, (s: Awaited<ReturnType<LocalEngine["get"]>>) => boolean> = {
    running: (s) => (s?.customStatus?.checkCount ?? 0) >= 1,
    done: (s) => s?.runtimeStatus === "Completed",
    terminated: (s) => s?.runtimeStatus === "Terminated",
    sampleRunning: (s) => (s?.customStatus?.checkCount ?? 0) >= 1,
    sampleDone: (s) => s?.runtimeStatus === "Completed",
    failed: (s) => s?.runtimeStatus === "Failed",
  };
  for (const [name, ok] of Object.entries(settled)) await waitFor(name, async () => ok(await owner.get(ids[name]!)));
});

afterAll(async () => {
  otherApp?.kill("SIGTERM");
  await failingWorker?.stop().catch(() => {});
  await client?.stop().catch(() => {});
  await owner?.close();
});

describe("the lean engine against the full one, on the same instances", () => {
  test("list and get give the same snapshots (ours, someone else's sample monitors, a failure with its details)", async () => {
    const lean = (await openLeanEngine(profile, env, 5000))!;
    expect(lean).toBeDefined();
    // A fresh full engine, as a command opens it (the owner's caches know inputs a fresh list does not fetch).
    const full = await createEngine({ profile, withWorker: false, env });
    try {
      const [leanList, fullList] = await Promise.all([lean.list(), full.list()]);
      expect(leanList.map((s) => s.instanceId).sort()).toEqual(Object.values(ids).sort());
      expect(leanList).toEqual(fullList);
      for (const id of Object.values(ids)) expect(await lean.get(id), id).toEqual(await full.get(id));
      const failed = await lean.get(ids.failed!);
      expect(failed?.failure?.message).toContain("boom: the job vanished");
      expect((await lean.get(ids.sampleRunning!))?.customStatus).toMatchObject({ jobId: "sample-run", checkCount: 1 });
      expect(await lean.list({ statuses: ["Failed", "Terminated"] })).toEqual(await full.list({ statuses: ["Failed", "Terminated"] }));
      expect(await lean.get("no-such-instance")).toBeUndefined();
    } finally {
      await lean.close();
      await full.close();
    }
  });
});

describe("the lean engine on a connection string's plaintext endpoint (the emulator, or our hub with Token=)", () => {
  test("gives the same snapshots as the full engine on that profile", async () => {
    const remote = endpointProfile(`http://${address}`, "None", token);
    const lean = (await openLeanEngine(remote, env, 5000))!;
    expect(lean.connection).toMatchObject({ kind: "emulator", localHub: true, address });
    const full = await createEngine({ profile: remote, withWorker: false, env });
    try {
      expect(await lean.list()).toEqual(await full.list());
      expect(await lean.get(ids.failed!)).toEqual(await full.get(ids.failed!));
    } finally {
      await lean.close();
      await full.close();
    }
  });
});

describe("waiting for a worker to pick an instance up (start's note when none does)", () => {
  test("waitUntilStarted: true once a worker picked the instance up (or there is none), false while it is still Pending", async () => {
    const lean = (await openLeanEngine(profile, env, 5000))!;
    const full = await createEngine({ profile, withWorker: false, env });
    const long = { kind: "simulated", target: { durationSeconds: 3600 }, pollingIntervalSeconds: 60, timeoutSeconds: 7200 } as const;
    // Scheduled an hour ahead: no worker may pick it up before then.
    const later = await owner.start(long, { startAt: new Date(Date.now() + 3_600_000) });
    try {
      for (const engine of [lean, full]) {
        const picked = await engine.start(long);
        expect(await engine.waitUntilStarted(picked, 20_000)).toBe(true);
        expect((await engine.get(picked))?.runtimeStatus).not.toBe("Pending");
        expect(await engine.waitUntilStarted(later, 300)).toBe(false);
        expect((await engine.get(later))?.runtimeStatus).toBe("Pending");
        expect(await engine.waitUntilStarted("no-such-instance", 300)).toBe(true);
        await owner.terminate(picked);
      }
    } finally {
      await owner.terminate(later);
      await lean.close();
      await full.close();
    }
  });
});

describe("start when the hub's owner runs no worker", () => {
  test("both paths say no worker runs it, and exit at once (a wait left open would keep the process alive)", async () => {
    const dir = tempDir("dmt-lean-noworker-");
    const hub = await spawnHub(["--port", "0"], { DURABLE_MONITOR_TUI_DATA_DIR: dir });
    try {
      for (const extra of [{}, OFF]) {
        const started = Date.now();
        const run = await runCli(["start", "--duration", "60", "--interval", "30"], { env: { DURABLE_MONITOR_TUI_DATA_DIR: dir, ...extra }, timeoutMs: 20_000 });
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
        expect(run.stderr).toMatch(/no worker is running/);
        // It waits 1.5 s for a worker; a call left open would hold it until the hub stops (the timeout above).
        expect(Date.now() - started).toBeLessThan(15_000);
      }
    } finally {
      hub.child.kill("SIGTERM");
      await hub.exited;
    }
  });
});

describe("the CLI prints the same on both paths", () => {
  test("list, list --json, list --status, status (text and --json) and an unknown id", async () => {
    const logBefore = readFileSync(join(dataDir, "test.log"), "utf8").split("wire client").length;
    const runs: string[][] = [["list"], ["list", "--json"], ["list", "--status", "failed,terminated", "--json"], ["status", "no-such-instance"], ["status", "no-such-instance", "--json"]];
    for (const id of Object.values(ids)) runs.push(["status", id], ["status", id, "--json"]);
    for (const argv of runs) {
      const [lean, full] = [await runMain(argv, { env }), await runMain(argv, { env: { ...env, ...OFF } })];
      expect({ code: lean.code, stdout: stable(lean.stdout), stderr: lean.stderr }, argv.join(" ")).toEqual({ code: full.code, stdout: stable(full.stdout), stderr: full.stderr });
    }
    const log = readFileSync(join(dataDir, "test.log"), "utf8");
    expect(log.split("wire client").length - logBefore).toBe(runs.length);
    expect(log).not.toContain(token);
    const failed = await runMain(["status", ids.failed!], { env });
    expect(failed.stdout).toMatch(/Failure:\s+Error: boom: the job vanished/);
    expect((await runMain(["status", "no-such-instance"], { env })).code).toBe(1);
  });

  test("start (text and --json) schedules our monitor, which the hub owner's worker picks up", async () => {
    for (const extra of [[], ["--json"]]) {
      const run = await runMain(["start", "--duration", "3600", "--interval", "60", "--timeout", "7200", "--job-id", `lean-${extra.length}`, ...extra], { env });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe(""); // no "no worker is running" note: the owner's worker took it
      const id = extra.length ? (JSON.parse(run.stdout) as { instanceId: string }).instanceId : run.stdout.trim();
      if (extra.length) expect(JSON.parse(run.stdout)).toEqual({ instanceId: id, jobId: "lean-1", kind: "simulated" });
      const started = await owner.get(id);
      expect(started?.spec).toMatchObject({ jobId: `lean-${extra.length}`, kind: "simulated", pollingIntervalSeconds: 60 });
      expect(started?.name).toBe("DurableMonitorTui.Monitor");
      await owner.terminate(id);
    }
  });
});

describe("acting on a monitor on both paths", () => {
  test("suspend, resume, raise and terminate print the same and do the same", async () => {
    const long = { kind: "simulated", target: { durationSeconds: 3600 }, pollingIntervalSeconds: 60, timeoutSeconds: 7200 } as const;
    const { printed, leanOpens } = await onBothPaths(async (extra) => {
      const id = await owner.start(long);
      await waitFor("the first check", async () => (await owner.get(id))?.customStatus?.checkCount);
      const run = async (argv: string[], settled: (s: Awaited<ReturnType<LocalEngine["get"]>>) => boolean) => {
        const r = await runMain(argv, { env: { ...env, ...extra } });
        await waitFor(argv.join(" "), async () => settled(await owner.get(id)));
        return { ...r, stdout: r.stdout.replaceAll(id, "<id>"), stderr: r.stderr.replaceAll(id, "<id>") };
      };
      return [
        await run(["suspend", id, "--reason", "a pause"], (s) => s?.runtimeStatus === "Suspended"),
        await run(["resume", id], (s) => s?.runtimeStatus === "Running"),
        await run(["raise", id, "set-interval", "--data", "120"], (s) => s?.customStatus?.intervalSeconds === 120),
        await run(["raise", id, "poll-now", "--json"], (s) => (s?.customStatus?.checkCount ?? 0) >= 2),
        await run(["terminate", id, "--reason", "not needed today"], (s) => s?.runtimeStatus === "Terminated" && s.rawOutput === "not needed today"),
        await run(["terminate", id], () => true),
      ];
    });
    expect(leanOpens).toEqual([6, 0]);
    const [lean, full] = printed;
    expect(lean).toEqual(full);
    expect(lean!.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(lean![0]!.stdout).toBe("suspended <id>\n");
    expect(lean![5]!.stderr).toMatch(/<id> is terminated: nothing to terminate/i);
  });
});

describe("when the lean path does not apply", () => {
  async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  function withEndpoint(endpoint: Record<string, unknown>): { dir: string; env: NodeJS.ProcessEnv; profile: ResolvedProfile } {
    const dir = tempDir("dmt-lean-ep-");
    mkdirSync(dir, { recursive: true });
    writeFileSync(endpointFileFor(join(dir, "hub.sqlite")), JSON.stringify(endpoint), { mode: 0o600 });
    return { dir, env: envFor(dir), profile: builtin(dir) };
  }

  test("a dead owner, a refused connection, a host not on loopback, the off switch, a remote profile: no lean engine", async () => {
    const port = Number(address.split(":").pop());
    const dead = withEndpoint({ pid: 2 ** 22 + 12345, host: "127.0.0.1", port, token });
    expect(await openLeanEngine(dead.profile, dead.env, 1000)).toBeUndefined();
    const refused = withEndpoint({ pid: process.pid, host: "127.0.0.1", port: await freePort(), token });
    expect(await openLeanEngine(refused.profile, refused.env, 1000)).toBeUndefined();
    const foreign = withEndpoint({ pid: process.pid, host: "192.0.2.1", port, token });
    expect(await openLeanEngine(foreign.profile, foreign.env, 1000)).toBeUndefined();
    expect(await openLeanEngine(profile, { ...env, ...OFF }, 1000)).toBeUndefined();
    expect(await openLeanEngine(endpointProfile(`https://${address}`, "None"), env, 1000)).toBeUndefined();
    expect(await openLeanEngine(endpointProfile(`http://${address}`, "DefaultAzure"), env, 1000)).toBeUndefined();
  });

  test("a silent endpoint (TCP, no HTTP/2) of a connection string is unreachable (exit 4), as on the full path", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      await expect(openLeanEngine(endpointProfile(`http://127.0.0.1:${port}`, "None"), env, 300)).rejects.toThrow(/cannot reach the emulator at http:\/\/127\.0\.0\.1:\d+ .*DEADLINE_EXCEEDED/);
    } finally {
      silent.close();
    }
  });

  test("the CLI then takes the full path: a refused connection's hub is taken over", async () => {
    const refused = withEndpoint({ pid: process.pid, host: "127.0.0.1", port: await freePort(), token: "stale" });
    const run = await runMain(["list"], { env: refused.env });
    expect(run).toEqual({ code: 0, stdout: "No monitors.\n", stderr: "" });
    expect(readFileSync(join(refused.dir, "test.log"), "utf8")).not.toContain("wire client");
  });

  test("a token the hub refuses fails as refused credentials (exit 3) on both paths, and is never printed", async () => {
    const wrong = "not-the-hub-token-4711";
    const port = Number(address.split(":").pop());
    const bad = withEndpoint({ pid: process.pid, host: "127.0.0.1", port, token: wrong });
    for (const extra of [{}, OFF]) {
      const run = await runMain(["list"], { env: { ...bad.env, ...extra } });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/refused the credentials: UNAUTHENTICATED/);
      expect(run.stderr + run.stdout).not.toContain(wrong);
    }
    expect(readFileSync(join(bad.dir, "test.log"), "utf8")).not.toContain(wrong);
  });
});

describe("purging and restarting on both paths", () => {
  test("restart (ours and someone else's) and purge print the same and do the same", async () => {
    const quick = { kind: "simulated", target: { durationSeconds: 0.05 }, pollingIntervalSeconds: 0.02, timeoutSeconds: 30 } as const;
    const { printed, leanOpens } = await onBothPaths(async (extra) => {
      const id = await owner.start(quick);
      await waitFor("the monitor to complete", async () => (await owner.get(id))?.runtimeStatus === "Completed");
      const theirs = await client.scheduleNewOrchestration("Boom", { why: "restart me" });
      await waitFor("their orchestration to fail", async () => (await owner.get(theirs))?.runtimeStatus === "Failed");
      const run = async (argv: string[]) => {
        const r = await runMain(argv, { env: { ...env, ...extra } });
        const hide = (text: string) => text.replaceAll(id, "<id>").replaceAll(theirs, "<theirs>").replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<new>");
        return { ...r, stdout: hide(r.stdout), stderr: hide(r.stderr) };
      };
      const restarted = await runMain(["restart", id, "--json"], { env: { ...env, ...extra } });
      const again = (JSON.parse(restarted.stdout) as { newInstanceId: string }).newInstanceId;
      const rerun = await owner.get(again);
      expect(rerun?.name).toBe("DurableMonitorTui.Monitor");
      expect(rerun?.input).toMatchObject({ restartedFrom: id });
      const theirRestart = await runMain(["restart", theirs], { env: { ...env, ...extra } });
      const theirAgain = theirRestart.stdout.trim();
      await waitFor("their new run", async () => (await owner.get(theirAgain))?.name === "Boom");
      return [
        { ...restarted, stdout: restarted.stdout.replaceAll(id, "<id>").replaceAll(again, "<new>") },
        { ...theirRestart, stdout: theirRestart.stdout.replaceAll(theirAgain, "<new>") },
        await run(["purge", id]),
        await run(["purge", id]),
        await run(["purge", "--completed", "--older-than", "1d", "--json"]),
      ];
    });
    expect(leanOpens).toEqual([5, 0]);
    const [lean, full] = printed;
    expect(lean).toEqual(full);
    expect(lean!.map((r) => r.code)).toEqual([0, 0, 0, 1, 0]);
    expect(lean![3]!.stderr).toMatch(/No instance .<id>./);
    expect(lean![2]!.stdout).toBe("purged 1 instance\n");
  });
});
