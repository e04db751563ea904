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
import { z } from "zod";
import { BackoffSchema, COMMAND_NAME, MonitorKindSchema, TARGET_SCHEMAS } from "../engine/monitor/spec.js";
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
  z.number({ error: (iss) => (iss.input === undefined ? "is required" : `${what} must be a number of seconds`) })
    .finite()
    .positive(`${what} must be more than 0`);

const webhookUrl = z
  .string()
  .refine((v) => /^https?:\/\/\S+$/i.test(v), "alert.webhookUrl must be an http:// or https:// URL");

const AlertSchema = z.strictObject({ webhookUrl: webhookUrl.optional() });

/** The monitor's own rule, checked early: a timeout shorter than the polling interval would never poll. */
function checkTimeoutAfterInterval(value: { timeoutSeconds?: number; pollingIntervalSeconds?: number }, ctx: z.RefinementCtx): void {
  if (value.timeoutSeconds !== undefined && value.pollingIntervalSeconds !== undefined && value.timeoutSeconds < value.pollingIntervalSeconds) {
    ctx.addIssue({
      code: "custom",
      path: ["timeoutSeconds"],
      message: `timeoutSeconds (${value.timeoutSeconds}) must not be shorter than pollingIntervalSeconds (${value.pollingIntervalSeconds})`,
    });
  }
}

const MonitorDefaultsSchema = z.strictObject({
  kind: MonitorKindSchema.optional(),
  pollingIntervalSeconds: positiveSeconds("pollingIntervalSeconds").optional(),
  timeoutSeconds: positiveSeconds("timeoutSeconds").optional(),
  maxConsecutiveFailures: z.number().int("maxConsecutiveFailures must be a whole number").min(1).optional(),
  alert: AlertSchema.optional(),
}).superRefine(checkTimeoutAfterInterval);

const PresetSchema = z
  .strictObject({
    kind: MonitorKindSchema,
    target: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    jobId: z.string().trim().min(1, "jobId cannot be empty").max(200).optional(),
    pollingIntervalSeconds: positiveSeconds("pollingIntervalSeconds").optional(),
    timeoutSeconds: positiveSeconds("timeoutSeconds").optional(),
    maxConsecutiveFailures: z.number().int("maxConsecutiveFailures must be a whole number").min(1).optional(),
    backoff: BackoffSchema.optional(),
    alert: AlertSchema.optional(),
  })
  .superRefine((preset, ctx) => {
    checkTimeoutAfterInterval(preset, ctx);
    // The target is checked with its kind's own schema, so a preset fails here rather than when launched.
    const result = TARGET_SCHEMAS[preset.kind].safeParse(preset.target, { error: friendlyErrorMap });
    if (result.success) return;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: "custom", path: ["target", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: issue.message });
    }
  });

/** `"embedded"` or a DTS connection string (parsed by ProfileSchema with the profile's taskHub, so a bad one fails at load time). */
const ConnectionSchema = z.string().superRefine((value, ctx) => {
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
});

/** A command this profile's worker runs when a `command` monitor names it (`commandName`). */
const CommandDefinitionSchema = z.strictObject({
  command: z.string({ error: "command is required" }).trim().min(1, "command is required"),
  cwd: z.string().trim().min(1, "cwd cannot be empty").optional(),
  timeoutSeconds: positiveSeconds("timeoutSeconds").optional(),
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "env holds variable names like BACKUP_TOKEN")).optional(),
});

/** `name`, `name:port` or `*.domain`. */
const HostPatternSchema = z
  .string()
  .trim()
  .regex(/^(\*\.)?[A-Za-z0-9._-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/, "allowedHosts holds host names like ci.example.com, ci.example.com:8443 or *.example.com");

const GithubApiUrlSchema = z
  .string()
  .trim()
  .refine((v) => /^https:\/\/[^\s/]+(\/\S*)?$/i.test(v), "githubApiUrl must be an https:// URL (the GitHub token is never sent over plain http)");

const ProfileSchema = z
  .strictObject({
    connection: ConnectionSchema.default(EMBEDDED),
    dbPath: z.string().trim().min(1, "dbPath cannot be empty").optional(),
    taskHub: z.string().trim().min(1, "taskHub cannot be empty").optional(),
    defaults: MonitorDefaultsSchema.optional(),
    presets: z.record(z.string(), PresetSchema).optional(),
    commands: z.record(z.string(), CommandDefinitionSchema).optional(),
    allowAdHocCommands: z.boolean().optional(),
    allowedHosts: z.array(HostPatternSchema).optional(),
    githubApiUrl: GithubApiUrlSchema.optional(),
  })
  .superRefine((profile, ctx) => {
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
  });

export const ConfigFileSchema = z
  .strictObject({
    activeProfile: z.string().optional(),
    profiles: z.record(z.string(), ProfileSchema).default({}),
  })
  .superRefine((file, ctx) => {
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
  });

/** The file as written by the user (defaults of the schema applied; values otherwise as given). */
export type ConfigFile = z.output<typeof ConfigFileSchema>;
export type ProfileEntry = z.output<typeof ProfileSchema>;
/** A profile as written to the file (what `profiles add` builds). */
export type ProfileEntryInput = z.input<typeof ProfileSchema>;

