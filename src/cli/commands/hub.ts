import type { Command } from "commander";
import { FatalError, UsageError } from "../../errors.js";
import { createFileLogger } from "../../logging.js";
import { defaultDbPath, defaultLogFile } from "../../paths.js";
import { isLoopbackHost } from "../../engine/hub/loopback.js";
import type { CliContext } from "../context.js";
import { printLine } from "../output.js";
import { untilStopSignal } from "../signals.js";

interface HubCommandOptions {
  port: string;
  host: string;
  db?: string;
  token?: string;
  insecure?: boolean;
  logFile?: string;
}

/** Parses a TCP port (0 = any free port). @throws UsageError */
export function parsePort(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--port must be a number from 0 to 65535, got '${value}'.`);
  const port = Number(value);
  if (port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got '${value}'.`);
  return port;
}

/** The connection string another app on this machine uses to reach a hub on host:port. */
export function hubConnectionString(host: string, port: number, taskHub = "default"): string {
  const endpointHost = isLoopbackHost(host) || host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `Endpoint=http://${endpointHost}:${port};Authentication=None;TaskHub=${taskHub}`;
}

/** `hub`: runs the local hub alone until SIGINT/SIGTERM. */
export function registerHubCommands(program: Command, ctx: CliContext): void {
  program
    .command("hub")
    .description("run the local hub alone (a Durable Task backend on SQLite that any Durable Task SDK app can use)")
    .option("--port <port>", "TCP port to listen on (0 = any free port)", "4001")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--db <path>", "SQLite database file (default: the app's data dir)")
    .option("--token <token>", "require 'authorization: Bearer <token>' on every call")
    .option("--insecure", "allow a non-loopback --host without a --token")
    .option("--log-file <path>", "log file (default: the app's log file)")
    .action(async (opts: HubCommandOptions) => {
      const port = parsePort(opts.port);
      if (!isLoopbackHost(opts.host) && !opts.token && !opts.insecure) {
        throw new UsageError(
          `Refusing to serve the hub on ${opts.host} without a token: anyone who can reach it could run, stop and purge orchestrations. ` +
            `Add --token <secret> (clients then send 'authorization: Bearer <secret>'), or --insecure if the network is trusted.`,
        );
      }
      const dbPath = opts.db ?? defaultDbPath(ctx.io.env);
      const logger = createFileLogger(opts.logFile ?? defaultLogFile(ctx.io.env), "hub");
      // Loaded here, not at start-up: every other command would pay for gRPC and SQLite otherwise.
      const { startHub, HubStartError } = await import("../../engine/hub/index.js");
      let hub;
      try {
        hub = await startHub({ dbPath, host: opts.host, port, token: opts.token, insecure: opts.insecure, logger });
      } catch (error) {
        if (error instanceof HubStartError) throw new FatalError(error.message);
        throw error;
      }
      // Listen for the stop signal before announcing the hub: whoever reads the announcement may signal at once.
      const stopped = untilStopSignal();
      printLine(ctx.io, `Local Durable Task hub listening on ${hub.address} (database ${dbPath})`);
      printLine(ctx.io, `Address: ${hub.address}`);
      printLine(ctx.io, `Connection string: ${hubConnectionString(hub.host, hub.port)}`);
      if (opts.token) printLine(ctx.io, "Every call must send the metadata header 'authorization: Bearer <token>'.");
      printLine(ctx.io, "Use the 'taskhub' metadata header to choose a task hub (default: 'default'). Stop with Ctrl+C.");
      const signal = await stopped;
      logger.info("hub: %s received, stopping", signal);
      await hub.stop();
      printLine(ctx.io, "Hub stopped.");
    });
}
