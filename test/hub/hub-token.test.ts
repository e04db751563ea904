/**
 * The standalone `hub` (spawned built bin): a token by default that this tool and any SDK app take as printed, the
 * token never needed in argv, and one hub per database (endpoint file + SQLite's lock).
 */
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { NoOpLogger, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { createEngine } from "../../src/engine/create-engine.js";
import { acquireEmbeddedHub, endpointFileFor, startHub } from "../../src/engine/hub/index.js";
import { DatabaseLockedError } from "../../src/engine/hub/store.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { metadataFor } from "../helpers/hub.js";
import { embeddedProfile } from "../engine/engine-helpers.js";
import { spawnHub, type HubProcess } from "./spawn-hub.js";

const running: HubProcess[] = [];
afterEach(async () => {
  for (const hub of running.splice(0)) {
    hub.child.kill("SIGTERM");
    await hub.exited;
  }
});

async function hubWith(args: string[], env: Record<string, string> = {}): Promise<HubProcess> {
  const hub = await spawnHub(["--port", "0", ...args], env);
  running.push(hub);
  return hub;
}

const printedToken = (hub: HubProcess) => /^Token: (\S+)$/m.exec(hub.output())?.[1];
const printedConnection = (hub: HubProcess) => /^Connection string: (\S+)$/m.exec(hub.output())?.[1];

describe("hub tokens", () => {
  test("no flags: a generated token, stored 0600 and printed; the printed connection string works as is for this tool and the SDK", { timeout: 120_000 }, async () => {
    const data = tempDir("dmt-data-");
    const config = tempDir("dmt-config-");
    const env = { DURABLE_MONITOR_TUI_DATA_DIR: data, DURABLE_MONITOR_TUI_CONFIG_DIR: config };
    const hub = await hubWith([], env);
    const token = printedToken(hub)!;
    expect(token).toMatch(/^[\w-]{20,}$/);
    const connection = printedConnection(hub)!;
    expect(connection).toBe(`Endpoint=http://localhost:${hub.port};Authentication=None;TaskHub=default;Token=${token}`);
    const stored = join(data, "hub.sqlite.token");
    expect(readFileSync(stored, "utf8").trim()).toBe(token);
    expect(statSync(stored).mode & 0o777).toBe(0o600);

    const sdk = (t?: string) => new TaskHubGrpcClient({ hostAddress: hub.address, metadataGenerator: metadataFor(undefined, t), logger: new NoOpLogger() });
    const anonymous = sdk();
    await expect(anonymous.getOrchestrationState("x")).rejects.toThrow(/UNAUTHENTICATED/);
    await anonymous.stop();
    const bearer = sdk(token);
    expect(await bearer.getOrchestrationState("x")).toBeUndefined();
    await bearer.stop();

    const viaEnv = await runCli(["list", "--json"], { env: { ...env, DURABLE_TASK_SCHEDULER_CONNECTION_STRING: connection } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(await runCli(["profiles", "add", "local", "--connection", connection], { env })).toMatchObject({ code: 0 });
    const viaProfile = await runCli(["list", "--profile", "local"], { env });
    expect(viaProfile.code, viaProfile.stderr).toBe(0);
    expect(viaProfile.stdout + viaProfile.stderr).not.toContain(token);

    const bare = connection.replace(/;Token=.*$/, "");
    const withVariable = await runCli(["list"], { env: { ...env, DURABLE_TASK_SCHEDULER_CONNECTION_STRING: bare, DURABLE_MONITOR_TUI_TOKEN: token } });
    expect(withVariable.code, withVariable.stderr).toBe(0);
    const without = await runCli(["list"], { env: { ...env, DURABLE_TASK_SCHEDULER_CONNECTION_STRING: bare } });
    expect(without.code).toBe(3);
    expect(without.stderr).toMatch(/refused the credentials/);
    expect(without.stderr).not.toContain(token);

    // A default-profile command goes through the running hub (its endpoint file), not a second server on the file.
    const started = await runCli(["start", "--duration", "1", "--interval", "1", "--wait"], { env, timeoutMs: 60_000 });
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(readFileSync(endpointFileFor(join(data, "hub.sqlite")), "utf8")).pid).toBe(hub.child.pid);

    hub.child.kill("SIGTERM");
    await hub.exited;
    const again = await hubWith([], env);
    expect(printedToken(again)).toBe(token); // stored: clients' connection strings keep working
  });

  test("--token-file and DURABLE_MONITOR_TUI_HUB_TOKEN keep the token out of argv", async () => {
    const dir = tempDir("dmt-hubtok-");
    const file = join(dir, "token");
    writeFileSync(file, "from-a-file\n", { mode: 0o600 });
    const fromFile = await hubWith(["--db", join(dir, "a.sqlite"), "--token-file", file]);
    expect(printedToken(fromFile)).toBe("from-a-file");
    expect(fromFile.child.spawnargs.join(" ")).not.toContain("from-a-file");
    const fromEnv = await hubWith(["--db", join(dir, "b.sqlite")], { DURABLE_MONITOR_TUI_HUB_TOKEN: "from-the-env" });
    expect(printedConnection(fromEnv)).toMatch(/;Token=from-the-env$/);

    const bad = await runCli(["hub", "--port", "0", "--db", join(dir, "c.sqlite"), "--token", "has;semicolon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("whitespace, ';' and '=' are not allowed in a hub token");
  });
});

describe("one hub per database", () => {
  test("two hub processes on one --db: the second refuses (exit 4), also when the endpoint file is gone (the database lock)", async () => {
    const dir = tempDir("dmt-onehub-");
    const db = join(dir, "hub.sqlite");
    const first = await hubWith(["--db", db]);
    const second = await runCli(["hub", "--port", "0", "--db", db]);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain(`already served by process ${first.child.pid}`);

    unlinkSync(endpointFileFor(db));
    const blind = await runCli(["hub", "--port", "0", "--db", db]);
    expect(blind.code).toBe(4);
    expect(blind.stderr).toMatch(/in use by another process.*one hub per database/);
  });

  test("an embedded owner cannot open a database another server holds without an endpoint file", async () => {
    const dbPath = join(tempDir("dmt-onehub-"), "hub.sqlite");
    const holder = await startHub({ dbPath, token: "t" });
    try {
      await expect(acquireEmbeddedHub({ dbPath })).rejects.toBeInstanceOf(DatabaseLockedError);
    } finally {
      await holder.stop();
    }
    const after = await acquireEmbeddedHub({ dbPath });
    expect(after.owned).toBe(true);
    await after.release();
  });
});

/** The engine's connection counts as shared: a command monitor's ad-hoc command line is refused, and nothing runs. */
async function expectAdHocCommandRefused(engine: Awaited<ReturnType<typeof createEngine>>, dir: string): Promise<void> {
  expect(engine.connection.sharedHub).toBe(true);
  const marker = join(dir, "ran");
  const id = await engine.start({ kind: "command", target: { command: `touch ${marker}` }, pollingIntervalSeconds: 0.5, timeoutSeconds: 30, maxConsecutiveFailures: 1 });
  const end = await engine.waitForCompletion(id, 30_000);
  expect(end.failure?.message).toMatch(/Command line refused: this worker's profile 'test'.*allowAdHocCommands/);
  expect(existsSync(marker)).toBe(false);
}

describe("a default-profile worker joining a standalone hub", () => {
  test("treats it as shared: an ad-hoc command line runs only where its profile allows it, as on any non-embedded hub", async () => {
    const dir = tempDir("dmt-joined-");
    const db = join(dir, "hub.sqlite");
    // The worst case: a hub without a token that any local user can reach.
    await hubWith(["--db", db, "--insecure"]);
    const engine = await createEngine({ profile: embeddedProfile(db), withWorker: true, logFile: join(dir, "worker.log"), verifyTimeoutMs: 5000 });
    try {
      expect(engine.ownsHub).toBe(false);
      await expectAdHocCommandRefused(engine, dir);
    } finally {
      await engine.close();
    }
  });
});

describe("a database a standalone hub served, taken over as the embedded hub after it stopped", () => {
  test("stays shared: no ad-hoc command line runs, and an app's own `monitor` is left to that app (no legacy names)", { timeout: 90_000 }, async () => {
    const dir = tempDir("dmt-was-shared-");
    const db = join(dir, "hub.sqlite");
    const hub = await hubWith(["--db", db, "--insecure"]);
    // Someone else's app scheduled its own orchestration named `monitor` (our legacy name); no worker of theirs yet.
    const theirs = new TaskHubGrpcClient({ hostAddress: hub.address, metadataGenerator: metadataFor("default", undefined), logger: new NoOpLogger() });
    const theirId = await theirs.scheduleNewOrchestration("monitor", { notOurs: true });
    await theirs.stop();
    hub.child.kill("SIGTERM");
    await hub.exited;

    const logFile = join(dir, "worker.log");
    const engine = await createEngine({ profile: embeddedProfile(db), withWorker: true, logFile, verifyTimeoutMs: 5000 });
    try {
      expect(engine.ownsHub).toBe(true);
      await expectAdHocCommandRefused(engine, dir);
      expect((await engine.get(theirId))?.runtimeStatus).toBe("Pending");
      expect(readFileSync(logFile, "utf8")).not.toContain("registering the legacy names");
    } finally {
      await engine.close();
    }
  });
});
