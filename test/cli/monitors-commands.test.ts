/**
 * The monitor commands through `main(argv, io)` in-process, against a real embedded hub that this test process
 * owns (as a running dashboard would) with a real worker; the commands connect to it as clients.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { runMain } from "../helpers/run-main.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { defaultDbPath } from "../../src/paths.js";
import { cliEnv } from "../helpers/cli.js";
import { embeddedProfile, waitFor } from "../engine/engine-helpers.js";

describe("monitor commands (in-process main)", () => {
  let env: NodeJS.ProcessEnv;
  let owner: LocalEngine;

  const run = (...argv: string[]) => runMain(argv, { env });
  const json = async (...argv: string[]) => {
    const r = await run(...argv, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };
  const statusOf = async (id: string) => (await json("status", id)).runtimeStatus as string;

  beforeAll(async () => {
    env = cliEnv();
    owner = await createEngine({ profile: embeddedProfile(defaultDbPath(env)), withWorker: true, env, verifyTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await owner?.close();
  });

  it("start / list / status / suspend / resume / raise / terminate / history / purge", async () => {
    const started = await json("start", "--duration", "60", "--interval", "0.3", "--timeout", "120", "--job-id", "nightly-etl");
    expect(started).toEqual({ instanceId: expect.any(String), jobId: "nightly-etl", kind: "simulated" });
    const id = started.instanceId as string;

    const listed = await json("list");
    expect(listed).toEqual([expect.objectContaining({ instanceId: id, jobId: "nightly-etl", kind: "simulated" })]);
    expect(await json("list", "--status", "completed,failed")).toEqual([]);
    const table = await run("list");
    expect(table.stdout).toMatch(/^INSTANCE\s+STATUS\s+NAME\s+JOB/);
    expect(table.stdout).toContain("nightly-etl");

    await waitFor("Running with a check", async () => {
      const s = await json("status", id);
      return s.runtimeStatus === "Running" && s.customStatus?.checkCount >= 1;
    });
    const details = await run("status", id);
    expect(details.stdout).toContain("Job:           nightly-etl (simulated)");

    expect(await json("suspend", id)).toEqual({ ok: true, action: "suspend", instanceId: id, changed: true });
    await waitFor("Suspended", async () => (await statusOf(id)) === "Suspended");
    // A suspended monitor has no next check (its stored time would soon lie in the past).
    expect((await run("status", id)).stdout).toMatch(/^Next check:\s+paused \(suspended: resume ID\)$/m);
    expect((await run("resume", id)).code).toBe(0);
    await waitFor("Running", async () => (await statusOf(id)) === "Running");

    expect((await run("raise", id, "set-interval", "--data", "0.2")).stdout).toBe(`raised set-interval on ${id}\n`);
    expect((await run("raise", id, "poll-now")).code).toBe(0);
    expect(await json("raise", id, "poll-now")).toEqual({ ok: true, action: "raise", instanceId: id, event: "poll-now" });
    const unknownEvent = await run("raise", id, "poll_now");
    expect(unknownEvent.code).toBe(2);
    expect(unknownEvent.stderr).toMatch(/does not know the event 'poll_now'; it accepts poll-now \(no data\), set-interval --data <seconds>/);
    const ignorable = await run("raise", id, "set-interval", "--data", '"abc"');
    expect(ignorable.code).toBe(2);
    expect(ignorable.stderr).toMatch(/set-interval needs --data with an interval in seconds .*got "abc"/);
    const bad = await run("raise", id, "set-interval", "--data", "{not json");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--data must be JSON/);

    const notYet = await run("purge", id);
    expect(notYet.code).toBe(2);
    expect(notYet.stderr).toBe(`Error: Cannot purge '${id}': it is Running — terminate it first\n`);
    // Under --json the error and its remedy are separate fields, on stdout where the result would have been.
    const notYetJson = await run("purge", id, "--json");
    expect(notYetJson).toMatchObject({ code: 2, stderr: "" });
    expect(JSON.parse(notYetJson.stdout)).toEqual({ error: `Cannot purge '${id}': it is Running`, try: "terminate it first", exitCode: 2 });

    expect((await run("terminate", id, "--reason", "done for today")).stdout).toBe(`terminated ${id}\n`);
    await waitFor("Terminated", async () => (await statusOf(id)) === "Terminated");
    expect((await json("status", id)).rawOutput).toContain("done for today");

    const history = await json("history", id);
    expect(history.checks.length).toBeGreaterThanOrEqual(1);
    expect(history.checks[0]).toEqual(expect.objectContaining({ status: expect.any(String), time: expect.any(String), failed: false }));
    expect(history.events.map((e: { type: string }) => e.type)).toContain("ExecutionStarted");
    expect((await run("history", id)).stdout).toMatch(/^Checks:/);

    expect((await run("purge", id)).stdout).toBe("purged 1 instance\n");
    const gone = await run("status", id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`No instance '${id}'`);
    expect(JSON.parse((await run("status", id, "--json")).stdout)).toEqual({ error: `No instance '${id}' in task hub 'default'`, exitCode: 1 });
  });

  it("an action on an instance already in its target state is exit 0 with a note, for every action", async () => {
    const id = (await json("start", "--duration", "60", "--interval", "0.3", "--timeout", "120")).instanceId as string;
    const noOp = async (action: string, word: string) => {
      const text = await run(action, id);
      expect(text).toEqual({ code: 0, stdout: "", stderr: `note: ${id} is ${word}: nothing to ${action}\n` });
      const asJson = await run(action, id, "--json");
      expect(asJson.code).toBe(0);
      expect(JSON.parse(asJson.stdout)).toEqual({ ok: true, action, instanceId: id, changed: false, status: word.toLowerCase() });
    };
    await waitFor("Running", async () => (await statusOf(id)) === "Running");
    await noOp("resume", "Running");
    expect((await run("suspend", id)).code).toBe(0);
    await waitFor("Suspended", async () => (await statusOf(id)) === "Suspended");
    await noOp("suspend", "Suspended");
    expect((await run("terminate", id)).stdout).toBe(`terminated ${id}\n`);
    await waitFor("Terminated", async () => (await statusOf(id)) === "Terminated");
    await noOp("terminate", "Terminated");
    const finished = await run("suspend", id);
    expect(finished.code).toBe(2);
    expect(finished.stderr).toMatch(/Cannot suspend .*already Terminated/);
    const missing = await run("terminate", "no-such-instance");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No instance 'no-such-instance'");
    expect((await run("purge", id)).code).toBe(0);
  });

  it("restart starts the same spec under a new instance id and keeps the old run", async () => {
    const old = await json("start", "--duration", "0.4", "--interval", "0.2", "--job-id", "again");
    await waitFor("Completed", async () => (await statusOf(old.instanceId)) === "Completed");
    const restarted = await run("restart", old.instanceId);
    expect(restarted.code).toBe(0);
    const newId = restarted.stdout.trim();
    expect(newId).toMatch(/^\S+$/);
    expect(newId).not.toBe(old.instanceId);
    expect(await json("status", newId)).toMatchObject({ jobId: "again", spec: { target: { durationSeconds: 0.4 } }, restartedFrom: old.instanceId });
    expect((await run("status", newId)).stdout).toMatch(new RegExp(`Restarted from:\\s+${old.instanceId}\n`));
    expect(await json("status", old.instanceId)).toMatchObject({ runtimeStatus: "Completed", jobId: "again", restartedFrom: null });
    const again = await json("restart", old.instanceId);
    expect(again).toEqual({ ok: true, action: "restart", instanceId: old.instanceId, newInstanceId: expect.any(String) });
    expect(new Set([old.instanceId, newId, again.newInstanceId]).size).toBe(3);
    expect((await run("restart", "no-such-instance")).code).toBe(1);
    for (const instance of [old.instanceId, newId, again.newInstanceId]) {
      await waitFor("Completed", async () => (await statusOf(instance)) === "Completed");
      expect((await run("purge", instance)).code).toBe(0);
    }
  });

  it("start --wait exits 0 for Completed and 1 for Failed (another worker runs them)", async () => {
    const ok = await run("start", "--duration", "0.6", "--interval", "0.2", "--wait", "--no-worker");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/: Completed after \d+ checks/);
    const failed = await run("start", "--duration", "2", "--interval", "0.2", "--fail-at", "30", "--wait", "--no-worker", "--json");
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout).output.finalStatus).toBe("Failed");
    const late = await run("start", "--duration", "60", "--interval", "0.2", "--timeout", "1", "--wait", "--no-worker", "--json");
    expect(late.code).toBe(1);

    // One vocabulary: a simulated failure is Failed in list, its filter and its JSON; met/timedout are filters too.
    const okId = ok.stdout.split(":")[0]!;
    const failedId = JSON.parse(failed.stdout).instanceId as string;
    const lateId = JSON.parse(late.stdout).instanceId as string;
    const idsOf = (list: Array<{ instanceId: string }>) => list.map((m) => m.instanceId).sort();
    expect(idsOf(await json("list", "--status", "failed"))).toEqual([failedId]);
    expect(idsOf(await json("list", "--status", "timedout"))).toEqual([lateId]);
    expect(idsOf(await json("list", "--status", "Timed out,completed"))).toEqual([okId, lateId].sort());
    expect(await json("list", "--status", "met")).toEqual([]);
    expect(await json("status", failedId)).toMatchObject({ status: "failed", statusText: "Failed", runtimeStatus: "Completed" });
    expect((await run("list")).stdout).toMatch(new RegExp(`${failedId}\\s+✗ Failed`));
    expect((await run("status", lateId)).stdout).toMatch(/Status:\s+◷ Timed out \(runtime Completed\)/);
    const purged = await run("purge", "--completed", "--older-than", "0s");
    expect(purged.stdout).toMatch(/^purged [2-9]\d* instances\n$/);
  });

  it("start --kind http with kind flags polls a job API (a local stand-in) until it reports done", async () => {
    let calls = 0;
    const api: Server = createServer((req, res) => {
      calls++;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(calls < 3 ? { state: "Running", pct: calls * 30 } : { state: "Succeeded", pct: 100 }));
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", () => r()));
    try {
      const { port } = api.address() as { port: number };
      const r = await run("start", "--kind", "http", "--url", `http://127.0.0.1:${port}/jobs/{jobId}`, "--job-id", "42", "--status-path", "state",
        "--progress-path", "pct", "--interval", "0.2", "--wait", "--no-worker", "--json");
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.spec.target).toMatchObject({ url: `http://127.0.0.1:${port}/jobs/{jobId}`, statusPath: "state", progressPath: "pct" });
      expect(out.output).toMatchObject({ finalStatus: "Completed", checksPerformed: 3, lastStatus: { status: "Completed", progress: 100 } });
      expect(calls).toBe(3);
    } finally {
      api.close();
    }
  });

  it("refuses bad flags with exit 2 before contacting anything", async () => {
    expect((await run("start", "--kind", "nope")).code).toBe(2);
    expect((await run("start", "--interval", "soon")).stderr).toMatch(/--interval must be a number/);
    expect((await run("start", "--kind", "http")).stderr).toMatch(/target\.url/);
    expect((await run("start", "--url", "http://x")).stderr).toMatch(/--url applies to --kind http/);
    const unknown = await run("list", "--status", "Runing");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/pending, queued, running, suspended, .*met, failed, timedout, terminated/);
    expect((await run("purge")).code).toBe(2);
    expect((await run("purge", "x", "--completed")).code).toBe(2);
    expect((await run("purge", "--completed", "--older-than", "a week")).code).toBe(2);
    const noTerminal = await run("dashboard");
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/the dashboard needs a terminal/);
    const noPreset = await run("start", "--preset", "missing");
    expect(noPreset.stderr).toMatch(/No preset 'missing'/);
    expect(noPreset.code).toBe(2);
  });
});
