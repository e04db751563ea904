/**
 * Someone else's monitor, written after Microsoft's samples (a separate SDK worker process on the same hub as our
 * engine and its worker): `list --json`, the dashboard row, details, actions and raise read it by the convention.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoOpLogger, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor } from "../../src/engine/hub/embedded.js";
import { defaultDbPath } from "../../src/paths.js";
import { cliEnv } from "../helpers/cli.js";
import { metadataFor } from "../helpers/hub.js";
import { spawnOtherApp } from "../helpers/other-app.js";
import { runMain } from "../helpers/run-main.js";
import { KEY, renderDashboard, type DashboardHarness } from "../helpers/render.js";
import { embeddedProfile, waitFor } from "../engine/engine-helpers.js";

let env: NodeJS.ProcessEnv;
let engine: LocalEngine;
let app: ChildProcess;
let client: TaskHubGrpcClient;
let h: DashboardHarness | undefined;

beforeAll(async () => {
  env = cliEnv();
  const dbPath = defaultDbPath(env);
  engine = await createEngine({ profile: embeddedProfile(dbPath), withWorker: true, env, verifyTimeoutMs: 5000 });
  const endpoint = JSON.parse(readFileSync(endpointFileFor(dbPath), "utf8")) as { host: string; port: number; token: string };
  const address = `${endpoint.host}:${endpoint.port}`;
  app = await spawnOtherApp("sample-monitor-worker.mjs", address, endpoint.token);
  client = new TaskHubGrpcClient({ hostAddress: address, metadataGenerator: metadataFor(undefined, endpoint.token), logger: new NoOpLogger() });
});

afterAll(async () => {
  h?.unmount();
  app?.kill("SIGTERM");
  await client?.stop();
  await engine?.close();
});

/** The table row of a job (rows start with a 4-cell gutter: cursor, mark, alert, space). */
const row = (frame: string, jobId: string) => frame.split("\n").find((l) => l.slice(4).startsWith(`${jobId} `)) ?? "";
const listJson = async (...args: string[]) => {
  const r = await runMain(["list", "--json", ...args], { env });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as Array<Record<string, any>>;
};
/** A TIME LEFT cell: a bar, then the time left (both monitors here have more than a minute). */
const TIME_LEFT = /[█▉▊▋▌▍▎▏░]{3,} 1m \d+s/;
const checksOf = async (id: string) => (await engine.get(id))?.customStatus?.checkCount ?? 0;

describe("a monitor that follows the samples' convention, in another app's worker process", () => {
  it("snake_case: list --json, the row with NEXT and TIME LEFT, no c/i, raise reaches it, details, completion", async () => {
    const id = await client.scheduleNewOrchestration("job_monitor", {
      job_id: "job-uuid-12345", polling_interval_seconds: 2, timeout_seconds: 120, checks_to_complete: 50,
    });
    await waitFor("two checks", async () => (await checksOf(id)) >= 2, 20_000);

    const [listed] = await listJson("--name", "job_monitor");
    expect(listed).toMatchObject({ instanceId: id, name: "job_monitor", jobId: "job-uuid-12345", status: "running", input: { polling_interval_seconds: 2 } });
    expect(listed!.monitor.checkCount).toBe(listed!.customStatus.check_count);
    expect(listed!.monitor.checkCount).toBeGreaterThanOrEqual(2);
    expect(listed!.monitor.progress).toBe(listed!.customStatus.progress_percent);
    expect(Date.parse(listed!.monitor.deadline)).toBe(Date.parse(listed!.createdAt) + 120_000);
    expect(Date.parse(listed!.monitor.nextCheckAt)).toBe(Date.parse(listed!.monitor.lastCheckTime) + 2000);
    expect(listed!.monitor.intervalSeconds).toBe(2);

    h = renderDashboard({ engine, columns: 160, rows: 70 });
    const shown = await h.waitFor((f) => {
      const r = row(f, "job-uuid-12345");
      return /▶ Running/.test(r) && /\d+%/.test(r) && /in [12]s/.test(r) && TIME_LEFT.test(r);
    }, 20_000);
    expect(row(shown, "job-uuid-12345")).toContain("job_monitor");

    await h.press("/");
    await h.type("job-uuid");
    await h.press(KEY.enter);
    const selected = await h.waitFor((f) => row(f, "job-uuid-12345").startsWith("›") && f.includes("e event"));
    expect(selected).not.toContain("c check now");
    expect(selected).not.toContain("i interval");
    await h.press("c");
    await h.waitFor("declares no check-now event");

    await h.press("e");
    await h.waitFor("its name:");
    await h.type("nudge");
    await h.press(KEY.enter);
    await h.waitFor("Payload of nudge");
    await h.type("{finish");
    await h.waitFor("not JSON");
    await h.press(...Array.from({ length: 7 }, () => KEY.backspace));
    await h.type('{"finish": true}');
    await h.press(KEY.enter);
    await h.waitFor("Raised nudge on job-uuid-12345");

    const done = await engine.waitForCompletion(id, 30_000);
    expect(done.customStatusValue).toMatchObject({ last_event: { finish: true } });
    expect(done.output).toMatchObject({ finalStatus: "Completed" });
    await h.waitFor((f) => row(f, "job-uuid-12345").includes("✓ Completed"));
    const [finished] = await listJson("--name", "job_monitor", "--status", "completed");
    expect(finished).toMatchObject({ status: "completed", monitor: { finalStatus: "Completed" }, output: { final_status: "Completed" } });
    expect(finished!.monitor.checkCount).toBe(finished!.output.checks_performed);

    await h.press(KEY.enter);
    const details = await h.waitFor((f) => f.includes("History") && f.includes("ExecutionStarted"));
    expect(details).toMatch(/"job_id": "job-uuid-12345"/);
    expect(details).toMatch(/"final_status": "Completed"/);
    expect(details).toMatch(/TimerCreated/);
    await h.press("G");
    const end = await h.waitFor((f) => /ExecutionCompleted/.test(f) && f.includes("polling_interval_seconds"));
    expect(end).toMatch(/EventRaised\s+nudge/);
    h.unmount();
    h = undefined;
  });

  it("camelCase with {completed, total} progress, finished by an event with a payload", async () => {
    const id = await client.scheduleNewOrchestration("jobMonitorCamel", {
      jobId: "camel-7", pollingIntervalSeconds: 2, timeoutSeconds: 90, checks_to_complete: 40,
    });
    await waitFor("two checks", async () => (await checksOf(id)) >= 2, 20_000);
    const [listed] = await listJson("--name", "jobmonitorcamel");
    expect(listed).toMatchObject({ jobId: "camel-7", monitor: { phase: "polling", intervalSeconds: 2 } });
    expect(listed!.monitor.checkCount).toBe(listed!.customStatus.checkCount);
    expect(listed!.monitor.progress).toBe((listed!.customStatus.progress.completed / 40) * 100);

    h = renderDashboard({ engine, columns: 160, rows: 40 });
    await h.waitFor((f) => /in [12]s/.test(row(f, "camel-7")) && TIME_LEFT.test(row(f, "camel-7")) && /\d+%/.test(row(f, "camel-7")), 20_000);
    await engine.raise(id, "nudge", { finish: true });
    const done = await engine.waitForCompletion(id, 30_000);
    expect(done.output).toMatchObject({ finalStatus: "Completed", checksPerformed: done.customStatus!.checkCount });
    await h.waitFor((f) => row(f, "camel-7").includes("✓ Completed"));
  });
});
