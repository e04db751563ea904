/**
 * The table's query carries no inputs or outputs (lists stay small whatever the payloads): the details screen reads
 * them for its one instance, for any orchestration, ours or not.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoOpLogger, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor } from "../../src/engine/hub/embedded.js";
import { defaultDbPath } from "../../src/paths.js";
import { cliEnv } from "../helpers/cli.js";
import { runMain } from "../helpers/run-main.js";
import { metadataFor } from "../helpers/hub.js";
import { KEY, renderDashboard, type DashboardHarness } from "../helpers/render.js";
import { embeddedProfile } from "../engine/engine-helpers.js";

let env: NodeJS.ProcessEnv;
let engine: LocalEngine;
let client: TaskHubGrpcClient;
let h: DashboardHarness | undefined;

beforeAll(async () => {
  env = cliEnv();
  const dbPath = defaultDbPath(env);
  engine = await createEngine({ profile: embeddedProfile(dbPath), withWorker: false, env, verifyTimeoutMs: 5000 });
  const endpoint = JSON.parse(readFileSync(endpointFileFor(dbPath), "utf8")) as { host: string; port: number; token: string };
  client = new TaskHubGrpcClient({ hostAddress: `${endpoint.host}:${endpoint.port}`, metadataGenerator: metadataFor(undefined, endpoint.token), logger: new NoOpLogger() });
});

afterAll(async () => {
  h?.unmount();
  await client?.stop();
  await engine?.close();
});

describe("details of an orchestration that is not a monitor", () => {
  it("shows its input, read when the details open (the table has none); action keys act on it there", async () => {
    // Nobody runs `nightlyReport`: it stays Pending with its input stored.
    const id = await client.scheduleNewOrchestration("nightlyReport", { region: "west-europe", batch: 42 });
    const listed = (await engine.list()).find((m) => m.instanceId === id);
    expect(listed?.name).toBe("nightlyReport");
    expect(listed?.input).toBeUndefined();

    h = renderDashboard({ columns: 120, rows: 60, engine });
    await h.waitFor((f) => f.includes(id.slice(0, 8)) || f.includes("nightlyReport"));
    await h.press(KEY.enter);
    const details = await h.waitFor((f) => f.includes("Input") && f.includes('"region": "west-europe"'));
    expect(details).toContain('"batch": 42');
    expect(details).not.toContain("(not known: none, or too large to keep)");

    // The same from the CLI: `list --json` carries no payloads; `--payloads` reads them, one instance at a time.
    const listJson = async (...args: string[]) => {
      const r = await runMain(["list", "--json", "--name", "nightlyReport", ...args], { env });
      expect(r.stderr).toBe("");
      return JSON.parse(r.stdout) as Array<{ instanceId: string; input: unknown }>;
    };
    expect((await listJson())[0]).toMatchObject({ instanceId: id, input: null });
    expect((await listJson("--payloads"))[0]).toMatchObject({ instanceId: id, input: { region: "west-europe", batch: 42 } });
    expect((await runMain(["list", "--payloads"], { env })).code).toBe(2);

    // Action keys work on the details screen, on the instance shown.
    await h.press("t");
    await h.waitFor("Terminate");
    await h.press(KEY.enter);
    await h.waitFor((f) => /Terminated/.test(f), 20_000);
    expect((await engine.get(id))?.runtimeStatus).toBe("Terminated");
  });
});
