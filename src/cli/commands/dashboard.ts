import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { ExitCode } from "../../errors.js";
import { printError } from "../output.js";

/** The default command: the dashboard (needs a terminal on stdin and stdout). */
export function registerDashboardCommand(program: Command, ctx: CliContext): void {
  program
    .command("dashboard", { isDefault: true })
    .description("open the live dashboard (the default when no command is given)")
    .option("--no-worker", "watch only: another process (`durable-monitor-tui worker`, a fleet against DTS) runs the monitors")
    .option("--readonly", "refuse every action key (for watching production safely)")
    .action(async (opts: { worker: boolean; readonly?: boolean }) => {
      if (!ctx.io.stdout.isTTY || !ctx.io.stdin.isTTY) {
        printError(ctx.io, "durable-monitor-tui: the dashboard needs a terminal; try `durable-monitor-tui list` or --help.");
        ctx.setExitCode(ExitCode.Usage);
        return;
      }
      // Ink's layout engine first: some UI modules lay text out with Ink as they load (src/ui/layout-engine.ts).
      const { layoutEngineLoaded } = await import("../../ui/layout-engine.js");
      await layoutEngineLoaded();
      const { runDashboard } = await import("../dashboard-session.js");
      ctx.setExitCode(
        await runDashboard({ io: ctx.io, globals: ctx.globals(), dashboard: { worker: opts.worker, readonly: opts.readonly === true } }),
      );
    });
}
