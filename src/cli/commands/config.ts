import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { printLine } from "../output.js";

export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program
    .command("config")
    .description("where the config file lives, and whether it is valid")
    .addHelpText(
      "after",
      "\nThe file is JSON, written with mode 0600. DURABLE_MONITOR_TUI_CONFIG_DIR overrides its directory.\n" +
        "A malformed file is reported (exit 3) and never rewritten.",
    );

  config
    .command("path")
    .description("print the config file's path (it may not exist yet)")
    .action(async () => {
      // Loaded here: the commands' actions bring the config and zod, which `--help` and the other commands' start-up skip.
      const { configFilePath } = await import("./actions.js");
      printLine(ctx.io, configFilePath({ env: ctx.io.env }));
    });

  config
    .command("validate")
    .description("check the config file and the environment overrides; exit 3 naming each problem")
    .action(async () => {
      const { loadProfiles } = await import("./actions.js");
      const catalog = loadProfiles({ env: ctx.io.env });
      const count = catalog.profiles.filter((p) => p.source === "file").length;
      printLine(
        ctx.io,
        catalog.exists
          ? `${catalog.path}: valid (${count} profile${count === 1 ? "" : "s"}; active: ${catalog.fileActive})`
          : `${catalog.path}: no file yet (only the built-in default profile)`,
      );
      if (catalog.envVariable) printLine(ctx.io, `${catalog.envVariable} is set: the "env" profile is in effect unless --profile is given`);
    });
}
