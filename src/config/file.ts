/**
 * Reading and writing config.json.
 *
 * Reads never go through `conf` unvalidated: the raw text is parsed and checked against the schema first, so a
 * malformed file is reported (ConfigError, exit 3, naming the file, the field and the problem) and never rewritten or
 * cleared. Writes go through `conf` (atomic write, mode 0600) and only after the new content passed the schema.
 */
import { existsSync, readFileSync } from "node:fs";
import { ConfigError, errorMessage } from "../errors.js";
import { formatIssues, friendlyErrorMap } from "./issues.js";
import { withFileLock } from "./lock.js";
import { configDir, configFilePath, CONFIG_FILE_NAME, PROJECT_NAME, type ConfigLocationOptions } from "./location.js";
import { configFileSchema, type ConfigFile } from "./schema.js";

/** The file mode config.json is written with: it may name identities and endpoints, so only its owner reads it. */
export const CONFIG_FILE_MODE = 0o600;

export interface LoadedConfig {
  path: string;
  /** False when there is no file yet (the built-in default profile still exists). */
  exists: boolean;
  /** The validated config, schema defaults applied. */
  config: ConfigFile;
  /** The JSON exactly as the file holds it (what edits start from, so untouched fields stay as the user wrote them). */
  raw: Record<string, unknown>;
}

function fail(path: string, problems: string[]): never {
  if (problems.length === 1) throw new ConfigError(`Config file ${path}: ${problems[0]}`);
  throw new ConfigError(`Config file ${path} has ${problems.length} problems:\n  ${problems.join("\n  ")}`);
}

/** Validates a config object; throws ConfigError naming `path`, each field path and what is wrong. */
export function validateConfig(value: unknown, path: string): ConfigFile {
  const result = configFileSchema().safeParse(value, { error: friendlyErrorMap });
  if (!result.success) fail(path, formatIssues(result.error.issues));
  return result.data;
}

/** Parses config.json text (a BOM is ignored; an empty file is an empty config). Throws ConfigError. */
export function parseConfigText(text: string, path: string): { config: ConfigFile; raw: Record<string, unknown> } {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return { config: validateConfig({}, path), raw: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    fail(path, [`not valid JSON: ${errorMessage(error)}`]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    fail(path, [`(top level): expected an object like {"profiles": {...}}, got ${raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw}`]);
  }
  return { config: validateConfig(raw, path), raw: raw as Record<string, unknown> };
}

/** What validating `{}` gives, without building the schema (a command run without a config file builds none). */
export const emptyConfig = (): ConfigFile => ({ profiles: {} });

/** Loads and validates the config file. No file → an empty config. Throws ConfigError; never writes. */
export function readConfig(options: ConfigLocationOptions = {}): LoadedConfig {
  const path = configFilePath(options);
  if (!existsSync(path)) return { path, exists: false, config: emptyConfig(), raw: {} };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Config file ${path}: cannot be read: ${errorMessage(error)}`);
  }
  return { path, exists: true, ...parseConfigText(text, path) };
}

/**
 * Applies `edit` to the file's JSON and writes the result (two-space JSON, mode 0600, atomically, via conf).
 * The current file must be valid (else ConfigError and nothing is written); the edited JSON must be valid too.
 * Resolves to the new validated config; rejects with ConfigError (or the edit's own error).
 */
export async function updateConfig(
  edit: (raw: Record<string, unknown>, current: ConfigFile) => Record<string, unknown>,
  options: ConfigLocationOptions = {},
): Promise<ConfigFile> {
  return withFileLock(configFilePath(options), () => updateConfigLocked(edit, options));
}

async function updateConfigLocked(
  edit: (raw: Record<string, unknown>, current: ConfigFile) => Record<string, unknown>,
  options: ConfigLocationOptions,
): Promise<ConfigFile> {
  const loaded = readConfig(options);
  const next = edit(structuredClone(loaded.raw), loaded.config);
  const config = validateConfig(next, loaded.path);
  // conf (and the ajv it brings) loads only when something is written: reads stay fast for every command.
  const { default: Conf } = await import("conf");
  try {
    const store = new Conf<Record<string, unknown>>({
      projectName: PROJECT_NAME,
      projectSuffix: "",
      cwd: configDir(options),
      configName: CONFIG_FILE_NAME.replace(/\.json$/, ""),
      configFileMode: CONFIG_FILE_MODE,
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
      serialize: (value) => JSON.stringify(value, null, 2) + "\n",
      // The same reading rules as parseConfigText (which already accepted this file): BOM ignored, empty = {}.
      deserialize: (text) => {
        const body = text.replace(/^\uFEFF/, "");
        return body.trim() === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
      },
    });
    store.store = next;
  } catch (error) {
    throw new ConfigError(`Config file ${loaded.path}: cannot be written: ${errorMessage(error)}`);
  }
  return config;
}
