import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { printLine } from "../output.js";

/** The default command: the dashboard. Placeholder until the UI lands. */
export function registerDashboardCommand(program: Command, ctx: CliContext): void {
  program
    .command("dashboard", { isDefault: true })
    .description("open the live dashboard (the default when no command is given)")
    .action(async () => {
      if (!ctx.io.stdout.isTTY) {
        printLine(ctx.io, "durable-monitor-tui: the dashboard needs a terminal; try `durable-monitor-tui list` or --help.");
        return;
      }
      const { runDashboard } = await import("../../ui/run-dashboard.js");
      ctx.setExitCode(await runDashboard({ io: ctx.io, globals: ctx.globals() }));
    });
}
