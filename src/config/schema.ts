/**
 * The config file's schema (zod). Every object is strict: a misspelt key is an error that names the closest valid key.
 *
 * {
 *   "activeProfile": "local",                      // optional; defaults to the built-in "default"
 *   "profiles": {
 *     "local": { "connection": "embedded", "dbPath": "~/hub.sqlite" },
 *     "emulator": { "connection": "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default",
 *                   "defaults": { "kind": "http", "pollingIntervalSeconds": 10 },
 *                   "presets": { "build": { "kind": "http", "target": { "url": "https://ci.example/job/1" } } } }
 *   }
 * }
 */
import * as z from "zod/mini";
import "../zod-english.js";
import { backoffSchema, COMMAND_NAME, MONITOR_KINDS, targetSchema } from "../engine/monitor/spec.js";
import { once } from "../once.js";
import { parseConnectionString, ConnectionStringError } from "../engine/connection/connection-string.js";
import { friendlyErrorMap } from "./issues.js";
import { didYouMean } from "../engine/suggest.js";

/** The name of the built-in embedded profile, which exists even with no config file. */
export const BUILTIN_PROFILE = "default";
/** The name the environment-override profile is shown under; a file profile cannot use it. */
export const ENV_PROFILE = "env";
/** What a profile name may look like (it is also a JSON key and a command-line argument). */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const EMBEDDED = "embedded";

/** Why a profile name is unacceptable, or undefined when it is fine. */
export function profileNameProblem(name: string): string | undefined {
  if (name === ENV_PROFILE) return `'${ENV_PROFILE}' is reserved for the environment override`;
  if (!PROFILE_NAME.test(name)) {
    return `profile name '${name}' must start with a letter or digit and hold only letters, digits, '-' and '_' (at most 64)`;
  }
  return undefined;
}

const positiveSeconds = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? "is required" : `${what} must be a number of seconds`) }).check(z.positive(`${what} must be more than 0`));

/** The monitor's own rule, checked early: a timeout shorter than the polling interval would never poll. */
function checkTimeoutAfterInterval(value: { timeoutSeconds?: number; pollingIntervalSeconds?: number }, ctx: z.core.$RefinementCtx): void {
  if (value.timeoutSeconds !== undefined && value.pollingIntervalSeconds !== undefined && value.timeoutSeconds < value.pollingIntervalSeconds) {
    ctx.addIssue({
      code: "custom",
      path: ["timeoutSeconds"],
      message: `timeoutSeconds (${value.timeoutSeconds}) must not be shorter than pollingIntervalSeconds (${value.pollingIntervalSeconds})`,
    });
  }
}

const wholeAtLeastOne = () => z.number().check(z.int("maxConsecutiveFailures must be a whole number"), z.minimum(1));

/** Every schema of the file, built together on first use (a command that reads no config file builds none). */
function buildConfigSchemas() {
  const webhookUrl = z.string().check(z.refine((v) => /^https?:\/\/\S+$/i.test(v), "alert.webhookUrl must be an http:// or https:// URL"));

  const AlertSchema = z.strictObject({ webhookUrl: z.optional(webhookUrl) });

  const MonitorDefaultsSchema = z
    .strictObject({
      kind: z.optional(z.enum(MONITOR_KINDS)),
      pollingIntervalSeconds: z.optional(positiveSeconds("pollingIntervalSeconds")),
      timeoutSeconds: z.optional(positiveSeconds("timeoutSeconds")),
      maxConsecutiveFailures: z.optional(wholeAtLeastOne()),
      alert: z.optional(AlertSchema),
    })
    .check(z.superRefine(checkTimeoutAfterInterval));

  const PresetSchema = z
    .strictObject({
      kind: z.enum(MONITOR_KINDS),
      target: z.record(z.string(), z.unknown()),
      description: z.optional(z.string()),
      jobId: z.optional(z.string().check(z.trim(), z.minLength(1, "jobId cannot be empty"), z.maxLength(200))),
      pollingIntervalSeconds: z.optional(positiveSeconds("pollingIntervalSeconds")),
      timeoutSeconds: z.optional(positiveSeconds("timeoutSeconds")),
      maxConsecutiveFailures: z.optional(wholeAtLeastOne()),
      backoff: z.optional(backoffSchema()),
      alert: z.optional(AlertSchema),
    })
    .check(
      z.superRefine((preset, ctx) => {
        checkTimeoutAfterInterval(preset, ctx);
        // The target is checked with its kind's own schema, so a preset fails here rather than when launched.
        const result = targetSchema(preset.kind).safeParse(preset.target, { error: friendlyErrorMap });
        if (result.success) return;
        for (const issue of result.error.issues) {
          ctx.addIssue({ code: "custom", path: ["target", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: issue.message });
        }
      }),
    );

  /** `"embedded"` or a DTS connection string (parsed by ProfileSchema with the profile's taskHub, so a bad one fails at load time). */
  const ConnectionSchema = z.string().check(
    z.superRefine((value, ctx) => {
      const text = value.trim();
      if (text === EMBEDDED) return;
      if (!text.includes("=")) {
        ctx.addIssue({
          code: "custom",
          message:
            `'${text.length > 40 ? text.slice(0, 40) + "…" : text}' is neither "embedded"${didYouMean(text, [EMBEDDED])} ` +
            `nor a connection string like Endpoint=http://localhost:8080;Authentication=None;TaskHub=default`,
        });
        return;
      }
    }),
  );

  /** A command this profile's worker runs when a `command` monitor names it (`commandName`). */
  const CommandDefinitionSchema = z.strictObject({
    command: z.string({ error: "command is required" }).check(z.trim(), z.minLength(1, "command is required")),
    cwd: z.optional(z.string().check(z.trim(), z.minLength(1, "cwd cannot be empty"))),
    timeoutSeconds: z.optional(positiveSeconds("timeoutSeconds")),
    env: z.optional(z.array(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "env holds variable names like BACKUP_TOKEN")))),
  });

  /** `name`, `name:port` or `*.domain`. */
  const HostPatternSchema = z.string().check(
    z.trim(),
    z.regex(/^(\*\.)?[A-Za-z0-9._-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/, "allowedHosts holds host names like ci.example.com, ci.example.com:8443 or *.example.com"),
  );

  const GithubApiUrlSchema = z
    .string()
    .check(z.trim(), z.refine((v) => /^https:\/\/[^\s/]+(\/\S*)?$/i.test(v), "githubApiUrl must be an https:// URL (the GitHub token is never sent over plain http)"));

  const ProfileSchema = z
    .strictObject({
      connection: z._default(ConnectionSchema, EMBEDDED),
      dbPath: z.optional(z.string().check(z.trim(), z.minLength(1, "dbPath cannot be empty"))),
      taskHub: z.optional(z.string().check(z.trim(), z.minLength(1, "taskHub cannot be empty"))),
      defaults: z.optional(MonitorDefaultsSchema),
      presets: z.optional(z.record(z.string(), PresetSchema)),
      commands: z.optional(z.record(z.string(), CommandDefinitionSchema)),
      allowAdHocCommands: z.optional(z.boolean()),
      allowedHosts: z.optional(z.array(HostPatternSchema)),
      githubApiUrl: z.optional(GithubApiUrlSchema),
    })
    .check(
      z.superRefine((profile, ctx) => {
        for (const name of Object.keys(profile.commands ?? {})) {
          if (!COMMAND_NAME.test(name)) {
            ctx.addIssue({ code: "custom", path: ["commands", name], message: `command name '${name}' must hold only letters, digits, '.', '-' and '_' (at most 64)` });
          }
        }
        if (profile.dbPath !== undefined && profile.connection.trim() !== EMBEDDED) {
          ctx.addIssue({ code: "custom", path: ["dbPath"], message: 'dbPath only applies to an "embedded" connection' });
        }
        const text = profile.connection.trim();
        if (text === EMBEDDED || !text.includes("=")) return;
        try {
          parseConnectionString(text, { taskHub: profile.taskHub });
        } catch (error) {
          if (!(error instanceof ConnectionStringError)) throw error;
          ctx.addIssue({ code: "custom", path: ["connection"], message: error.problem });
        }
      }),
    );

  const ConfigFileSchema = z
    .strictObject({
      activeProfile: z.optional(z.string()),
      profiles: z._default(z.record(z.string(), ProfileSchema), {}),
    })
    .check(
      z.superRefine((file, ctx) => {
        const names = Object.keys(file.profiles);
        for (const name of names) {
          const problem = profileNameProblem(name);
          if (problem) ctx.addIssue({ code: "custom", path: ["profiles", name], message: problem });
        }
        const active = file.activeProfile;
        if (active !== undefined && active !== BUILTIN_PROFILE && !names.includes(active)) {
          const known = [BUILTIN_PROFILE, ...names.filter((n) => n !== BUILTIN_PROFILE)];
          ctx.addIssue({
            code: "custom",
            path: ["activeProfile"],
            message: `no profile named '${active}'${didYouMean(active, known)} (profiles: ${known.join(", ")})`,
          });
        }
      }),
    );

  return { ProfileSchema, ConfigFileSchema };
}

const configSchemas = once(buildConfigSchemas);
/** The config file's schema. */
export const configFileSchema = (): ReturnType<typeof buildConfigSchemas>["ConfigFileSchema"] => configSchemas().ConfigFileSchema;

/** The file as written by the user (defaults of the schema applied; values otherwise as given). */
type ConfigSchemas = ReturnType<typeof buildConfigSchemas>;
export type ConfigFile = z.output<ConfigSchemas["ConfigFileSchema"]>;
export type ProfileEntry = z.output<ConfigSchemas["ProfileSchema"]>;
/** A profile as written to the file (what `profiles add` builds). */
export type ProfileEntryInput = z.input<ConfigSchemas["ProfileSchema"]>;

