/** The config module's public surface: import from here. */
export type { AuthenticationType, DtsConnection, MonitorDefaults, Preset, ProfileConnection, ResolvedProfile } from "../engine/profile.js";
export { AUTHENTICATION_TYPES } from "../engine/profile.js";
export { configDir, configFilePath, type ConfigLocationOptions } from "./location.js";
export { readConfig, updateConfig, validateConfig, parseConfigText, CONFIG_FILE_MODE, type LoadedConfig } from "./file.js";
export { BUILTIN_PROFILE, ENV_PROFILE, EMBEDDED, profileNameProblem, configFileSchema, type ConfigFile, type ProfileEntryInput } from "./schema.js";
export { envProfile, envOverrideVariable, describeEnvOverride, ENV_CONNECTION_STRING, ENV_ENDPOINT, ENV_TASKHUB, ENV_TASKHUB_NAME } from "./env-override.js";
export { loadProfile, loadProfiles, findProfile, builtinProfile, describeConnection, type LoadProfileOptions, type ProfileCatalog } from "./profiles.js";
export { addProfile, removeProfile, useProfile, type AddProfileInput } from "./edit.js";
export { redactSecrets } from "./redact.js";
