/**
 * Every settable field of a monitor spec, read from the spec's zod schema: its path, type, default and choices. The
 * CLI's `start` flags and the dashboard's form are both built from this list, so a field added to the schema shows
 * up in both (and `specFields` throws until it has words below: a test catches a field without them).
 */
import type * as z from "zod/mini";
import { commonSpecShape, MONITOR_KINDS, targetSchema, type MonitorKind } from "./spec.js";

export type SpecFieldType = "text" | "number" | "boolean" | "choice" | "list" | "map" | "json";

export interface SpecField {
  /** Dotted spec path, as the schema reports issues ("target.url", "backoff.multiplier"). */
  path: string;
  /** Set for target fields: the kind they belong to. */
  kind?: MonitorKind;
  type: SpecFieldType;
  /** The schema's default, when it has one. */
  default?: unknown;
  /** True when the field may be left out (optional, or defaulted). */
  optional: boolean;
  /** `choice` fields, and the items of a `list` of choices. */
  choices?: readonly string[];
  /** The CLI flag, e.g. "--status-path". */
  flag: string;
  /** The form's label. */
  label: string;
  /** One line of help (CLI `--help`, the form's hint). */
  help: string;
  /** Shown in the form's advanced section. */
  advanced?: boolean;
}

interface Words {
  flag: string;
  label: string;
  help: string;
  advanced?: boolean;
}

/** The words for each schema path (structure, types and defaults come from the schema). Target paths are per kind. */
const WORDS: Record<string, Words> = {
  jobId: { flag: "--job-id", label: "job id", help: "the job's name shown everywhere (default: generated)" },
  pollingIntervalSeconds: { flag: "--interval", label: "interval (s)", help: "seconds between checks" },
  timeoutSeconds: { flag: "--timeout", label: "timeout (s)", help: "give up (outcome Timeout) after this many seconds" },
  maxConsecutiveFailures: { flag: "--max-failures", label: "max failures", help: "failed checks in a row before the monitor fails" },
  "backoff.multiplier": { flag: "--backoff-multiplier", label: "backoff ×", help: "grow each wait by this factor (≥ 1)", advanced: true },
  "backoff.maxIntervalSeconds": { flag: "--backoff-max-interval", label: "backoff max (s)", help: "with backoff: the longest wait", advanced: true },
  "alert.webhookUrl": { flag: "--alert-webhook", label: "alert webhook", help: "POST an alert here when the monitor ends with an outcome in --alert-on", advanced: true },
  "alert.on": { flag: "--alert-on", label: "alert on", help: "which outcomes alert, comma-separated", advanced: true },
  "simulated:target.durationSeconds": { flag: "--duration", label: "job duration (s)", help: "how long the simulated job runs" },
  "simulated:target.queuedSeconds": { flag: "--queued", label: "queued for (s)", help: "how long it is queued first" },
  "simulated:target.failAtPercent": { flag: "--fail-at", label: "fail at %", help: "fail when progress reaches this (blank: never)" },
  "http:target.url": { flag: "--url", label: "status URL", help: "the status endpoint ({jobId} is substituted)" },
  "http:target.method": { flag: "--method", label: "method", help: "the status request's method" },
  "http:target.headers": { flag: "--header", label: "headers", help: "request headers K=V (CLI: repeat --header; form: comma-separated)", advanced: true },
  "http:target.statusPath": { flag: "--status-path", label: "status path", help: "where the status is in the JSON" },
  "http:target.progressPath": { flag: "--progress-path", label: "progress path", help: "where the progress (0..100) is" },
  "http:target.successValues": { flag: "--success-values", label: "success values", help: "status values meaning done, comma-separated", advanced: true },
  "http:target.failureValues": { flag: "--failure-values", label: "failure values", help: "status values meaning failed, comma-separated", advanced: true },
  "http:target.startUrl": { flag: "--start-url", label: "start URL (POST)", help: "POST here once to start the job (blank: already running)" },
  "http:target.startBody": { flag: "--start-body", label: "start body", help: "the start POST's body (JSON, or text)", advanced: true },
  "http:target.jobIdPath": { flag: "--job-id-path", label: "job id path", help: "where the start answer holds the job id (default: id, jobId, JobId, job_id)", advanced: true },
  "http:target.doneOn2xx": { flag: "--done-on-2xx", label: "2xx alone = done", help: "a 2xx answer without a status value means done (else a failed check)", advanced: true },
  "http:target.requestTimeoutSeconds": { flag: "--request-timeout", label: "request timeout (s)", help: "per request", advanced: true },
  "github-issues:target.repo": { flag: "--repo", label: "repo", help: "the repository, owner/name" },
  "github-issues:target.threshold": { flag: "--threshold", label: "alert above (issues)", help: "the condition is met when open issues exceed this" },
  "github-issues:target.apiBaseUrl": { flag: "--api-base-url", label: "API base URL", help: "GitHub's API (GitHub Enterprise: https://host/api/v3)", advanced: true },
  "command:target.commandName": { flag: "--command-name", label: "defined command", help: "a command the worker's profile defines (profiles.<name>.commands)" },
  "command:target.command": { flag: "--cmd", label: "command", help: "a shell command line (runs only where the worker allows ad-hoc commands)" },
  "command:target.cwd": { flag: "--cwd", label: "working dir", help: "its working directory (blank: the worker's)" },
  "command:target.timeoutSeconds": { flag: "--command-timeout", label: "command timeout (s)", help: "stop the command after this many seconds" },
  "command:target.failOnExitCode": { flag: "--fail-on-exit-code", label: "fail on exit ≠ 0", help: "a non-zero exit fails the monitor (else: retry until the timeout)" },
};

type AnySchema = z.ZodMiniType & { def: Record<string, unknown> & { type: string } };

/** The schema under `.optional()` / `.default()`, with what they said. */
function unwrap(schema: AnySchema): { inner: AnySchema; optional: boolean; default?: unknown } {
  let inner = schema;
  let optional = false;
  let def: unknown;
  while (inner.def.type === "optional" || inner.def.type === "default") {
    optional = true;
    if (inner.def.type === "default") def = inner.def.defaultValue;
    inner = inner.def.innerType as AnySchema;
  }
  return def === undefined ? { inner, optional } : { inner, optional, default: def };
}

function choicesOf(schema: AnySchema): readonly string[] | undefined {
  const entries = schema.def.entries as Record<string, string> | undefined;
  return schema.def.type === "enum" && entries ? Object.values(entries) : undefined;
}

function fieldsOf(shape: Record<string, AnySchema>, prefix: string, kind: MonitorKind | undefined, parentOptional = false): SpecField[] {
  const out: SpecField[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const path = `${prefix}${key}`;
    const { inner, optional, default: def } = unwrap(schema);
    if (inner.def.type === "object") {
      out.push(...fieldsOf(inner.def.shape as Record<string, AnySchema>, `${path}.`, kind, optional));
      continue;
    }
    const words = WORDS[kind ? `${kind}:${path}` : path];
    if (!words) throw new Error(`spec-fields: no words for ${kind ? `${kind}:` : ""}${path}`);
    const type: SpecFieldType =
      inner.def.type === "number" ? "number"
      : inner.def.type === "boolean" ? "boolean"
      : inner.def.type === "enum" ? "choice"
      : inner.def.type === "array" ? "list"
      : inner.def.type === "record" ? "map"
      : inner.def.type === "string" ? "text"
      : "json";
    const choices = type === "list" ? choicesOf(inner.def.element as AnySchema) : choicesOf(inner);
    const field: SpecField = { path, type, optional: optional || parentOptional, ...words };
    if (kind) field.kind = kind;
    if (def !== undefined) field.default = def;
    if (choices) field.choices = choices;
    out.push(field);
  }
  return out;
}

/**
 * The fields of one kind (its target's, then the shared ones), or with no kind every kind's target fields and the
 * shared ones once. Throws when the schema has a field without words (a programming error).
 */
export function specFields(kind?: MonitorKind): SpecField[] {
  const kinds = kind ? [kind] : MONITOR_KINDS;
  const targets = kinds.flatMap((k) => fieldsOf(targetSchema(k).shape as unknown as Record<string, AnySchema>, "target.", k));
  return [...targets, ...fieldsOf(commonSpecShape() as unknown as Record<string, AnySchema>, "", undefined)];
}

/**
 * Typed text as a field's value, for the kinds of field the CLI and the form read alike: a choice matched
 * case-insensitively, a comma-separated list, JSON (else the text itself), plain text. The schema judges the result.
 */
export function valueFromText(field: Pick<SpecField, "type" | "choices">, text: string): unknown {
  switch (field.type) {
    case "choice":
      return field.choices?.find((c) => c.toLowerCase() === text.trim().toLowerCase()) ?? text;
    case "list":
      return text.split(",").map((v) => v.trim()).filter((v) => v !== "");
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}
