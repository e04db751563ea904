import type { Command } from "commander";
import type { CliContext } from "../context.js";

/** What the commands do is in profile-actions.ts, loaded when one runs (it brings the config schema and zod). */
const actions = async () => (await import("./actions.js")).profile;

const PROFILES_HELP = `
A profile names a backend: "embedded" (the local hub, a SQLite file) or a Durable Task Scheduler connection string
(Endpoint=...;Authentication=...;TaskHub=...). The built-in "default" profile (embedded) always exists.

Which profile a command uses: --profile NAME if given; else the environment override
(DURABLE_TASK_SCHEDULER_CONNECTION_STRING [+ TASKHUB_NAME], or ENDPOINT [+ TASKHUB] for the emulator), shown as "env";
else the active profile ("profiles use"); else "default".

Examples:
  $ durable-monitor-tui profiles add emulator --connection "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default"
  $ durable-monitor-tui profiles use emulator
  $ durable-monitor-tui profiles list`;

export function registerProfilesCommands(program: Command, ctx: CliContext): void {
  const profiles = program
    .command("profiles")
    .description("list, show, add, remove and switch config profiles (backends)")
    .addHelpText("after", PROFILES_HELP);

  profiles
    .command("list")
    .description("list the profiles; * marks the one in effect")
    .option("--json", "print JSON")
    .action(async (options) => (await actions()).list(ctx, options));

  profiles
    .command("show")
    .argument("[name]", "the profile (default: the one in effect)")
    .description("show a profile; secrets in its connection string are redacted")
    .option("--json", "print JSON")
    .action(async (name: string | undefined, options) => (await actions()).show(ctx, name, options));

  profiles
    .command("add")
    .argument("<name>", "letters, digits, '-' and '_'")
    .description("add a profile (refuses to replace one without --force)")
    .requiredOption("-c, --connection <connection>", '"embedded" or Endpoint=...;Authentication=...;TaskHub=...')
    .option("--taskhub <name>", "task hub (wins over the connection string's TaskHub; default \"default\")")
    .option("--db <path>", "embedded only: the hub's SQLite file (default: in the data dir)")
    .option("-f, --force", "replace an existing profile's connection (its defaults and presets are kept)")
    .option("--use", "also make it the active profile")
    .action(async (name: string, options) => (await actions()).add(ctx, name, options));

  profiles
    .command("remove")
    .alias("rm")
    .argument("<name>", "the profile to remove")
    .description("remove a profile (removing the active one makes 'default' active)")
    .action(async (name: string) => (await actions()).remove(ctx, name));

  profiles
    .command("use")
    .argument("<name>", "the profile to make active")
    .description("make a profile the active one")
    .action(async (name: string) => (await actions()).use(ctx, name));
}
