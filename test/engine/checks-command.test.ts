import { existsSync, mkdtempSync, readFileSync, realpathSync } from "node:fs";
import { ENV_PROFILE } from "../../src/config/index.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCommand } from "../../src/engine/checks/command.js";
import { resolveCheckPolicy } from "../../src/engine/checks/policy.js";
import { targetSchema } from "../../src/engine/monitor/spec.js";
import { groupRunning } from "../helpers/process-group.js";
import { waitFor } from "./engine-helpers.js";

const run = (target: Record<string, unknown>) =>
  checkCommand({ jobId: "cmd-1", instanceId: "i", startedAt: new Date().toISOString(), target: targetSchema("command").parse(target) }, resolveCheckPolicy("test", {}, true));

describe("checkCommand", () => {
  it("exit 0 is Completed", async () => {
    expect(await run({ command: "true" })).toMatchObject({ status: "Completed" });
  });

  it("a non-zero exit is Running, or Failed with failOnExitCode, with stderr's last line in the message", async () => {
    expect(await run({ command: "echo not yet >&2; exit 3" })).toEqual({ status: "Running", message: "exit code 3: not yet" });
    expect(await run({ command: "exit 3", failOnExitCode: true })).toMatchObject({ status: "Failed", message: "exit code 3" });
  });

  it("JSON on stdout's last line overrides status, progress and message", async () => {
    const out = await run({ command: `echo starting; echo '{"status":"running","progress":42,"message":"copying"}'` });
    expect(out).toEqual({ status: "Running", progress: 42, message: "copying" });
    const partial = await run({ command: `echo '{"progress":"55"}'; exit 1` });
    expect(partial).toEqual({ status: "Running", progress: 55, message: "exit code 1" });
    const notJson = await run({ command: "echo '{broken'" });
    expect(notJson.status).toBe("Completed");
  });

  it("runs in cwd and sees the monitor's job id", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "dmt-cmd-")));
    const out = await run({ command: `echo "{\\"message\\":\\"$(pwd) $MONITOR_JOB_ID\\"}"`, cwd: dir });
    expect(out.message).toBe(`${dir} cmd-1`);
  });

  it("a timeout kills the command (and its children) and is a failed check", async () => {
    const started = Date.now();
    const out = await run({ command: "sleep 20; echo late", timeoutSeconds: 0.3 });
    expect(out).toEqual({ status: "Unknown", message: "`sleep 20; echo late` timed out after 0.3 s" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a missing cwd is a failed check, not a crash", async () => {
    const out = await run({ command: "true", cwd: "/definitely/not/here" });
    expect(out).toMatchObject({ status: "Unknown", message: expect.stringContaining("Could not run") });
  });
});

describe("what a command check may run (the worker's policy)", () => {
  const input = (target: Record<string, unknown>) => ({ jobId: "cmd-1", instanceId: "i", startedAt: new Date().toISOString(), target: targetSchema("command").parse(target) });
  const secretEnv = {
    PATH: process.env.PATH,
    HOME: "/home/worker",
    GITHUB_TOKEN: "ghp_secret",
    AZURE_CLIENT_SECRET: "azure-secret",
    DURABLE_MONITOR_TUI_HUB_TOKEN: "hub-secret",
    DURABLE_MONITOR_TUI_TOKEN: "client-secret",
    MY_API_KEY: "k",
    DB_PASSWORD: "p",
    BACKUP_TOKEN: "backup-secret",
  };
  const printEnv = `echo "{\\"message\\":\\"$(env | cut -d= -f1 | sort | tr '\\n' ' ')\\"}"`;

  it("refuses a command line on a connection that does not allow ad-hoc commands, runs nothing, and says how to allow it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dmt-cmd-"));
    const marker = join(dir, "ran");
    const policy = resolveCheckPolicy("shared", { commands: { backup: { command: "true" } } }, false);
    const out = await checkCommand(input({ command: `touch ${marker}` }), policy);
    expect(out.status).toBe("Unknown");
    expect(out.message).toContain("profiles.shared.allowAdHocCommands");
    expect(out.message).toContain("--command-name");
    expect(out.message).toContain("defined: backup");
    expect(existsSync(marker)).toBe(false);

    // The environment override is no profile of the config file: the message points to --profile instead.
    const fromEnv = await checkCommand(input({ command: `touch ${marker}` }), resolveCheckPolicy(ENV_PROFILE, {}, false));
    expect(fromEnv.message).toMatch(/run the worker with --profile NAME.*allowAdHocCommands: true/);
    expect(fromEnv.message).not.toContain("profiles.env");
    expect(existsSync(marker)).toBe(false);
  });

  it("runs a command line where the profile allows it (the embedded default, or allowAdHocCommands: true)", async () => {
    expect(resolveCheckPolicy("p", {}, true).allowAdHocCommands).toBe(true);
    expect(resolveCheckPolicy("p", {}, false).allowAdHocCommands).toBe(false);
    expect(resolveCheckPolicy("p", { allowAdHocCommands: false }, true).allowAdHocCommands).toBe(false);
    const out = await checkCommand(input({ command: "echo '{\"message\":\"ran\"}'" }), resolveCheckPolicy("p", { allowAdHocCommands: true }, false));
    expect(out).toMatchObject({ status: "Completed", message: "ran" });
  });

  it("runs a defined command with its own command line, working dir and timeout", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "dmt-cmd-")));
    const policy = resolveCheckPolicy("shared", { commands: { where: { command: `echo "{\\"message\\":\\"$(pwd)\\"}"`, cwd: dir }, slow: { command: "sleep 20", timeoutSeconds: 0.2 } } }, false);
    expect(await checkCommand(input({ commandName: "where" }), policy)).toMatchObject({ status: "Completed", message: dir });
    expect(await checkCommand(input({ commandName: "slow", timeoutSeconds: 30 }), policy)).toEqual({ status: "Unknown", message: "`slow` timed out after 0.2 s" });
  });

  it("refuses an undefined name and names the defined ones", async () => {
    const policy = resolveCheckPolicy("shared", { commands: { backup: { command: "true" } } }, true);
    const out = await checkCommand(input({ commandName: "toString" }), policy);
    expect(out).toMatchObject({ status: "Unknown", message: expect.stringContaining("No command 'toString'") });
    expect(out.message).toContain("profiles.shared.commands");
  });

  it("hides secret-looking variables from every command unless the definition passes them through", async () => {
    const adHoc = await checkCommand(input({ command: printEnv }), resolveCheckPolicy("p", {}, true), secretEnv);
    const seen = adHoc.message!.split(" ");
    expect(seen).toEqual(expect.arrayContaining(["HOME", "PATH", "MONITOR_JOB_ID"]));
    for (const name of ["GITHUB_TOKEN", "AZURE_CLIENT_SECRET", "DURABLE_MONITOR_TUI_HUB_TOKEN", "DURABLE_MONITOR_TUI_TOKEN", "MY_API_KEY", "DB_PASSWORD", "BACKUP_TOKEN"]) {
      expect(seen).not.toContain(name);
    }
    const policy = resolveCheckPolicy("p", { commands: { backup: { command: printEnv, env: ["BACKUP_TOKEN"] } } }, false);
    const defined = (await checkCommand(input({ commandName: "backup" }), policy, secretEnv)).message!.split(" ");
    expect(defined).toContain("BACKUP_TOKEN");
    expect(defined).not.toContain("GITHUB_TOKEN");
  });

  it("the target names either a command line or a defined command, and a defined command brings its own cwd", () => {
    expect(targetSchema("command").safeParse({}).success).toBe(false);
    expect(targetSchema("command").safeParse({ command: "true", commandName: "x" }).success).toBe(false);
    expect(targetSchema("command").safeParse({ commandName: "x", cwd: "/tmp" }).success).toBe(false);
    expect(targetSchema("command").safeParse({ commandName: "bad name" }).success).toBe(false);
    expect(targetSchema("command").parse({ commandName: "backup-status" })).toMatchObject({ commandName: "backup-status", timeoutSeconds: 60 });
  });
});

describe("stopping a command check (the worker is stopping)", () => {
  const stoppable = async (script: string) => {
    const dir = mkdtempSync(join(tmpdir(), "dmt-cmd-stop-"));
    const pidFile = join(dir, "pgid");
    const stop = new AbortController();
    const target = targetSchema("command").parse({ command: `echo $$ > ${pidFile}; ${script}`, timeoutSeconds: 120 });
    const result = checkCommand({ jobId: "cmd-1", instanceId: "i", startedAt: new Date().toISOString(), target }, resolveCheckPolicy("test", {}, true), process.env, {
      signal: stop.signal,
    });
    const pgid = await waitFor("the command started", () => existsSync(pidFile) && Number(readFileSync(pidFile, "utf8").trim()), 10_000);
    expect(groupRunning(pgid)).toBe(true);
    const stoppedAt = Date.now();
    stop.abort();
    const out = await result;
    return { out, pgid, tookMs: Date.now() - stoppedAt };
  };

  it("SIGTERM ends the command and everything it started, and the check says it was stopped", async () => {
    const { out, pgid } = await stoppable("sleep 30 & wait");
    expect(out).toEqual({ status: "Unknown", message: expect.stringMatching(/was stopped: the worker is stopping$/) });
    expect(groupRunning(pgid)).toBe(false);
  });

  it("a command that ignores SIGTERM gets SIGKILL after a second, its children too", async () => {
    const { out, pgid, tookMs } = await stoppable("trap '' TERM; sleep 30 & wait; sleep 30");
    expect(out.status).toBe("Unknown");
    expect(groupRunning(pgid)).toBe(false);
    expect(tookMs).toBeGreaterThanOrEqual(900);
    expect(tookMs).toBeLessThan(5000);
  });
});
