/**
 * A clean stop of the engine's worker (what `q`, Ctrl-C and SIGTERM of `worker` end in), with real command monitors,
 * the real SDK worker and the real hub: a check that finished during the stop is recorded, never run again; a long
 * command is killed with its whole process group within a couple of seconds, and its check runs on the next worker.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import type { ResolvedProfile } from "../../src/engine/profile.js";
import { startTestHub } from "../helpers/hub.js";
import { groupRunning } from "../helpers/process-group.js";
import { embeddedProfile, endpointProfile, tempDir, waitFor } from "./engine-helpers.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  closers.length = 0;
});

async function engineFor(profile: ResolvedProfile, dir: string, name: string): Promise<LocalEngine> {
  const engine = await createEngine({ profile, withWorker: true, logFile: join(dir, `${name}.log`), env: { ...process.env, DURABLE_MONITOR_TUI_DATA_DIR: dir } });
  closers.push(() => engine.close());
  return engine;
}

/** The lines of the runs file: `<job> start <pgid>` when a command starts, `<job> end` when it finished its work. */
function runs(file: string): string[][] {
  return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ")) : [];
}

describe("a clean stop of the worker", () => {
  it("checks that finish during the stop are recorded and never run again", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "hub.sqlite");
    const file = join(dir, "runs");
    const command = `echo "$MONITOR_JOB_ID start $$" >> ${file}; sleep 0.2; echo "$MONITOR_JOB_ID end" >> ${file}`;
    const first = await engineFor(embeddedProfile(dbPath), dir, "first");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await first.start({ kind: "command", jobId: `job${i}`, target: { command }, pollingIntervalSeconds: 1 }));
    await waitFor("all three commands running", () => runs(file).filter((r) => r[1] === "start").length === 3, 20_000);

    await first.close();

    const second = await engineFor(embeddedProfile(dbPath), dir, "second");
    for (const id of ids) {
      const done = await second.waitForCompletion(id, 20_000);
      expect(done.runtimeStatus).toBe("Completed");
      expect((done.outputValue as { checksPerformed: number }).checksPerformed).toBe(1);
    }
    const lines = runs(file);
    for (let i = 0; i < 3; i++) expect(lines.filter((r) => r[0] === `job${i}`).map((r) => r[1])).toEqual(["start", "end"]);
  });

  it("a long command is killed with its process group within seconds, and its check goes back to the hub at once", async () => {
    const hub = await startTestHub();
    closers.push(() => hub.stop());
    const dir = tempDir();
    const file = join(dir, "runs");
    const profile: ResolvedProfile = { ...endpointProfile(hub.hub.address), checks: { allowAdHocCommands: true } };
    // The shell waits on a child: killing only the shell would leave the sleep running.
    const command = `echo "$MONITOR_JOB_ID start $$" >> ${file}; sleep 30 & wait; echo "$MONITOR_JOB_ID end" >> ${file}`;
    const first = await engineFor(profile, dir, "first");
    const id = await first.start({ kind: "command", jobId: "long", target: { command, timeoutSeconds: 120 }, pollingIntervalSeconds: 1 });
    const [started] = await waitFor("the command running", () => runs(file).filter((r) => r[1] === "start").length === 1 && runs(file), 20_000);
    const pgid = Number(started![2]);
    expect(groupRunning(pgid)).toBe(true);

    const stopAt = Date.now();
    await first.close();
    expect(Date.now() - stopAt).toBeLessThan(5000);
    expect(groupRunning(pgid)).toBe(false);

    const second = await engineFor(profile, dir, "second");
    const again = await waitFor("the check running on the next worker", () => runs(file).filter((r) => r[1] === "start").length === 2 && runs(file), 15_000);
    expect(runs(file).some((r) => r[1] === "end")).toBe(false);
    const snapshot = await second.get(id);
    expect(snapshot?.runtimeStatus).toBe("Running");
    await second.terminate(id, "test over");
    const secondGroup = Number(again[1]![2]);
    await second.close();
    expect(groupRunning(secondGroup)).toBe(false);
  });
});
