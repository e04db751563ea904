/**
 * The dashboard's first page without the SDK (engine/first-page.ts): against a real hub that another engine owns (as
 * a dashboard finds a worker's hub), through its endpoint file and through a plaintext loopback endpoint with the
 * hub's token; the rows are the full engine's. Where it does not apply (no hub answering, TLS, a credential, the
 * switch off) it answers undefined without throwing.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { peekFirstPage } from "../../src/engine/first-page.js";
import { endpointFileFor, readEndpoint } from "../../src/engine/hub/endpoint-file.js";
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

const rows = (snapshots: { instanceId: string; runtimeStatus: string; customStatus?: { jobId?: string } }[] | undefined) =>
  snapshots?.map((s) => ({ id: s.instanceId, status: s.runtimeStatus, job: s.customStatus?.jobId })).sort((a, b) => a.id.localeCompare(b.id));

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
