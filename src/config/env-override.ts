/**
 * Environment overrides, read as the Durable Task samples read them:
 * - DURABLE_TASK_SCHEDULER_CONNECTION_STRING (+ optional TASKHUB_NAME, which wins over the string's TaskHub);
 * - else ENDPOINT (+ optional TASKHUB, default "default"): a localhost/loopback endpoint is the emulator
 *   (Authentication=None, plaintext when it has no scheme, like the samples' `ENDPOINT=localhost:8080`); any other host
 *   is Azure with DefaultAzure (TLS when it has no scheme).
 * Either yields a profile named "env" (source "env") that wins over the file's active profile unless --profile is given.
 */
import { ConfigError } from "../errors.js";
import {
  ConnectionStringError,
  parseConnectionString,
  redactConnectionString,
} from "../engine/connection/connection-string.js";
import { endpointAddress, isLoopbackHost } from "../engine/connection/endpoint.js";
import { DEFAULT_TASK_HUB } from "../engine/task-hub.js";
import type { CheckSettings } from "../engine/checks/policy.js";
import type { MonitorDefaults, Preset, ResolvedProfile } from "../engine/profile.js";
import { ENV_PROFILE } from "./schema.js";
import { ENV_CONNECTION_STRING, ENV_ENDPOINT, ENV_TASKHUB, ENV_TASKHUB_NAME, envOverrideVariable } from "./env-variables.js";

export { ENV_CONNECTION_STRING, ENV_ENDPOINT, ENV_TASKHUB, ENV_TASKHUB_NAME, envOverrideVariable };

function hubFrom(variable: string, value: string | undefined): string | undefined {
  const hub = value?.trim();
  if (!hub) return undefined;
  if (hub.includes(";") || hub.includes("=")) throw new ConfigError(`Environment variable ${variable}: a task hub name cannot contain ';' or '='`);
  return hub;
}

/**
 * The "env" profile, or undefined when no override variable is set. `inherit` supplies the defaults and presets
 * (those of the file's active profile), since the environment only chooses the backend. Of the check settings it
 * inherits the definitions (commands, githubApiUrl) but not the permissions (allowAdHocCommands, allowedHosts): a
 * permission given for one backend does not follow a variable to another.
 * Throws ConfigError naming the variable when its value is malformed.
 */
export function envProfile(
  env: NodeJS.ProcessEnv,
  inherit: { defaults: MonitorDefaults; presets: Record<string, Preset>; checks?: CheckSettings } = { defaults: {}, presets: {} },
): ResolvedProfile | undefined {
  const variable = envOverrideVariable(env);
  if (!variable) return undefined;
  try {
    const fromString = variable === ENV_CONNECTION_STRING;
    const hubOverride = fromString ? hubFrom(ENV_TASKHUB_NAME, env[ENV_TASKHUB_NAME]) : (hubFrom(ENV_TASKHUB, env[ENV_TASKHUB]) ?? DEFAULT_TASK_HUB);
    const connectionString = fromString
      ? env[ENV_CONNECTION_STRING]!.trim()
      : endpointConnectionString(env[ENV_ENDPOINT]!.trim(), hubOverride!);
    const parsed = parseConnectionString(connectionString, { taskHub: hubOverride });
    return {
      name: ENV_PROFILE,
      connection: { type: "dts", connectionString, parsed },
      taskHub: parsed.taskHub,
      defaults: inherit.defaults,
      presets: inherit.presets,
      checks: inheritedChecks(inherit.checks ?? {}),
      source: "env",
    };
  } catch (error) {
    if (error instanceof ConnectionStringError) {
      const hint =
        variable === ENV_ENDPOINT
          ? ` (${ENV_ENDPOINT} means Authentication=DefaultAzure for a host that is not localhost/loopback; for an emulator ` +
            `elsewhere set ${ENV_CONNECTION_STRING}="Endpoint=…;Authentication=None;TaskHub=…")`
          : "";
      throw new ConfigError(`Environment variable ${variable}: ${error.problem}${hint}`);
    }
    throw error;
  }
}

/** The connection string ENDPOINT stands for: the emulator on loopback, DefaultAzure anywhere else. */
function endpointConnectionString(endpoint: string, taskHub: string): string {
  if (endpoint.includes(";")) throw new ConfigError(`Environment variable ${ENV_ENDPOINT}: an endpoint cannot contain ';'`);
  const authentication = isLoopbackHost(endpointAddress(endpoint).host) ? "None" : "DefaultAzure";
  return `Endpoint=${endpoint};Authentication=${authentication};TaskHub=${taskHub}`;
}

function inheritedChecks(from: CheckSettings): CheckSettings {
  const checks: CheckSettings = {};
  if (from.commands) checks.commands = from.commands;
  if (from.githubApiUrl) checks.githubApiUrl = from.githubApiUrl;
  return checks;
}

/** A one-line, secret-free description of where the override came from (for `profiles list/show`). */
export function describeEnvOverride(env: NodeJS.ProcessEnv): string | undefined {
  const variable = envOverrideVariable(env);
  if (!variable) return undefined;
  if (variable === ENV_CONNECTION_STRING) {
    const hub = env[ENV_TASKHUB_NAME]?.trim() ? ` + ${ENV_TASKHUB_NAME}` : "";
    return `${ENV_CONNECTION_STRING}${hub} (${redactConnectionString(env[ENV_CONNECTION_STRING]!.trim())})`;
  }
  return `${ENV_ENDPOINT}${env[ENV_TASKHUB]?.trim() ? ` + ${ENV_TASKHUB}` : ""}`;
}
