import type { Command } from "commander";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { BackendUnreachableError, FatalError, UsageError } from "../../errors.js";
import { createFileLogger } from "../../logging.js";
import { defaultDbPath, defaultLogFile } from "../../paths.js";
import { isLoopbackHost } from "../../engine/loopback.js";
import type { CliContext } from "../context.js";
import { printLine } from "../output.js";
import { untilStopSignal } from "../signals.js";
import { ENV_HUB_TOKEN } from "./hub-token-variable.js";

interface HubCommandOptions {
  port: string;
  host: string;
  db?: string;
  token?: string;
  tokenFile?: string;
  insecure?: boolean;
  logFile?: string;
}

/** Parses a TCP port (0 = any free port). @throws UsageError */
function parsePort(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--port must be a number from 0 to 65535, got '${value}'.`);
  const port = Number(value);
  if (port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got '${value}'.`);
  return port;
}

/** The connection string another app on this machine uses to reach a hub on host:port (with its token, if any). */
function hubConnectionString(host: string, port: number, token?: string, taskHub = "default"): string {
  const endpointHost = isLoopbackHost(host) || host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `Endpoint=http://${endpointHost}:${port};Authentication=None;TaskHub=${taskHub}${token ? `;Token=${token}` : ""}`;
}

/** `hub`: runs the local hub alone until SIGINT/SIGTERM. */
export function registerHubCommands(program: Command, ctx: CliContext): void {
  program
    .command("hub")
    .description("run the local hub alone (a Durable Task backend on SQLite that any Durable Task SDK app can use)")
    .option("--port <port>", "TCP port to listen on (0 = any free port)", "4001")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--db <path>", "SQLite database file (default: the app's data dir)")
    .option("--token-file <path>", `the token clients must send (default: ${ENV_HUB_TOKEN}, else one stored next to the database)`)
    .option("--token <token>", "the token on the command line (other users can see it in ps: prefer --token-file)")
    .option("--insecure", "serve without a token (loopback hosts only)")
    .option("--log-file <path>", "log file (default: the app's log file)")
    .action(async (opts: HubCommandOptions) => {
      const port = parsePort(opts.port);
      if (opts.insecure && !isLoopbackHost(opts.host)) {
        throw new UsageError(
          `Refusing to serve the hub on ${opts.host} without a token: anyone who can reach it could run, stop and purge orchestrations ` +
            `(and run the commands of command monitors). --insecure is for loopback hosts only; drop it and clients send the token the hub prints.`,
        );
      }
      const dbPath = opts.db ?? defaultDbPath(ctx.io.env);
      mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
      // Loaded here: node:crypto (for a new token) costs every other command ~10 ms at start-up.
      const { resolveHubToken } = await import("./hub-token.js");
      const { token, source, storedIn } = resolveHubToken(opts, ctx.io.env, dbPath);
      const logger = createFileLogger(opts.logFile ?? defaultLogFile(ctx.io.env), "hub");
      // Loaded here, not at start-up: every other command would pay for gRPC and SQLite otherwise.
      const { startHub, HubStartError, endpointFileFor, liveEndpoint, claimEndpoint, markShared, withdrawEndpoint, dialHost } = await import("./hub-token.js");
      const endpointFile = endpointFileFor(dbPath);
      const live = await liveEndpoint(endpointFile);
      if (live) {
        throw new BackendUnreachableError(
          `The database ${dbPath} is already served by process ${live.pid} on ${live.host}:${live.port}: one hub per database`,
          "use that hub (commands with the default profile connect to it), or stop it first",
        );
      }
      let hub;
      try {
        hub = await startHub({ dbPath, host: opts.host, port, token, insecure: opts.insecure, logger });
      } catch (error) {
        if (error instanceof HubStartError && error.reason === "locked") {
          throw new BackendUnreachableError(`${error.message}: one hub per database`, "stop that process, or give this hub another --db");
        }
        // An unreadable database is exit 4 like the embedded hub's (the message carries the recovery hint).
        if (error instanceof HubStartError && error.reason === "database") throw new BackendUnreachableError(error.message);
        if (error instanceof HubStartError) throw new FatalError(error.message);
        throw error;
      }
      markShared(dbPath);
      // Published like the embedded owner's: a default-profile dashboard, worker or command finds this hub.
      claimEndpoint(endpointFile, { host: dialHost(hub.host), port: hub.port, token: token ?? "", shared: true });
      // Listen for the stop signal before announcing the hub: whoever reads the announcement may signal at once.
      const stopped = untilStopSignal();
      printLine(ctx.io, `Local Durable Task hub listening on ${hub.address} (database ${dbPath})`);
      printLine(ctx.io, `Address: ${hub.address}`);
      if (token) {
        printLine(ctx.io, `Token: ${token}`);
        printLine(ctx.io, `Connection string: ${hubConnectionString(hub.host, hub.port, token)}`);
        const where = storedIn ? `stored in ${storedIn}` : `from ${source}`;
        printLine(ctx.io, `Every call must send 'authorization: Bearer <token>' (the token is ${where}). This tool takes the connection string as is.`);
      } else {
        printLine(ctx.io, `Connection string: ${hubConnectionString(hub.host, hub.port)}`);
        printLine(ctx.io, "No token (--insecure): every local user and process can use this hub.");
      }
      printLine(ctx.io, "Use the 'taskhub' metadata header to choose a task hub (default: 'default'). Stop with Ctrl+C.");
      logger.info("hub: serving %s on %s (token %s)", dbPath, hub.address, token ? source : "none");
      const signal = await stopped;
      logger.info("hub: %s received, stopping", signal);
      withdrawEndpoint(endpointFile);
      await hub.stop();
      printLine(ctx.io, "Hub stopped.");
    });
}
