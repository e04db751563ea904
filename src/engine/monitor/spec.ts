import { z } from "zod";

/**
 * The monitor's input: one schema shared by the engine (refuses a bad spec before scheduling anything),
 * the CLI flags and the dashboard's form (inline validation as the user types).
 */

export const MONITOR_KINDS = ["simulated", "http", "github-issues", "command"] as const;
export const MonitorKindSchema = z.enum(MONITOR_KINDS);
export type MonitorKind = z.infer<typeof MonitorKindSchema>;

/** The longest interval or timeout any field accepts: one year (a later date breaks timers; nothing waits that long). */
export const MAX_SECONDS = 366 * 24 * 3600;

/**
 * The shortest polling interval: 1 s, so a typo such as 1e-9 cannot make a monitor check hundreds of times a
 * second. The test suite lowers it (never below 0.01 s) through DURABLE_MONITOR_TUI_MIN_INTERVAL_SECONDS.
 */
export function minIntervalSeconds(): number {
  const raw = Number(process.env.DURABLE_MONITOR_TUI_MIN_INTERVAL_SECONDS);
  return Number.isFinite(raw) && raw > 0 ? Math.max(0.01, Math.min(1, raw)) : 1;
}

/** Why a polling interval is refused, or undefined when it is fine: what the schema, the event and the form share. */
export function intervalIssue(seconds: number, what = "the interval"): string | undefined {
  if (!Number.isFinite(seconds)) return `${what} must be a number of seconds`;
  const min = minIntervalSeconds();
  if (seconds < min) return `${what} must be at least ${min} s`;
  if (seconds > MAX_SECONDS) return `${what} must be at most ${MAX_SECONDS} s (one year)`;
  return undefined;
}

const seconds = (what: string) =>
  z
    .number({ error: `${what} must be a number of seconds` })
    .finite(`${what} must be a number of seconds`)
    .max(MAX_SECONDS, `${what} must be at most ${MAX_SECONDS} s (one year)`);
const interval = (what: string) =>
  z.number({ error: `${what} must be a number of seconds` }).superRefine((v, ctx) => {
    const issue = intervalIssue(v, what);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });

export const SimulatedTargetSchema = z.strictObject({
  durationSeconds: seconds("durationSeconds").positive("durationSeconds must be more than 0").default(20),
  queuedSeconds: seconds("queuedSeconds").min(0, "queuedSeconds cannot be negative").default(0),
  failAtPercent: z.number().min(0).max(100, "failAtPercent must be between 0 and 100").optional(),
});

const url = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} is required`)
    .refine((v) => /^https?:\/\/[^\s]+$/i.test(v), `${what} must be an http:// or https:// URL`);

export const HttpTargetSchema = z.strictObject({
  url: url("url"),
  method: z.enum(["GET", "POST", "PUT"]).default("GET"),
  headers: z.record(z.string(), z.string()).optional(),
  statusPath: z.string().min(1).default("status"),
  progressPath: z.string().min(1).optional(),
  successValues: z.array(z.string()).min(1).default(["Completed", "Succeeded", "Done"]),
  failureValues: z.array(z.string()).default(["Failed", "Error", "Cancelled"]),
  startUrl: url("startUrl").optional(),
  startBody: z.unknown().optional(),
  jobIdPath: z.string().min(1).optional(),
  /** A 2xx answer without a value at `statusPath` means done (otherwise it is a failed check). */
  doneOn2xx: z.boolean().default(false),
  requestTimeoutSeconds: seconds("requestTimeoutSeconds").positive().default(10),
});

export const GithubIssuesTargetSchema = z.strictObject({
  repo: z
    .string({ error: "repo is required" })
    .trim()
    .regex(/^[\w.-]+\/[\w.-]+$/, "repo must look like owner/name"),
  threshold: z.number().int("threshold must be a whole number").min(0).default(3),
  apiBaseUrl: url("apiBaseUrl").optional(),
});

/** What a command definition may be called (a config key and a command-line argument). */
export const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Either `commandName` (a command the worker's profile defines: it brings its own command line and working dir) or
 * `command` (a command line, which runs only where the worker's profile allows ad-hoc commands).
 */
export const CommandTargetSchema = z
  .strictObject({
    commandName: z.string().trim().regex(COMMAND_NAME, "commandName must be a name like backup-status (letters, digits, '.', '-', '_')").optional(),
    command: z.string().trim().min(1, "command cannot be empty").optional(),
    cwd: z.string().optional(),
    timeoutSeconds: seconds("timeoutSeconds").positive().default(60),
    failOnExitCode: z.boolean().default(false),
  })
  .superRefine((target, ctx) => {
    if (target.commandName === undefined && target.command === undefined) {
      ctx.addIssue({ code: "custom", path: ["command"], message: "command is required (or commandName: a command the worker's profile defines)" });
    } else if (target.commandName !== undefined && target.command !== undefined) {
      ctx.addIssue({ code: "custom", path: ["command"], message: "give either command or commandName, not both" });
    } else if (target.commandName !== undefined && target.cwd !== undefined) {
      ctx.addIssue({ code: "custom", path: ["cwd"], message: "cwd comes from the command's definition in the worker's profile" });
    }
  });

export const TARGET_SCHEMAS = {
  simulated: SimulatedTargetSchema,
  http: HttpTargetSchema,
  "github-issues": GithubIssuesTargetSchema,
  command: CommandTargetSchema,
} as const;

export type SimulatedTarget = z.infer<typeof SimulatedTargetSchema>;
export type HttpTarget = z.infer<typeof HttpTargetSchema>;
export type GithubIssuesTarget = z.infer<typeof GithubIssuesTargetSchema>;
export type CommandTarget = z.infer<typeof CommandTargetSchema>;

/** The final outcomes an alert can be sent for (`alert.on`, `--alert-on`). */
const ALERT_OUTCOMES = ["completed", "failed", "met", "timeout"] as const;
const AlertOnSchema = z.enum(ALERT_OUTCOMES, { error: `alert.on takes ${ALERT_OUTCOMES.join(", ")}` });
export type AlertOn = z.infer<typeof AlertOnSchema>;

export const BackoffSchema = z.strictObject({
  multiplier: z.number().min(1, "backoff.multiplier must be at least 1"),
  maxIntervalSeconds: interval("backoff.maxIntervalSeconds"),
});

const common = {
  jobId: z.string().trim().min(1, "jobId cannot be empty").max(200).optional(),
  pollingIntervalSeconds: interval("pollingIntervalSeconds").default(5),
  timeoutSeconds: seconds("timeoutSeconds").positive("timeoutSeconds must be more than 0").default(30),
  backoff: BackoffSchema.optional(),
  maxConsecutiveFailures: z.number().int().min(1, "maxConsecutiveFailures must be at least 1").default(3),
  alert: z
    .strictObject({
      webhookUrl: url("alert.webhookUrl").optional(),
      /** Which final outcomes send the alert; default every one. */
      on: z.array(AlertOnSchema).min(1, "alert.on needs at least one outcome").default([...ALERT_OUTCOMES]),
    })
    .optional(),
};

/** The fields every kind shares (spec-fields.ts walks them to build the CLI flags and the form). */
export const COMMON_SPEC_SHAPE = common;

const withKind = <K extends MonitorKind>(kind: K) =>
  z.strictObject({ ...common, kind: z.literal(kind), target: TARGET_SCHEMAS[kind] });

/** Input as the user gives it: defaults not yet applied, jobId optional. */
const MonitorSpecSchema = z
  .discriminatedUnion("kind", [withKind("simulated"), withKind("http"), withKind("github-issues"), withKind("command")], {
    error: `kind must be one of ${MONITOR_KINDS.join(", ")}`,
  })
  .superRefine((spec, ctx) => {
    if (spec.timeoutSeconds < spec.pollingIntervalSeconds) {
      ctx.addIssue({
        code: "custom",
        path: ["timeoutSeconds"],
        message: `timeoutSeconds (${spec.timeoutSeconds}) must not be shorter than pollingIntervalSeconds (${spec.pollingIntervalSeconds})`,
      });
    }
  });

export type MonitorSpecInput = z.input<typeof MonitorSpecSchema>;
/** A validated spec: every default applied. `jobId` is filled by the engine when absent. */
export type MonitorSpec = z.output<typeof MonitorSpecSchema> & { jobId: string };

interface SpecIssue {
  /** Dotted field path, e.g. "target.url" or "pollingIntervalSeconds". */
  path: string;
  message: string;
}

type SpecValidation = { ok: true; spec: z.output<typeof MonitorSpecSchema> } | { ok: false; issues: SpecIssue[] };

/** Validates a spec without throwing: what the form uses on every keystroke. */
export function validateMonitorSpec(input: unknown): SpecValidation {
  const result = MonitorSpecSchema.safeParse(input);
  if (result.success) return { ok: true, spec: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  };
}

/** One line naming every bad field: what `start` prints and what the engine throws. */
export function formatSpecIssues(issues: SpecIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
}
