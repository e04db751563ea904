/**
 * Profiles resolved for use: what the engine, the CLI and the UI call.
 *
 * Which profile is in effect:
 *   1. `--profile NAME` when given ("env" names the environment override explicitly);
 *   2. else the environment override (DURABLE_TASK_SCHEDULER_CONNECTION_STRING, or ENDPOINT) when set;
 *   3. else the file's `activeProfile`;
 *   4. else the built-in "default" (embedded hub in the data dir).
 */
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { defaultDbPath } from "../paths.js";
import { parseConnectionString, redactUrl } from "../engine/connection/connection-string.js";
import { DEFAULT_TASK_HUB } from "../engine/task-hub.js";
import { readConfig } from "./file.js";
import { configDir, type ConfigLocationOptions } from "./location.js";
import { BUILTIN_PROFILE, EMBEDDED, ENV_PROFILE, type ProfileEntry } from "./schema.js";
import { envOverrideVariable, envProfile } from "./env-override.js";
import { didYouMean } from "../engine/suggest.js";
import type { CheckSettings } from "../engine/checks/policy.js";
import type { Preset, ResolvedProfile } from "../engine/profile.js";

export interface LoadProfileOptions extends ConfigLocationOptions {
  /** An explicit profile name (the global --profile); wins over the environment override. */
  profile?: string;
}

/** Everything `profiles list` shows. */
export interface ProfileCatalog {
  /** The config file path and whether it exists. */
  path: string;
  exists: boolean;
  /** The file's active profile ("default" when the file names none). */
  fileActive: string;
  /** The profile a command run without --profile uses: "env" when an override is set, else `fileActive`. */
  inEffect: string;
  /** The built-in default (or the file's "default", which customises it), then the file's profiles by name, then "env". */
  profiles: ResolvedProfile[];
  /** The variable supplying the env profile, if any. */
  envVariable?: string;
}

/** `~/x` → home, relative → against the config dir; absolute as given. */
function resolveDbPath(dbPath: string, options: ConfigLocationOptions): string {
  if (dbPath === "~" || dbPath.startsWith("~/") || dbPath.startsWith("~\\")) return join(homedir(), dbPath.slice(1));
  return isAbsolute(dbPath) ? dbPath : resolve(configDir(options), dbPath);
}

/** The built-in profile: the embedded hub with its database in the data dir. */
export function builtinProfile(env: NodeJS.ProcessEnv = process.env): ResolvedProfile {
  return {
    name: BUILTIN_PROFILE,
    connection: { type: "embedded", dbPath: defaultDbPath(env) },
    taskHub: DEFAULT_TASK_HUB,
    defaults: {},
    presets: {},
    source: "builtin",
  };
}

function checkSettings(entry: ProfileEntry): CheckSettings {
  const settings: CheckSettings = {};
  if (entry.commands) settings.commands = entry.commands;
  if (entry.allowAdHocCommands !== undefined) settings.allowAdHocCommands = entry.allowAdHocCommands;
  if (entry.allowedHosts) settings.allowedHosts = entry.allowedHosts;
  if (entry.githubApiUrl) settings.githubApiUrl = entry.githubApiUrl;
  return settings;
}

function resolveEntry(name: string, entry: ProfileEntry, options: ConfigLocationOptions): ResolvedProfile {
  const env = options.env ?? process.env;
  const connectionText = entry.connection.trim();
  const defaults = entry.defaults ?? {};
  const presets = (entry.presets ?? {}) as Record<string, Preset>;
  const checks = checkSettings(entry);
  if (connectionText === EMBEDDED) {
    return {
      name,
      connection: { type: "embedded", dbPath: entry.dbPath ? resolveDbPath(entry.dbPath, options) : defaultDbPath(env) },
      taskHub: entry.taskHub ?? DEFAULT_TASK_HUB,
      defaults,
      presets,
      checks,
      source: "file",
    };
  }
  const parsed = parseConnectionString(connectionText, { taskHub: entry.taskHub }); // validated by the schema already
  return {
    name,
    connection: { type: "dts", connectionString: connectionText, parsed },
    taskHub: parsed.taskHub,
    defaults,
    presets,
    checks,
    source: "file",
  };
}

/** Loads every profile. Throws ConfigError when the file or an env override is malformed. */
export function loadProfiles(options: ConfigLocationOptions = {}): ProfileCatalog {
  const env = options.env ?? process.env;
  const loaded = readConfig(options);
  const entries = loaded.config.profiles;
  const fileActive = loaded.config.activeProfile ?? BUILTIN_PROFILE;
  const profiles: ResolvedProfile[] = [entries[BUILTIN_PROFILE] ? resolveEntry(BUILTIN_PROFILE, entries[BUILTIN_PROFILE], options) : builtinProfile(env)];
  for (const name of Object.keys(entries).sort()) {
    if (name !== BUILTIN_PROFILE) profiles.push(resolveEntry(name, entries[name]!, options));
  }
  const active = profiles.find((p) => p.name === fileActive)!;
  const fromEnv = envProfile(env, { defaults: active.defaults, presets: active.presets, checks: active.checks });
  if (fromEnv) profiles.push(fromEnv);
  const catalog: ProfileCatalog = { path: loaded.path, exists: loaded.exists, fileActive, inEffect: fromEnv ? ENV_PROFILE : fileActive, profiles };
  const envVariable = envOverrideVariable(env);
  if (envVariable) catalog.envVariable = envVariable;
  return catalog;
}

/** Finds a profile by name in a catalog; ConfigError listing the known names when there is none. */
export function findProfile(catalog: ProfileCatalog, name: string): ResolvedProfile {
  const found = catalog.profiles.find((p) => p.name === name);
  if (found) return found;
  if (name === ENV_PROFILE) {
    throw new ConfigError(
      `profile 'env' needs DURABLE_TASK_SCHEDULER_CONNECTION_STRING or ENDPOINT to be set (neither is)`,
    );
  }
  const known = catalog.profiles.map((p) => p.name);
  throw new ConfigError(`no profile named '${name}'${didYouMean(name, known)}; known profiles: ${known.join(", ")}`);
}

/**
 * The profile to use: `profile` if given, else the environment override, else the file's active profile, else the
 * built-in default. Throws ConfigError (exit 3) for a malformed file or env override, or an unknown profile name.
 */
export function loadProfile(options: LoadProfileOptions = {}): ResolvedProfile {
  const catalog = loadProfiles(options);
  return findProfile(catalog, options.profile ?? catalog.inEffect);
}

/**
 * One human line for a profile's backend, free of secrets:
 * "embedded hub · /path/hub.sqlite", "https://x.durabletask.io · hub default · DefaultAzure", or without a credential
 * (Authentication=None) "http://localhost:8080 · hub default".
 */
export function describeConnection(profile: ResolvedProfile): string {
  const connection = profile.connection;
  if (connection.type === "embedded") {
    const hub = profile.taskHub !== DEFAULT_TASK_HUB ? ` · hub ${profile.taskHub}` : "";
    return `embedded hub · ${connection.dbPath ?? "(default database)"}${hub}`;
  }
  // Authentication=None (an emulator, or our hub with its token) has no credential to name.
  const auth = connection.parsed.authentication === "None" ? "" : ` · ${connection.parsed.authentication}`;
  return `${redactUrl(connection.parsed.endpoint)} · hub ${profile.taskHub}${auth}`;
}
