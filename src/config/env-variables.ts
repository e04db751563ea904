/** The environment variables that override the active profile (env-override.ts), apart: the CLI reads them before it loads the config. */
export const ENV_CONNECTION_STRING = "DURABLE_TASK_SCHEDULER_CONNECTION_STRING";
export const ENV_TASKHUB_NAME = "TASKHUB_NAME";
export const ENV_ENDPOINT = "ENDPOINT";
export const ENV_TASKHUB = "TASKHUB";

/** Which variable supplies the override, or undefined when none is set (empty values count as unset). */
export function envOverrideVariable(env: NodeJS.ProcessEnv): string | undefined {
  if (env[ENV_CONNECTION_STRING]?.trim()) return ENV_CONNECTION_STRING;
  if (env[ENV_ENDPOINT]?.trim()) return ENV_ENDPOINT;
  return undefined;
}
