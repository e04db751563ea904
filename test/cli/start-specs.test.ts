/**
 * `start --specs`: many monitors from JSON Lines in one command, through `main(argv, io)` in-process, against a real
 * embedded hub that this test process owns (no worker: the monitors stay Pending, which is all this needs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runMain } from "../helpers/run-main.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { defaultDbPath } from "../../src/paths.js";
import { cliEnv, tempDir } from "../helpers/cli.js";
import { embeddedProfile } from "../engine/engine-helpers.js";

const line = (jobId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 30, timeoutSeconds: 900, jobId, ...extra });

describe("start --specs (JSON Lines)", () => {
  let env: NodeJS.ProcessEnv;
  let owner: LocalEngine;
  const run = (argv: string[], input?: string) => runMain(argv, { env, input });
  const jobIds = async () => (await owner.list({})).map((s) => s.spec?.jobId).sort();

  beforeAll(async () => {
    env = cliEnv();
    owner = await createEngine({ profile: embeddedProfile(defaultDbPath(env)), withWorker: false, env, verifyTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await owner?.close();
  });

  it("starts every line's monitor from stdin and prints their ids in the input's order", async () => {
    const input = [line("a"), "", line("b"), line("c", { pollingIntervalSeconds: 5 })].join("\n") + "\n";
    const r = await run(["start", "--specs", "-", "--json"], input);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.stdout) as Array<{ instanceId: string }>).map((x) => x.instanceId);
    expect(ids).toHaveLength(3);
    const byId = await Promise.all(ids.map((id) => owner.get(id)));
    expect(byId.map((s) => s?.spec?.jobId)).toEqual(["a", "b", "c"]);
    expect(byId[2]?.spec?.pollingIntervalSeconds).toBe(5);
  });

  it("reads a file; plain output is one id per line", async () => {
    const file = join(tempDir(), "specs.jsonl");
    writeFileSync(file, Array.from({ length: 40 }, (_, i) => line(`file-${i}`)).join("\n"));
    const r = await run(["start", "--specs", file]);
    expect(r.code).toBe(0);
    const ids = r.stdout.trim().split("\n");
    expect(new Set(ids).size).toBe(40);
    expect((await jobIds()).filter((j) => j?.startsWith("file-"))).toHaveLength(40);
  });

  it("refuses a bad line before scheduling anything: exit 2 naming the line", async () => {
    const before = await jobIds();
    let r = await run(["start", "--specs", "-"], [line("ok-1"), "{not json", line("ok-2")].join("\n"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: stdin line 2: not JSON/);
    r = await run(["start", "--specs", "-"], [line("ok-1"), line("bad", { pollingIntervalSeconds: -1 })].join("\n"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: spec 2: Invalid monitor spec: pollingIntervalSeconds/);
    expect(await jobIds()).toEqual(before);
  });

  it("refuses empty input, a missing file, and spec flags or --wait beside --specs", async () => {
    expect(await run(["start", "--specs", "-"], "\n\n")).toMatchObject({ code: 2, stderr: "Error: stdin: no spec in it (one JSON object per line)\n" });
    expect(await run(["start", "--specs", join(tempDir(), "none.jsonl")])).toMatchObject({ code: 2, stderr: expect.stringContaining("no such file") });
    expect((await run(["start", "--specs", "-", "--duration", "3"], line("x"))).stderr).toContain("cannot be combined with spec flags (duration)");
    expect((await run(["start", "--specs", "-", "--wait"], line("x"))).stderr).toContain("cannot be combined with --wait");
  });
});
