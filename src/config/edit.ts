/**
 * The edits `profiles add|remove|use` make to config.json. Each reads and validates the current file first
 * (a malformed file → ConfigError, nothing written); each resolves once the file is written, then writes through `updateConfig` (mode 0600).
 * Bad arguments throw UsageError (exit 2); an unknown profile name throws ConfigError (exit 3), like --profile does.
 */
import { resolve } from "node:path";
import { ConfigError, UsageError } from "../errors.js";
import { ConnectionStringError, parseConnectionString } from "../engine/connection/connection-string.js";
import { readConfig, updateConfig } from "./file.js";
import type { ConfigLocationOptions } from "./location.js";
import { BUILTIN_PROFILE, EMBEDDED, ENV_PROFILE, profileNameProblem } from "./schema.js";
import { didYouMean } from "../engine/suggest.js";

export interface AddProfileInput {
  name: string;
  /** "embedded" or a DTS connection string. */
  connection: string;
  taskHub?: string;
  /** Embedded only; a relative path is made absolute against the current directory. */
  dbPath?: string;
  /** Replace an existing profile's connection, task hub and db path (its defaults and presets are kept). */
  force?: boolean;
}

type Raw = Record<string, unknown>;
const profilesOf = (raw: Raw): Record<string, Raw> => {
  const profiles = (raw.profiles ?? {}) as Record<string, Raw>;
  raw.profiles = profiles;
  return profiles;
};

function unknownProfile(name: string, known: string[]): ConfigError {
  return new ConfigError(`no profile named '${name}'${didYouMean(name, known)}; known profiles: ${known.join(", ")}`);
}

/** Adds (or with `force`, replaces) a profile. Returns whether one was replaced. */
export async function addProfile(input: AddProfileInput, options: ConfigLocationOptions = {}): Promise<{ replaced: boolean }> {
  const problem = profileNameProblem(input.name);
  if (problem) throw new UsageError(problem);
  const connection = input.connection.trim();
  if (connection !== EMBEDDED) {
    if (!connection.includes("=")) {
      throw new UsageError(
        `--connection must be "embedded"${didYouMean(connection, [EMBEDDED])} or a connection string like Endpoint=http://localhost:8080;Authentication=None;TaskHub=default`,
      );
    }
    if (input.dbPath !== undefined) throw new UsageError('--db only applies to an "embedded" connection');
  }
  const taskHub = input.taskHub?.trim();
  if (input.taskHub !== undefined && !taskHub) throw new UsageError("--taskhub cannot be empty");
  if (connection !== EMBEDDED) {
    try {
      parseConnectionString(connection, { taskHub });
    } catch (error) {
      if (error instanceof ConnectionStringError) throw new UsageError(`--connection: ${error.problem}`);
      throw error;
    }
  }

  let replaced = false;
  await updateConfig((raw) => {
    const profiles = profilesOf(raw);
    const existing = profiles[input.name];
    if ((existing || input.name === BUILTIN_PROFILE) && !input.force) {
      throw new UsageError(`profile '${input.name}' already exists`, "pass --force to replace it");
    }
    replaced = existing !== undefined || input.name === BUILTIN_PROFILE;
    const entry: Raw = { connection };
    if (taskHub) entry.taskHub = taskHub;
    if (input.dbPath !== undefined) entry.dbPath = resolve(input.dbPath);
    if (existing?.defaults !== undefined) entry.defaults = existing.defaults;
    if (existing?.presets !== undefined) entry.presets = existing.presets;
    profiles[input.name] = entry;
    return raw;
  }, options);
  return { replaced };
}

/**
 * Removes a profile. Removing the active one makes "default" active again. "default" can only be removed when the
 * file customises it (the built-in remains). Returns whether the removed profile was the active one.
 */
export async function removeProfile(name: string, options: ConfigLocationOptions = {}): Promise<{ wasActive: boolean }> {
  if (name === ENV_PROFILE) {
    throw new UsageError("the 'env' profile comes from environment variables", "unset DURABLE_TASK_SCHEDULER_CONNECTION_STRING / ENDPOINT instead");
  }
  const { config } = readConfig(options);
  if (name === BUILTIN_PROFILE && !config.profiles[BUILTIN_PROFILE]) {
    throw new UsageError("the built-in 'default' profile cannot be removed");
  }
  if (!config.profiles[name]) throw unknownProfile(name, [BUILTIN_PROFILE, ...Object.keys(config.profiles).filter((n) => n !== BUILTIN_PROFILE)]);
  let wasActive = false;
  await updateConfig((raw) => {
    const profiles = profilesOf(raw);
    delete profiles[name];
    if (raw.activeProfile === name) {
      wasActive = true;
      delete raw.activeProfile;
    }
    return raw;
  }, options);
  return { wasActive: wasActive || (name === BUILTIN_PROFILE && (config.activeProfile ?? BUILTIN_PROFILE) === BUILTIN_PROFILE) };
}

/** Makes `name` the active profile. Throws ConfigError for an unknown name, UsageError for "env". */
export async function useProfile(name: string, options: ConfigLocationOptions = {}): Promise<void> {
  if (name === ENV_PROFILE) {
    throw new UsageError("the 'env' profile cannot be made active: it is in effect whenever its environment variables are set");
  }
  const { config } = readConfig(options);
  if (name !== BUILTIN_PROFILE && !config.profiles[name]) {
    throw unknownProfile(name, [BUILTIN_PROFILE, ...Object.keys(config.profiles).filter((n) => n !== BUILTIN_PROFILE)]);
  }
  await updateConfig((raw) => {
    raw.activeProfile = name;
    return raw;
  }, options);
}
