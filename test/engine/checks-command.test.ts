import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCommand } from "../../src/engine/checks/command.js";
import { CommandTargetSchema } from "../../src/engine/monitor/spec.js";

const run = (target: Record<string, unknown>) =>
  checkCommand({ jobId: "cmd-1", instanceId: "i", startedAt: new Date().toISOString(), target: CommandTargetSchema.parse(target) });

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
