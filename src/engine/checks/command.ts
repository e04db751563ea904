/**
 * The `command` check: runs a shell command. Exit 0 = Completed; non-zero = Running (the job is not done yet), or
 * Failed with `failOnExitCode`. A JSON object on stdout's last line (`{"status":"Running","progress":40,"message":"…"}`)
 * overrides any of the three. A timeout or a command that cannot start is a failed check (Unknown).
 */
import { spawn } from "node:child_process";
import type { CommandTarget } from "../monitor/spec.js";
import type { CheckResult, CheckStatus } from "../types.js";
import { toProgress } from "./json-path.js";
import { CHECK_STATUSES, type CheckInput } from "./types.js";

const MAX_OUTPUT = 64 * 1024;

export interface CommandRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the command could not be started. */
  error?: string;
}

/**
 * Runs `command` through the platform shell in `cwd`, killing it (and its process group on POSIX) after
 * `timeoutMs`. Keeps the last 64 KiB of each stream. Never rejects.
 */
export function runCommand(command: string, options: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<CommandRun> {
  return new Promise((resolve) => {
    const posix = process.platform !== "win32";
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let settled = false;
    const finish = (run: Omit<CommandRun, "stdout" | "stderr" | "timedOut">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...run, stdout, stderr, timedOut });
    };
    const child = spawn(command, { shell: true, cwd: options.cwd, env: options.env, detached: posix, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    const keep = (buf: string, chunk: Buffer) => {
      const next = buf + chunk.toString("utf8");
      return next.length > MAX_OUTPUT ? next.slice(next.length - MAX_OUTPUT) : next;
    };
    child.stdout?.on("data", (chunk: Buffer) => (stdout = keep(stdout, chunk)));
    child.stderr?.on("data", (chunk: Buffer) => (stderr = keep(stderr, chunk)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (posix && child.pid) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, options.timeoutMs);
    child.on("error", (error) => finish({ exitCode: null, signal: null, error: error.message }));
    child.on("close", (exitCode, signal) => finish({ exitCode, signal }));
  });
}

/** Turns a finished run into a check result (exported for tests). */
export function interpretRun(target: CommandTarget, run: CommandRun): CheckResult {
  if (run.error) return { status: "Unknown", message: `Could not run \`${target.command}\`: ${run.error}` };
  if (run.timedOut) return { status: "Unknown", message: `\`${target.command}\` timed out after ${target.timeoutSeconds} s` };
  const code = run.exitCode;
  const base: CheckResult =
    code === 0
      ? { status: "Completed", message: "exit code 0" }
      : {
          status: target.failOnExitCode ? "Failed" : "Running",
          message: `exit code ${code ?? run.signal ?? "unknown"}${lastLine(run.stderr) ? `: ${lastLine(run.stderr)}` : ""}`,
        };
  const override = parseOverride(lastLine(run.stdout));
  if (!override) return base;
  const result: CheckResult = { ...base, ...override };
  if (override.message === undefined && override.status !== undefined) delete result.message;
  return result;
}

/** The `checkCommand` activity. Never throws. */
export async function checkCommand(input: CheckInput<CommandTarget>, env?: NodeJS.ProcessEnv): Promise<CheckResult> {
  const target = input.target;
  const run = await runCommand(target.command, { cwd: target.cwd, timeoutMs: target.timeoutSeconds * 1000, env: { ...(env ?? process.env), MONITOR_JOB_ID: input.jobId } });
  return interpretRun(target, run);
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  return lines[lines.length - 1] ?? "";
}

/** `{status?, progress?, message?}` from a JSON object line; undefined when the line is not one. */
function parseOverride(line: string): Partial<CheckResult> | undefined {
  if (!line.startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  const out: Partial<CheckResult> = {};
  if (typeof obj.status === "string") {
    const status = CHECK_STATUSES.find((s) => s.toLowerCase() === (obj.status as string).toLowerCase());
    if (status) out.status = status as CheckStatus;
  }
  const progress = toProgress(obj.progress);
  if (progress !== undefined) out.progress = progress;
  if (typeof obj.message === "string") out.message = obj.message;
  return Object.keys(out).length > 0 ? out : undefined;
}
