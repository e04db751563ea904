import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { printLine } from "../output.js";
import { configFilePath, readConfig } from "../../config/index.js";

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
    .action(() => {
      printLine(ctx.io, configFilePath({ env: ctx.io.env }));
    });

  config
    .command("validate")
    .description("check the config file; exit 3 naming each problem if it is malformed")
    .action(() => {
      const loaded = readConfig({ env: ctx.io.env });
      const count = Object.keys(loaded.config.profiles).length;
      printLine(ctx.io, loaded.exists ? `${loaded.path}: valid (${count} profile${count === 1 ? "" : "s"})` : `${loaded.path}: no file yet (built-in default profile only)`);
    });
}
