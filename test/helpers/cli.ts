/**
 * Runs the real, built CLI in a child process, as a user would: `process.execPath bin/durable-monitor-tui.js ...args`.
 * Every run gets fresh temp config and data dirs unless the caller passes its own
 * DURABLE_MONITOR_TUI_CONFIG_DIR / DURABLE_MONITOR_TUI_DATA_DIR in `env`; the Durable Task env overrides of the
 * calling shell are removed so the result never depends on the machine. Needs `npm run -s build` first (npm test does it).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const binPath = join(repoRoot, "bin", "durable-monitor-tui.js");

/** Variables that select a backend: stripped from the inherited environment so tests start from a known state. */
export const OVERRIDE_VARIABLES = [
  "DURABLE_TASK_SCHEDULER_CONNECTION_STRING",
  "TASKHUB_NAME",
  "ENDPOINT",
  "TASKHUB",
  "DURABLE_MONITOR_TUI_CONFIG_DIR",
  "DURABLE_MONITOR_TUI_DATA_DIR",
  "DURABLE_MONITOR_TUI_LOG_FILE",
] as const;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Added to (and overriding) the cleaned environment. A value of `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed (stdin is never a TTY). */
  input?: string;
  /** Kill the child after this long (default 30 s) and fail. */
  timeoutMs?: number;
  /** The Node binary to run the shim with (default: the one running the tests). */
  node?: string;
  cwd?: string;
}

/** A fresh temp directory (never cleaned up by the helper: the OS temp dir is disposable). */
export function tempDir(prefix = "dmt-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The environment runCli gives the child (exported so tests can reuse it, e.g. with other spawn helpers). */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of OVERRIDE_VARIABLES) delete env[name];
  env.DURABLE_MONITOR_TUI_CONFIG_DIR = tempDir("dmt-config-");
  env.DURABLE_MONITOR_TUI_DATA_DIR = tempDir("dmt-data-");
  env.NO_COLOR = "1";
  env.FORCE_COLOR = "0";
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Spawns the built CLI and resolves when it exits (never rejects on a non-zero exit code). */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  if (!existsSync(join(repoRoot, "dist", "cli.bundle.cjs"))) {
    throw new Error("dist/cli.bundle.cjs is missing: run `npm run -s build` before the CLI tests (npm test does it).");
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(options.node ?? process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: cliEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`durable-monitor-tui ${args.join(" ")} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.on("error", () => {
      // the child may exit before reading its input
    });
    child.stdin.end(options.input ?? "");
  });
}
