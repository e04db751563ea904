/**
 * The dashboard's first page without the SDK (engine/first-page.ts): against a real hub that another engine owns (as
 * a dashboard finds a worker's hub), through its endpoint file and through a plaintext loopback endpoint with the
 * hub's token; and from the database of an embedded hub no process serves. The rows are the full engine's. Where it
 * does not apply (no hub answering, TLS, a credential, the switch off, a busy or foreign file) it answers undefined
 * without throwing, and a file it reads is left as it was.
 */
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { NoOpLogger, TaskHubGrpcClient, TaskHubGrpcWorker, type OrchestrationContext } from "@microsoft/durabletask-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { peekFirstPage } from "../../src/engine/first-page.js";
import { endpointFileFor, readEndpoint } from "../../src/engine/hub/endpoint-file.js";
import { startHub } from "../../src/engine/hub/index.js";
import type { DtsConnection, ResolvedProfile } from "../../src/engine/profile.js";
import { cliEnv, tempDir } from "../helpers/cli.js";
import { waitFor } from "./engine-helpers.js";

const dataDir = tempDir("dmt-first-page-");
const env = cliEnv({ DURABLE_MONITOR_TUI_DATA_DIR: dataDir, DURABLE_MONITOR_TUI_LOG_FILE: join(dataDir, "test.log") });
const embedded: ResolvedProfile = { name: "default", connection: { type: "embedded", dbPath: join(dataDir, "hub.sqlite") }, taskHub: "default", defaults: {}, presets: {}, source: "builtin" };

function endpointProfile(parsed: Partial<DtsConnection> & { endpoint: string }): ResolvedProfile {
  const connection: DtsConnection = { authentication: "None", taskHub: "default", ...parsed };
  return { ...embedded, name: "remote", connection: { type: "dts", connectionString: `Endpoint=${parsed.endpoint}`, parsed: connection } };
}

let owner: LocalEngine;
let token: string;
const ids: string[] = [];

beforeAll(async () => {
  owner = await createEngine({ profile: embedded, withWorker: true, env });
  token = readEndpoint(endpointFileFor(join(dataDir, "hub.sqlite")))!.token;
  for (const jobId of ["first-a", "first-b", "first-c"]) {
    ids.push(await owner.start({ kind: "simulated", jobId, target: { durationSeconds: 3600 }, pollingIntervalSeconds: 60, timeoutSeconds: 7200 }));
  }
  await waitFor("every monitor's first check", async () => (await owner.list()).every((m) => (m.customStatus?.checkCount ?? 0) >= 1));
});

afterAll(async () => {
  await owner?.close();
});

type Row = { instanceId: string; runtimeStatus: string; customStatus?: { jobId?: string; checkCount?: number }; failure?: { message: string } };
const rows = (snapshots: Row[] | undefined) =>
  snapshots
    ?.map((s) => ({ id: s.instanceId, status: s.runtimeStatus, job: s.customStatus?.jobId, checks: s.customStatus?.checkCount, failure: s.failure?.message }))
    .sort((a, b) => a.id.localeCompare(b.id));

/** What a directory holds, with each file's size and modification time: a read must leave it as it was. */
const filesOf = (dir: string) =>
  readdirSync(dir)
    .filter((name) => !name.endsWith(".log"))
    .map((name) => ({ name, size: statSync(join(dir, name)).size, mtime: statSync(join(dir, name)).mtimeMs }));

describe("peekFirstPage", () => {
  test("the embedded hub another process serves (its endpoint file): the full engine's rows", async () => {
    const page = await peekFirstPage(embedded, env, 5000);
    expect(rows(page)).toEqual(rows(await owner.list()));
    expect(rows(page)?.map((r) => r.job)).toEqual(expect.arrayContaining(["first-a", "first-b", "first-c"]));
  });

  test("a plaintext loopback endpoint without credentials, with the hub's token", async () => {
    const page = await peekFirstPage(endpointProfile({ endpoint: `http://${owner.connection.address}`, token }), env, 5000);
    expect(rows(page)).toEqual(rows(await owner.list()));
  });

  test("undefined where it does not apply or nothing answers, never an error", async () => {
    const other = cliEnv({ DURABLE_MONITOR_TUI_LOG_FILE: join(dataDir, "test.log") });
    const unanswered = [
      peekFirstPage(embedded, { ...env, DURABLE_MONITOR_TUI_WIRE: "off" }, 5000),
      peekFirstPage({ ...embedded, connection: { type: "embedded", dbPath: join(tempDir("dmt-first-page-none-"), "hub.sqlite") } }, other, 5000),
      peekFirstPage(endpointProfile({ endpoint: `https://${owner.connection.address}`, token }), env, 5000),
      peekFirstPage(endpointProfile({ endpoint: `http://${owner.connection.address}`, authentication: "DefaultAzure" }), env, 5000),
      peekFirstPage(endpointProfile({ endpoint: "http://127.0.0.1:1", token }), env, 5000),
      peekFirstPage(endpointProfile({ endpoint: `http://${owner.connection.address}`, token: "not-the-token" }), env, 5000),
    ];
    expect(await Promise.all(unanswered)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe("peekFirstPage, the embedded hub no process serves: from its database", () => {
  const dir = tempDir("dmt-first-page-db-");
  const dbPath = join(dir, "hub.sqlite");
  const dbEnv = cliEnv({ DURABLE_MONITOR_TUI_DATA_DIR: dir, DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "test.log") });
  const profile: ResolvedProfile = { ...embedded, connection: { type: "embedded", dbPath } };
  let listed: Row[] = [];

  beforeAll(async () => {
    // Someone else's orchestrations: one that reports the monitor convention and waits, one that fails, one pending.
    const hub = await startHub({ dbPath });
    const worker = new TaskHubGrpcWorker({ hostAddress: hub.address, logger: new NoOpLogger() });
    worker.addNamedOrchestrator("Theirs.Reports", async function* (ctx: OrchestrationContext): any {
      ctx.setCustomStatus({ job_id: "theirs-1", status: "Running", check_count: 2, last_check_time: "2026-12-02T00:00:00Z" });
      yield ctx.waitForExternalEvent("never");
    });
    worker.addNamedOrchestrator("Theirs.Breaks", async function* (): any {
      throw new Error("broken on purpose");
    });
    await worker.start();
    const client = new TaskHubGrpcClient({ hostAddress: hub.address, logger: new NoOpLogger() });
    const reports = await client.scheduleNewOrchestration("Theirs.Reports");
    const breaks = await client.scheduleNewOrchestration("Theirs.Breaks");
    await client.scheduleNewOrchestration("Theirs.NobodyRunsIt");
    await waitFor("the report", async () => (await client.getOrchestrationState(reports))?.serializedCustomStatus);
    await waitFor("the failure", async () => (await client.getOrchestrationState(breaks))?.failureDetails);
    await worker.stop();
    await client.stop();
    await hub.stop();
    // What the full engine lists once it opened the hub itself.
    const engine = await createEngine({ profile, withWorker: false, env: dbEnv });
    listed = await engine.list();
    await engine.close();
  });

  test("the full engine's rows, failures and reports included; the files are left as they were", async () => {
    const before = filesOf(dir);
    const page = await peekFirstPage(profile, dbEnv, 5000);
    expect(rows(page)).toEqual(rows(listed));
    expect(rows(page)?.map((r) => [r.job, r.checks, r.failure])).toEqual(
      expect.arrayContaining([
        ["theirs-1", 2, undefined],
        [undefined, undefined, expect.stringContaining("broken on purpose")],
      ]),
    );
    expect(filesOf(dir)).toEqual(before);
  });

  test("undefined while a hub holds the file, for a file that is no hub's database, and with the switch off", async () => {
    const hub = await startHub({ dbPath });
    try {
      expect(await peekFirstPage(profile, dbEnv, 5000)).toBeUndefined();
    } finally {
      await hub.stop();
    }
    expect(await peekFirstPage(profile, { ...dbEnv, DURABLE_MONITOR_TUI_WIRE: "off" }, 5000)).toBeUndefined();
    const foreign = join(tempDir("dmt-first-page-foreign-"), "hub.sqlite");
    writeFileSync(foreign, "not a database, and it stays so");
    const before = filesOf(dirname(foreign));
    expect(await peekFirstPage({ ...profile, connection: { type: "embedded", dbPath: foreign } }, dbEnv, 5000)).toBeUndefined();
    expect(filesOf(dirname(foreign))).toEqual(before);
  });
});
