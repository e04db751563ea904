import type { Command } from "commander";
import type { LocalEngine } from "../../engine/create-engine.js";
import type { CliContext } from "../context.js";
import { printError, printLine } from "../output.js";
import { untilStopSignal } from "../signals.js";

/** Resolves true once the worker is connected, false after `timeoutMs`. */
async function connectedWithin(engine: LocalEngine, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (engine.workerState() === "running") return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return engine.workerState() === "running";
}

/**
 * `worker`: runs the monitor orchestration and its activities for the profile's backend until SIGINT/SIGTERM —
 * how users scale out against DTS, or keep embedded monitors running without the dashboard. Prints one line saying
 * where it is connected (stdout); everything else goes to the log file. A backend that does not answer is
 * reported once on stderr and retried with backoff in the background; the exit code is 0 after a signal.
 */
export function registerWorkerCommand(program: Command, ctx: CliContext): void {
  program
    .command("worker")
    .description("run a headless worker for the profile's backend (until Ctrl-C)")
    .action(async () => {
      // Loaded here: the session brings the config schema and zod, which `--help` and the other commands' start-up skip.
      const { CONNECT_TIMEOUT_MS, withEngine, describeEndpoint } = await import("./actions.js");
      await withEngine(ctx, { withWorker: true, noVerify: true }, async (engine) => {
        const stopped = untilStopSignal();
        // Signal listeners do not keep Node alive, and while the backend is down nothing else may: hold it open.
        const keepAlive = setInterval(() => {}, 1 << 30);
        const where = describeEndpoint(engine.connection);
        const hub = engine.connection.kind === "embedded" ? `, task hub '${engine.connection.taskHub}'` : "";
        printLine(ctx.io, `worker running for ${where}${hub}; logs: ${engine.logFile} (Ctrl-C to stop)`);
        let stopping = false;
        void connectedWithin(engine, CONNECT_TIMEOUT_MS).then((ok) => {
          if (!ok && !stopping) printError(ctx.io, `warning: cannot reach ${where} yet; retrying in the background (details in the log)`);
        });
        const signal = await stopped;
        stopping = true;
        clearInterval(keepAlive);
        printError(ctx.io, `${signal}: stopping the worker…`);
      });
    });
}
