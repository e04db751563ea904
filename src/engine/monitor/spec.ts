import * as z from "zod/mini";
import "../../zod-english.js";
import { once } from "../../once.js";

/**
 * The monitor's input: one schema shared by the engine (refuses a bad spec before scheduling anything),
 * the CLI flags and the dashboard's form (inline validation as the user types).
 * Each schema is built the first time it is used, and only the kind's own: building all of them costs a one-shot
 * command several ms of start-up (issue 12), and `list` or `status` of one kind need none or one.
 */

export const MONITOR_KINDS = ["simulated", "http", "github-issues", "command"] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

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
  z.number({ error: `${what} must be a number of seconds` }).check(z.maximum(MAX_SECONDS, `${what} must be at most ${MAX_SECONDS} s (one year)`));
const interval = (what: string) =>
  z.number({ error: `${what} must be a number of seconds` }).check(
    z.superRefine((v, ctx) => {
      const issue = intervalIssue(v, what);
      if (issue) ctx.addIssue({ code: "custom", message: issue });
    }),
  );

const simulatedTargetSchema = () =>
  z.strictObject({
    durationSeconds: z._default(seconds("durationSeconds").check(z.positive("durationSeconds must be more than 0")), 20),
    queuedSeconds: z._default(seconds("queuedSeconds").check(z.minimum(0, "queuedSeconds cannot be negative")), 0),
    failAtPercent: z.optional(z.number().check(z.minimum(0), z.maximum(100, "failAtPercent must be between 0 and 100"))),
  });

const url = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .check(z.trim(), z.minLength(1, `${what} is required`), z.refine((v) => /^https?:\/\/[^\s]+$/i.test(v), `${what} must be an http:// or https:// URL`));

const httpTargetSchema = () =>
  z.strictObject({
    url: url("url"),
    method: z._default(z.enum(["GET", "POST", "PUT"]), "GET"),
    headers: z.optional(z.record(z.string(), z.string())),
    statusPath: z._default(z.string().check(z.minLength(1)), "status"),
    progressPath: z.optional(z.string().check(z.minLength(1))),
    successValues: z._default(z.array(z.string()).check(z.minLength(1)), ["Completed", "Succeeded", "Done"]),
    failureValues: z._default(z.array(z.string()), ["Failed", "Error", "Cancelled"]),
    startUrl: z.optional(url("startUrl")),
    startBody: z.optional(z.unknown()),
    jobIdPath: z.optional(z.string().check(z.minLength(1))),
    /** A 2xx answer without a value at `statusPath` means done (otherwise it is a failed check). */
    doneOn2xx: z._default(z.boolean(), false),
    requestTimeoutSeconds: z._default(seconds("requestTimeoutSeconds").check(z.positive()), 10),
  });

const githubIssuesTargetSchema = () =>
  z.strictObject({
    repo: z.string({ error: "repo is required" }).check(z.trim(), z.regex(/^[\w.-]+\/[\w.-]+$/, "repo must look like owner/name")),
    threshold: z._default(z.number().check(z.int("threshold must be a whole number"), z.minimum(0)), 3),
    apiBaseUrl: z.optional(url("apiBaseUrl")),
  });

/** What a command definition may be called (a config key and a command-line argument). */
export const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Either `commandName` (a command the worker's profile defines: it brings its own command line and working dir) or
 * `command` (a command line, which runs only where the worker's profile allows ad-hoc commands).
 */
const commandTargetSchema = () =>
  z
    .strictObject({
      commandName: z.optional(z.string().check(z.trim(), z.regex(COMMAND_NAME, "commandName must be a name like backup-status (letters, digits, '.', '-', '_')"))),
      command: z.optional(z.string().check(z.trim(), z.minLength(1, "command cannot be empty"))),
      cwd: z.optional(z.string()),
      timeoutSeconds: z._default(seconds("timeoutSeconds").check(z.positive()), 60),
      failOnExitCode: z._default(z.boolean(), false),
    })
    .check(
      z.superRefine((target, ctx) => {
        if (target.commandName === undefined && target.command === undefined) {
          ctx.addIssue({ code: "custom", path: ["command"], message: "command is required (or commandName: a command the worker's profile defines)" });
        } else if (target.commandName !== undefined && target.command !== undefined) {
          ctx.addIssue({ code: "custom", path: ["command"], message: "give either command or commandName, not both" });
        } else if (target.commandName !== undefined && target.cwd !== undefined) {
          ctx.addIssue({ code: "custom", path: ["cwd"], message: "cwd comes from the command's definition in the worker's profile" });
        }
      }),
    );

const TARGET_BUILDERS = {
  simulated: once(simulatedTargetSchema),
  http: once(httpTargetSchema),
  "github-issues": once(githubIssuesTargetSchema),
  command: once(commandTargetSchema),
} as const;

/** A kind's target schema (built on first use). */
export function targetSchema<K extends MonitorKind>(kind: K): ReturnType<(typeof TARGET_BUILDERS)[K]> {
  return TARGET_BUILDERS[kind]() as ReturnType<(typeof TARGET_BUILDERS)[K]>;
}

export type SimulatedTarget = z.infer<ReturnType<typeof simulatedTargetSchema>>;
export type HttpTarget = z.infer<ReturnType<typeof httpTargetSchema>>;
export type GithubIssuesTarget = z.infer<ReturnType<typeof githubIssuesTargetSchema>>;
export type CommandTarget = z.infer<ReturnType<typeof commandTargetSchema>>;

/** The final outcomes an alert can be sent for (`alert.on`, `--alert-on`). */
const ALERT_OUTCOMES = ["completed", "failed", "met", "timeout"] as const;
export type AlertOn = (typeof ALERT_OUTCOMES)[number];

/** `backoff` (a spec's, a preset's): built on first use. */
export const backoffSchema = once(() =>
  z.strictObject({
    multiplier: z.number().check(z.minimum(1, "backoff.multiplier must be at least 1")),
    maxIntervalSeconds: interval("backoff.maxIntervalSeconds"),
  }),
);

const commonShape = () => ({
  jobId: z.optional(z.string().check(z.trim(), z.minLength(1, "jobId cannot be empty"), z.maxLength(200))),
  pollingIntervalSeconds: z._default(interval("pollingIntervalSeconds"), 5),
  timeoutSeconds: z._default(seconds("timeoutSeconds").check(z.positive("timeoutSeconds must be more than 0")), 30),
  backoff: z.optional(backoffSchema()),
  maxConsecutiveFailures: z._default(z.number().check(z.int(), z.minimum(1, "maxConsecutiveFailures must be at least 1")), 3),
  alert: z.optional(
    z.strictObject({
      webhookUrl: z.optional(url("alert.webhookUrl")),
      /** Which final outcomes send the alert; default every one. */
      on: z._default(
        z.array(z.enum(ALERT_OUTCOMES, { error: `alert.on takes ${ALERT_OUTCOMES.join(", ")}` })).check(z.minLength(1, "alert.on needs at least one outcome")),
        [...ALERT_OUTCOMES],
      ),
    }),
  ),
});

/** The fields every kind shares (spec-fields.ts walks them to build the CLI flags and the form): built on first use. */
export const commonSpecShape = once(commonShape);

/** One kind's whole spec: input as the user gives it, defaults not yet applied, jobId optional. */
const kindSpecSchema = <K extends MonitorKind>(kind: K) =>
  z.strictObject({ ...commonSpecShape(), kind: z.literal(kind), target: targetSchema(kind) }).check(
    z.superRefine((spec, ctx) => {
      if (spec.timeoutSeconds < spec.pollingIntervalSeconds) {
        ctx.addIssue({
          code: "custom",
          path: ["timeoutSeconds"],
          message: `timeoutSeconds (${spec.timeoutSeconds}) must not be shorter than pollingIntervalSeconds (${spec.pollingIntervalSeconds})`,
        });
      }
    }),
  );

type KindSpecSchema<K extends MonitorKind> = ReturnType<typeof kindSpecSchema<K>>;
const KIND_SPEC_BUILDERS: { [K in MonitorKind]: () => KindSpecSchema<K> } = {
  simulated: once(() => kindSpecSchema("simulated")),
  http: once(() => kindSpecSchema("http")),
  "github-issues": once(() => kindSpecSchema("github-issues")),
  command: once(() => kindSpecSchema("command")),
};

type ParsedSpec = { [K in MonitorKind]: z.output<KindSpecSchema<K>> }[MonitorKind];
export type MonitorSpecInput = { [K in MonitorKind]: z.input<KindSpecSchema<K>> }[MonitorKind];
/** A validated spec: every default applied. `jobId` is filled by the engine when absent. */
export type MonitorSpec = ParsedSpec & { jobId: string };

const KIND_ERROR = `kind must be one of ${MONITOR_KINDS.join(", ")}`;

interface SpecIssue {
  /** Dotted field path, e.g. "target.url" or "pollingIntervalSeconds". */
  path: string;
  message: string;
}

type SpecValidation = { ok: true; spec: ParsedSpec } | { ok: false; issues: SpecIssue[] };

const isKind = (value: unknown): value is MonitorKind => (MONITOR_KINDS as readonly unknown[]).includes(value);

/**
 * Validates a spec without throwing: what the form uses on every keystroke. The kind picks the schema (what a
 * discriminated union of the four would do, without building the other three).
 */
export function validateMonitorSpec(input: unknown): SpecValidation {
  const isObject = typeof input === "object" && input !== null && !Array.isArray(input);
  const kind = isObject ? (input as { kind?: unknown }).kind : undefined;
  if (!isKind(kind)) return { ok: false, issues: [{ path: isObject ? "kind" : "", message: KIND_ERROR }] };
  const result = (KIND_SPEC_BUILDERS[kind]() as z.ZodMiniType<ParsedSpec>).safeParse(input);
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
