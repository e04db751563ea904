/**
 * The `command` check: runs a command the worker's profile defines (`target.commandName`), or a command line carried
 * in the input when the profile allows ad-hoc commands (see policy.ts); anything else is refused and nothing runs.
 * Exit 0 = Completed; non-zero = Running (the job is not done yet), or
 * Failed with `failOnExitCode`. A JSON object on stdout's last line (`{"status":"Running","progress":40,"message":"…"}`)
 * overrides any of the three. A timeout or a command that cannot start is a failed check (Unknown).
 */
import { spawn } from "node:child_process";
import type { CommandTarget } from "../monitor/spec.js";
import type { CheckResult, CheckStatus } from "../types.js";
import { scrubEnv } from "./command-env.js";
import { RUN_MARK_VARIABLE, type CommandGroupRecord } from "./command-groups.js";
import { toProgress } from "./json-path.js";
import { EMBEDDED_DEFAULT_POLICY, type CheckPolicy } from "./policy.js";
import { CHECK_STATUSES, type CheckInput } from "./types.js";

const MAX_OUTPUT = 64 * 1024;
/** How long a stopped command gets after SIGTERM before its process group is sent SIGKILL. */
export const COMMAND_KILL_GRACE_MS = 1000;

export interface CommandRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when `signal` stopped it (the worker is stopping). */
  stopped?: boolean;
  /** Set when the command could not be started. */
  error?: string;
}

export interface RunCommandOptions {
  cwd?: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Stops the command: SIGTERM to its process group, SIGKILL after COMMAND_KILL_GRACE_MS. */
  signal?: AbortSignal;
  /** Where the command's process group is written down while it runs (POSIX), named `label`. */
  groups?: CommandGroupRecord;
  label?: string;
}

/**
 * Runs `command` through the platform shell in `cwd`, in a process group of its own on POSIX (so that killing it
 * kills what it started): SIGKILL to the group after `timeoutMs`; SIGTERM, then SIGKILL after a grace, when `signal`
 * aborts. Keeps the last 64 KiB of each stream. Resolves once the command's output is closed; never rejects.
 */
export function runCommand(command: string, options: RunCommandOptions): Promise<CommandRun> {
  return new Promise((resolve) => {
    const posix = process.platform !== "win32";
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let stopped = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (run: Omit<CommandRun, "stdout" | "stderr" | "timedOut">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      if (groups && child.pid) groups.remove(child.pid);
      resolve({ ...run, stdout, stderr, timedOut, ...(stopped ? { stopped } : {}) });
    };
    const groups = posix ? options.groups : undefined;
    const mark = groups?.newMark();
    const env = mark === undefined ? options.env : { ...(options.env ?? process.env), [RUN_MARK_VARIABLE]: mark };
    const child = spawn(command, { shell: true, cwd: options.cwd, env, detached: posix, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    if (groups && mark !== undefined && child.pid) groups.add(child.pid, mark, options.label ?? command);
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (posix && child.pid) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        child.kill(signal);
      }
    };
    const keep = (buf: string, chunk: Buffer) => {
      const next = buf + chunk.toString("utf8");
      return next.length > MAX_OUTPUT ? next.slice(next.length - MAX_OUTPUT) : next;
    };
    child.stdout?.on("data", (chunk: Buffer) => (stdout = keep(stdout, chunk)));
    child.stderr?.on("data", (chunk: Buffer) => (stderr = keep(stderr, chunk)));
    const timer = setTimeout(() => {
      timedOut = true;
      kill("SIGKILL");
    }, options.timeoutMs);
    function onAbort() {
      if (settled || stopped) return;
      stopped = true;
      kill("SIGTERM");
      killTimer = setTimeout(() => kill("SIGKILL"), COMMAND_KILL_GRACE_MS);
    }
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (error) => finish({ exitCode: null, signal: null, error: error.message }));
    child.on("close", (exitCode, signal) => finish({ exitCode, signal }));
  });
}

/** What a command check will run, once the policy allowed it. */
export interface ResolvedCommand {
  command: string;
  cwd?: string;
  timeoutSeconds: number;
  /** Secret-looking variables passed through anyway (from the definition). */
  passEnv: string[];
  /** How messages name it: the definition's name, or the command line. */
  label: string;
}

/** The profile name the environment override goes by (config's ENV_PROFILE; the engine does not import config). */
const ENV_OVERRIDE_PROFILE = "env";

/**
 * The command `target` refers to under `policy`, or `{ refused }`: a sentence saying why nothing runs and how the
 * worker's owner allows it.
 */
export function resolveCommand(target: CommandTarget, policy: CheckPolicy): ResolvedCommand | { refused: string } {
  const where = `profiles.${policy.profileName}`;
  const defined = Object.keys(policy.commands);
  const known = defined.length ? `defined: ${defined.join(", ")}` : "it defines none";
  if (target.commandName !== undefined) {
    const definition = Object.hasOwn(policy.commands, target.commandName) ? policy.commands[target.commandName] : undefined;
    if (!definition) {
      return {
        refused:
          `No command '${target.commandName}' in this worker's profile '${policy.profileName}' (${known}); ` +
          `define it under ${where}.commands in the worker's config file`,
      };
    }
    return {
      command: definition.command,
      cwd: definition.cwd,
      timeoutSeconds: definition.timeoutSeconds ?? target.timeoutSeconds,
      passEnv: definition.env ?? [],
      label: target.commandName,
    };
  }
  if (!policy.allowAdHocCommands) {
    // The environment override (DURABLE_TASK_SCHEDULER_CONNECTION_STRING, ENDPOINT) is no profile of the config file
    // and takes no permissions from it: the owner allows ad-hoc lines in a named profile the worker then runs with.
    const allow =
      policy.profileName === ENV_OVERRIDE_PROFILE
        ? `or run the worker with --profile NAME, a profile of its config file with the same connection and allowAdHocCommands: true (the environment override '${ENV_OVERRIDE_PROFILE}' takes no permissions)`
        : `or set ${where}.allowAdHocCommands to true in the worker's config file`;
    return {
      refused: `Command line refused: this worker's profile '${policy.profileName}' runs only the commands it defines (${known}). Refer to one (start --command-name NAME), ${allow}`,
    };
  }
  return { command: target.command!, cwd: target.cwd, timeoutSeconds: target.timeoutSeconds, passEnv: [], label: target.command! };
}

/** Turns a finished run into a check result (exported for tests). */
export function interpretRun(target: Pick<CommandTarget, "failOnExitCode">, resolved: Pick<ResolvedCommand, "label" | "timeoutSeconds">, run: CommandRun): CheckResult {
  if (run.error) return { status: "Unknown", message: `Could not run \`${resolved.label}\`: ${run.error}` };
  if (run.timedOut) return { status: "Unknown", message: `\`${resolved.label}\` timed out after ${resolved.timeoutSeconds} s` };
  if (run.stopped) return { status: "Unknown", message: `\`${resolved.label}\` was stopped: the worker is stopping` };
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

/**
 * The `checkCommand` activity: runs what `resolveCommand` allows with the worker's environment minus secret-looking
 * variables (see command-env.ts), plus MONITOR_JOB_ID. A refused command is a failed check (Unknown, `refused`: its
 * monitor fails at once) and runs nothing. `run.signal` stops the command (the worker is stopping; the worker does not
 * report that result); `run.groups` records its process group while it runs (see command-groups.ts). Never throws.
 */
export async function checkCommand(
  input: CheckInput<CommandTarget>,
  policy: CheckPolicy = EMBEDDED_DEFAULT_POLICY,
  env: NodeJS.ProcessEnv = process.env,
  run: { signal?: AbortSignal; groups?: CommandGroupRecord } = {},
): Promise<CheckResult> {
  const target = input.target;
  const resolved = resolveCommand(target, policy);
  if ("refused" in resolved) return { status: "Unknown", message: resolved.refused, refused: true };
  const done = await runCommand(resolved.command, {
    cwd: resolved.cwd,
    timeoutMs: resolved.timeoutSeconds * 1000,
    env: { ...scrubEnv(env, resolved.passEnv), MONITOR_JOB_ID: input.jobId },
    signal: run.signal,
    groups: run.groups,
    label: resolved.label,
  });
  return interpretRun(target, resolved, done);
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
