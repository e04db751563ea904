import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { Command, CommanderError } from "commander";
import { ExitCode, FatalError, errorJson, errorMessage } from "./errors.js";
import { processIO, printError, printErrorJson, type CliIO } from "./cli/output.js";
import type { CliContext, GlobalOptions, RegisterCommands } from "./cli/context.js";
import { didYouMean } from "./engine/suggest.js";
import { registerDashboardCommand } from "./cli/commands/dashboard.js";
import { registerProfilesCommands } from "./cli/commands/profiles.js";
import { registerConfigCommands } from "./cli/commands/config.js";
import { registerMonitorCommands } from "./cli/commands/monitors.js";
import { registerWorkerCommand } from "./cli/commands/worker.js";
import { registerHubCommands } from "./cli/commands/hub.js";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

const ROOT_HELP = `
Profiles: --profile NAME wins; else DURABLE_TASK_SCHEDULER_CONNECTION_STRING (+ TASKHUB_NAME) or ENDPOINT (+ TASKHUB)
when set (the "env" profile); else the active profile; else the built-in "default" (embedded hub).
See \`durable-monitor-tui profiles --help\` and \`durable-monitor-tui config path\`.

Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 bad config, 4 backend unreachable.`;

/**
 * Help wraps at 80 columns (or the terminal's width when it is narrower): the same text on every wide terminal and in
 * a pipe, so the build can render it once (dist/help.json) and the bin prints that without loading the CLI.
 */
const HELP_WIDTH = 80;
const helpWidth = (stream: { columns?: number }): number => Math.min(stream.columns ?? HELP_WIDTH, HELP_WIDTH);

/**
 * The top-level commands each register function defines. A command line that names one registers only that group:
 * building every command's options costs each command ~3 ms of start-up (bench:cli). A test checks that every
 * command is listed here.
 */
export const COMMAND_GROUPS: ReadonlyArray<{ names: readonly string[]; register: RegisterCommands }> = [
  { names: ["dashboard"], register: registerDashboardCommand },
  { names: ["profiles"], register: registerProfilesCommands },
  { names: ["config"], register: registerConfigCommands },
  { names: ["start", "list", "status", "history", "terminate", "suspend", "resume", "restart", "raise", "purge"], register: registerMonitorCommands },
  { names: ["worker"], register: registerWorkerCommand },
  { names: ["hub"], register: registerHubCommands },
];

/**
 * The group a command line needs, or undefined for all of them: its first word that is not an option (nor the root's
 * --profile value) names the command, none means the default command (the dashboard). Help, the version and words
 * this table does not know (an unknown command, reported with suggestions) take every group.
 */
function groupFor(argv: readonly string[]): (typeof COMMAND_GROUPS)[number] | undefined {
  if (argv.some((arg) => ["--help", "-h", "--version", "-v", "help"].includes(arg))) return undefined;
  let word: string | undefined;
  for (let i = 0; i < argv.length && word === undefined; i++) {
    const arg = argv[i]!;
    if (arg === "--") return undefined;
    if (arg === "-p" || arg === "--profile") i++;
    else if (!arg.startsWith("-")) word = arg;
  }
  return COMMAND_GROUPS.find((group) => group.names.includes(word ?? "dashboard"));
}

function buildProgram(ctx: CliContext, argv?: readonly string[]): Command {
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
      getOutHelpWidth: () => helpWidth(ctx.io.stdout),
      getErrHelpWidth: () => helpWidth(ctx.io.stderr as { columns?: number }),
    })
    .exitOverride()
    .addHelpText("after", ROOT_HELP);

  const group = argv && groupFor(argv);
  for (const { register } of group ? [group] : COMMAND_GROUPS) register(program, ctx);
  // Commands (and their subcommands) inherit strictness and output from the root.
  const strict = (cmd: Command): void => {
    cmd.allowExcessArguments(false).showSuggestionAfterError(true).exitOverride();
    cmd.commands.forEach(strict);
  };
  program.commands.forEach(strict);
  return program;
}

/**
 * With a default command, commander hands an unknown command name to the dashboard as an argument ("too many
 * arguments for 'dashboard'"); report it as what it is instead: an unknown command (usage error, exit 2).
 */
function rejectUnknownCommand(program: Command, argv: string[]): void {
  const known = program.commands.flatMap((c) => [c.name(), ...c.aliases()]).concat("help");
  // Options that may come before the command name: the root's and the default command's (it takes unknown ones).
  const options = [...program.options, ...program.commands.filter((c) => c.name() === "dashboard").flatMap((c) => c.options)];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return;
    if (arg.startsWith("-")) {
      const option = options.find((o) => o.long === arg || o.short === arg);
      if (option?.required) i++; // skip the option's value
      else if (option?.optional && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-")) i++;
      continue;
    }
    if (!known.includes(arg)) {
      program.error(`error: unknown command '${arg}'${didYouMean(arg, known)}\n(see durable-monitor-tui --help)`, {
        exitCode: ExitCode.Usage,
        code: "commander.unknownCommand",
      });
    }
    return;
  }
}

/** `--json` among the options (not after `--`): the command's error is then printed as JSON too. */
function asksForJson(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
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
    program = buildProgram(ctx, argv);
    rejectUnknownCommand(program, argv);
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; parse errors were already printed by commander.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof FatalError) {
      if (asksForJson(argv)) printErrorJson(io, errorJson(error));
      else printError(io, `Error: ${errorMessage(error)}`);
      return error.exitCode;
    }
    printError(io, `Unexpected error: ${errorMessage(error)}`);
    if (error instanceof Error && error.stack && io.env.DURABLE_MONITOR_TUI_DEBUG) printError(io, error.stack);
    return ExitCode.Failure;
  }
}

/**
 * Every command's `--help` output at HELP_WIDTH, keyed by the command path ("" for the root, "profiles add"), as
 * `main` prints it. The build writes this to dist/help.json for the bin's fast path.
 */
export async function renderHelpTexts(): Promise<Record<string, string>> {
  const paths: string[][] = [];
  const walk = (cmd: Command, path: string[]): void => {
    paths.push(path);
    for (const sub of cmd.commands) walk(sub, [...path, sub.name()]);
  };
  walk(buildProgram({ io: processIO(), globals: () => ({}), setExitCode: () => {} }), []);
  const texts: Record<string, string> = {};
  for (const path of paths) {
    let out = "";
    const sink = new Writable({ write: (chunk, _encoding, done) => ((out += String(chunk)), done()) });
    const code = await main([...path, "--help"], { stdout: sink, stderr: sink, stdin: process.stdin, env: {} });
    if (code !== ExitCode.Ok) throw new Error(`\`${[...path, "--help"].join(" ")}\` exited ${code}: ${out}`);
    texts[path.join(" ")] = out;
  }
  return texts;
}
