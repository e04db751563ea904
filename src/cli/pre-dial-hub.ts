/**
 * Before a one-shot command on the lean path loads what it runs with, a connection to the embedded hub of the default
 * profile's database when another process serves it there (its endpoint file on loopback): the command most likely
 * calls it (engine/wire/pre-dial.ts). Not with --profile or an environment override, which usually point elsewhere;
 * with a config file whose active profile does too, the connection goes unused and closes with the process.
 */
import { envOverrideVariable } from "../config/env-variables.js";
import { dialHost, endpointFileFor, hostPort, pidAlive, readEndpoint } from "../engine/hub/endpoint-file.js";
import { isLoopbackHost } from "../engine/loopback.js";
import { preDial } from "../engine/wire/pre-dial.js";
import { defaultDbPath } from "../paths.js";
import type { CliContext } from "./context.js";

export function preDialDefaultHub(ctx: CliContext): void {
  const env = ctx.io.env;
  if (ctx.globals().profile !== undefined || envOverrideVariable(env)) return;
  const endpoint = readEndpoint(endpointFileFor(defaultDbPath(env)));
  if (!endpoint || !pidAlive(endpoint.pid)) return;
  const host = dialHost(endpoint.host);
  if (isLoopbackHost(host)) preDial(hostPort(host, endpoint.port), host, endpoint.port);
}
