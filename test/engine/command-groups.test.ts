/**
 * After a crash: a worker writes down the process groups of its running commands; the next worker kills those a
 * dead worker left, and only those (a live worker's, or a pid that was recycled, are left alone). With real
 * processes: the built CLI's `worker` killed with SIGKILL in the middle of a command check.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commandGroupRecord, killOrphanedGroups, processStartTime, RUN_MARK_VARIABLE } from "../../src/engine/checks/command-groups.js";
import { runCommand } from "../../src/engine/checks/command.js";
import { createEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor } from "../../src/engine/hub/endpoint-file.js";
import { silentLogger } from "../../src/logging.js";
import { binPath, cliEnv } from "../helpers/cli.js";
import { groupRunning } from "../helpers/process-group.js";
import { embeddedProfile, tempDir, waitFor } from "./engine-helpers.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

/** A detached `sleep` (its own process group) with `env`, killed at the end of the test. */
function detachedSleep(env: NodeJS.ProcessEnv = process.env): number {
  const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore", env });
  cleanups.push(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  });
  return child.pid!;
}

/** The pid of a process that has exited (and was reaped). */
async function deadPid(): Promise<number> {
  const child = spawn("true");
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

function writeRecord(dir: string, owner: { pid: number; started: string }, groups: unknown[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${owner.pid}.json`);
  writeFileSync(file, JSON.stringify({ owner, groups }));
  return file;
}

describe("the record of running command groups", () => {
  it("holds a command's group while it runs, with its start time and mark, and is removed when the last one ends", async () => {
    const base = tempDir();
    const dir = join(base, "running");
    const seen = join(base, "mark");
    const groups = commandGroupRecord(dir, silentLogger)!;
    const file = join(dir, `${process.pid}.json`);
    const stopper = new AbortController();
    const run = runCommand(`echo "$${RUN_MARK_VARIABLE}" > ${seen}; sleep 30`, { timeoutMs: 60_000, groups, label: "sleepy", signal: stopper.signal });
    const recorded = await waitFor("the group recorded", () => existsSync(file) && JSON.parse(readFileSync(file, "utf8")));
    expect(recorded.owner).toEqual({ pid: process.pid, started: processStartTime(process.pid) });
    const [group] = recorded.groups;
    expect(group).toMatchObject({ label: "sleepy", started: processStartTime(group.pgid) });
    const mark = await waitFor("the command saw its mark", () => existsSync(seen) && readFileSync(seen, "utf8").trim());
    expect(mark).toBe(group.mark);
    stopper.abort();
    await run;
    expect(existsSync(file)).toBe(false);
  });

  it("kills the groups of a dead worker that are still what it started, by start time or by mark, and removes its file", async () => {
    const dir = join(tempDir(), "running");
    const byStart = detachedSleep();
    const mark = "mark-1";
    const byMark = detachedSleep({ ...process.env, [RUN_MARK_VARIABLE]: mark });
    const file = writeRecord(dir, { pid: await deadPid(), started: "1" }, [
      { pgid: byStart, started: processStartTime(byStart), mark: "other", label: "a" },
      // The leader's start time no longer matches (as if it had exited and a member lived on): the mark decides.
      ...(process.platform === "linux" ? [{ pgid: byMark, started: "0", mark, label: "b" }] : []),
    ]);
    const killed = killOrphanedGroups(dir, silentLogger);
    expect(killed.map((g) => g.label).sort()).toEqual(process.platform === "linux" ? ["a", "b"] : ["a"]);
    await waitFor("the groups gone", () => !groupRunning(byStart) && (process.platform !== "linux" || !groupRunning(byMark)), 5000);
    expect(existsSync(file)).toBe(false);
  });

  it("leaves a live worker's groups alone, and a recycled pgid (other start time, no mark)", async () => {
    const dir = join(tempDir(), "running");
    const live = detachedSleep();
    const liveFile = writeRecord(dir, { pid: process.pid, started: processStartTime(process.pid)! }, [{ pgid: live, started: processStartTime(live), mark: "m", label: "live" }]);
    const recycled = detachedSleep();
    writeRecord(dir, { pid: await deadPid(), started: "1" }, [{ pgid: recycled, started: "not its start time", mark: "not its mark", label: "recycled" }]);
    expect(killOrphanedGroups(dir, silentLogger)).toEqual([]);
    expect(groupRunning(live)).toBe(true);
    expect(groupRunning(recycled)).toBe(true);
    expect(existsSync(liveFile)).toBe(true);
  });
});

describe("kill -9 of a worker in the middle of a command check", () => {
  it("the next worker kills the command's group before it runs the check again: never two at the same time", async () => {
    const data = tempDir();
    const dbPath = join(data, "hub.sqlite");
    const runs = join(data, "runs");
    const env = cliEnv({ DURABLE_MONITOR_TUI_DATA_DIR: data });
    const workers: ChildProcess[] = [];
    const spawnWorker = () => {
      const child = spawn(process.execPath, [binPath, "worker"], { env, stdio: "ignore" });
      workers.push(child);
      return { child, exited: new Promise((resolve) => child.once("exit", resolve)) };
    };
    cleanups.push(async () => {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
    });
    const started = () => (existsSync(runs) ? readFileSync(runs, "utf8").trim().split("\n").filter(Boolean).map(Number) : []);

    const first = spawnWorker();
    await waitFor("the worker owns the hub", () => existsSync(endpointFileFor(dbPath)), 30_000);
    const client = await createEngine({ profile: embeddedProfile(dbPath), withWorker: false, logFile: join(data, "client.log"), env });
    cleanups.push(() => client.close());
    await client.start({ kind: "command", target: { command: `echo $$ >> ${runs}; sleep 30 & wait`, timeoutSeconds: 120 }, pollingIntervalSeconds: 1 });
    const [orphan] = await waitFor("the command running", () => started().length === 1 && started(), 20_000);
    const killGroup = (pgid: number) => () => {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // gone
      }
    };
    cleanups.push(killGroup(orphan!));
    await client.close();
    // (Written down just after the spawn: a worker killed in between leaves its command unrecorded.)
    await waitFor("the worker wrote the group down", () => readdirSync(join(data, "running-commands")).some((f) => readFileSync(join(data, "running-commands", f), "utf8").includes(`"pgid":${orphan}`)), 10_000);

    first.child.kill("SIGKILL");
    await first.exited;
    expect(groupRunning(orphan!)).toBe(true); // a dead worker's command runs on by itself

    spawnWorker();
    const again = await waitFor("the check running again", () => started().length === 2 && started(), 30_000);
    cleanups.push(killGroup(again[1]!));
    expect(groupRunning(orphan!)).toBe(false);
    expect(groupRunning(again[1]!)).toBe(true);
  });
});
