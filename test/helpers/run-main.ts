/**
 * Runs the CLI in-process through `main(argv, io)`, as `runCli` runs the built bin, but without a process per call:
 * the same cleaned environment (fresh temp config and data dirs unless `env` names its own), stdout and stderr captured.
 * Use it for what the bin adds nothing to (parsing, validation, output); keep a few `runCli` tests for the real bin.
 */
import { PassThrough } from "node:stream";
import { main } from "../../src/cli.js";
import type { CliIO } from "../../src/cli/output.js";
import { cliEnv } from "./cli.js";

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` is a full environment (e.g. from `cliEnv()`) or additions to a fresh `cliEnv()`. */
export async function runMain(argv: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}): Promise<MainResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const stdin = new PassThrough();
  stdin.end(options.input ?? "");
  const io: CliIO = { stdout, stderr, stdin, env: cliEnv(options.env) };
  const code = await main(argv, io);
  await Promise.all([stdout, stderr].map((stream) => new Promise((resolve) => stream.end(resolve))));
  return { code, stdout: out, stderr: err };
}
