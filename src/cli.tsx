import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { ExitCode, FatalError, errorMessage } from "./errors.js";
import { processIO, printError, type CliIO } from "./cli/output.js";
import type { CliContext, GlobalOptions } from "./cli/context.js";
import { registerReservedCommands } from "./cli/commands/reserved.js";
import { registerDashboardCommand } from "./cli/commands/dashboard.js";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command("durable-monitor-tui")
    .description("A live terminal dashboard for Durable Task monitor orchestrations (run with no command to open it)")
    .version(packageVersion(), "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .option("-p, --profile <name>", "use this config profile instead of the active one")
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .exitOverride();

  registerDashboardCommand(program, ctx);
  registerReservedCommands(program, ctx);
  // Commands inherit strictness and output from the root.
  for (const cmd of program.commands) {
    cmd.allowExcessArguments(false).showSuggestionAfterError(true).exitOverride();
  }
  return program;
}

/** Runs the CLI; resolves to the process exit code. Never throws. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  let program: Command | undefined;
  const ctx: CliContext = {
    io,
    globals: () => (program?.opts() ?? {}) as GlobalOptions,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  try {
    program = buildProgram(ctx);
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; parse errors were already printed by commander.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof FatalError) {
      printError(io, `Error: ${error.message}`);
      return error.exitCode;
    }
    printError(io, `Unexpected error: ${errorMessage(error)}`);
    if (error instanceof Error && error.stack && io.env.DURABLE_MONITOR_TUI_DEBUG) printError(io, error.stack);
    return ExitCode.Failure;
  }
}
