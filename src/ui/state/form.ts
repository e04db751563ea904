/**
 * The new-monitor form as pure data: which fields each kind has, how typed text becomes a spec,
 * and its inline validation — by the engine's own schema (`validateMonitorSpec`), on every keystroke.
 */
import { MONITOR_KINDS, validateMonitorSpec, type MonitorKind, type MonitorSpecInput } from "../../engine/monitor/spec.js";
import type { MonitorDefaults } from "../../config/types.js";

export interface FormField {
  /** Dotted spec path, as the schema reports issues ("target.url"). */
  path: string;
  label: string;
  /** A boolean field shows "yes"/"no"; typing y or n sets it. */
  type: "text" | "number" | "boolean";
  /** Empty means "leave it out" (the schema's default or nothing). */
  optional?: boolean;
  hint?: string;
}

const COMMON_FIELDS: FormField[] = [
  { path: "jobId", label: "job id", type: "text", optional: true, hint: "blank: generated" },
  { path: "pollingIntervalSeconds", label: "interval (s)", type: "number" },
  { path: "timeoutSeconds", label: "timeout (s)", type: "number" },
  { path: "maxConsecutiveFailures", label: "max failures", type: "number" },
];

const TARGET_FIELDS: Record<MonitorKind, FormField[]> = {
  simulated: [
    { path: "target.durationSeconds", label: "job duration (s)", type: "number" },
    { path: "target.queuedSeconds", label: "queued for (s)", type: "number" },
    { path: "target.failAtPercent", label: "fail at %", type: "number", optional: true, hint: "blank: never fails" },
  ],
  http: [
    { path: "target.url", label: "status URL", type: "text" },
    { path: "target.method", label: "method", type: "text", hint: "GET, POST or PUT" },
    { path: "target.statusPath", label: "status path", type: "text", hint: "JSON path of the status" },
    { path: "target.progressPath", label: "progress path", type: "text", optional: true },
    { path: "target.startUrl", label: "start URL (POST)", type: "text", optional: true, hint: "blank: the job is already running" },
  ],
  "github-issues": [
    { path: "target.repo", label: "repo", type: "text", hint: "owner/name" },
    { path: "target.threshold", label: "alert above (issues)", type: "number" },
  ],
  command: [
    { path: "target.commandName", label: "defined command", type: "text", optional: true, hint: "a name the worker's profile defines" },
    { path: "target.command", label: "command line", type: "text", optional: true, hint: "runs only where the worker allows ad-hoc commands" },
    { path: "target.timeoutSeconds", label: "command timeout (s)", type: "number" },
    { path: "target.cwd", label: "working dir", type: "text", optional: true, hint: "blank: the worker's directory" },
    { path: "target.failOnExitCode", label: "fail on exit ≠ 0", type: "boolean", hint: "y/n: no means retry until the timeout" },
  ],
};

export function formFields(kind: MonitorKind): FormField[] {
  return [...TARGET_FIELDS[kind], ...COMMON_FIELDS];
}

const TARGET_DEFAULTS: Record<MonitorKind, Record<string, string>> = {
  simulated: { "target.durationSeconds": "20", "target.queuedSeconds": "0" },
  http: { "target.method": "GET", "target.statusPath": "status" },
  "github-issues": { "target.threshold": "3" },
  command: { "target.timeoutSeconds": "60", "target.failOnExitCode": "no" },
};

/** The form's starting text for a kind: the profile's defaults, else the schema's. */
export function initialValues(kind: MonitorKind, defaults: MonitorDefaults = {}): Record<string, string> {
  return {
    ...TARGET_DEFAULTS[kind],
    jobId: "",
    pollingIntervalSeconds: String(defaults.pollingIntervalSeconds ?? 5),
    timeoutSeconds: String(defaults.timeoutSeconds ?? 30),
    maxConsecutiveFailures: String(defaults.maxConsecutiveFailures ?? 3),
  };
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    cur[p] ??= {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
}

/** A number when the text is one; otherwise the text itself, so the schema names the field in its error. */
function parseNumber(text: string): number | string {
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
}

/** Turns the form's text into a spec input (not yet validated). */
export function formToSpec(kind: MonitorKind, values: Record<string, string>, defaults: MonitorDefaults = {}): MonitorSpecInput {
  const spec: Record<string, unknown> = { kind, target: {} };
  for (const field of formFields(kind)) {
    const text = (values[field.path] ?? "").trim();
    if (text === "" && (field.optional || field.type !== "text")) continue;
    setPath(spec, field.path, field.type === "number" ? parseNumber(text) : field.type === "boolean" ? text === "yes" : text);
  }
  if (defaults.alert?.webhookUrl) spec.alert = { webhookUrl: defaults.alert.webhookUrl };
  return spec as MonitorSpecInput;
}

export interface FormValidation {
  spec?: MonitorSpecInput;
  /** Field path → message; "" for issues that belong to no field. */
  errors: Record<string, string>;
}

/** Validates the typed text with the engine's schema; `spec` is set only when there is no error. */
export function validateForm(kind: MonitorKind, values: Record<string, string>, defaults: MonitorDefaults = {}): FormValidation {
  const errors: Record<string, string> = {};
  const fields = formFields(kind);
  for (const field of fields) {
    if (field.type === "number" && !field.optional && (values[field.path] ?? "").trim() === "") {
      errors[field.path] = `${field.label} is required`;
    }
  }
  const spec = formToSpec(kind, values, defaults);
  const result = validateMonitorSpec(spec);
  if (!result.ok) {
    const known = new Set(fields.map((f) => f.path));
    for (const issue of result.issues) {
      const key = known.has(issue.path) ? issue.path : "";
      errors[key] ??= issue.path && key === "" ? `${issue.path}: ${issue.message}` : issue.message;
    }
  }
  return Object.keys(errors).length ? { errors } : { spec, errors };
}

/** The form's state machine: pick a kind, then edit fields. */
export type FormState =
  | { step: "kind"; kindIndex: number }
  | { step: "fields"; kind: MonitorKind; values: Record<string, string>; focus: number };

export type FormAction =
  | { type: "moveKind"; delta: number }
  | { type: "chooseKind" }
  | { type: "focus"; delta: number }
  | { type: "typeText"; text: string }
  | { type: "erase" }
  | { type: "back" };

export function initialFormState(defaults: MonitorDefaults = {}): FormState {
  return { step: "kind", kindIndex: Math.max(0, MONITOR_KINDS.indexOf(defaults.kind ?? "simulated")) };
}

/** Pure transitions of the form (the profile's defaults fill each kind's fields). */
export function formReducer(state: FormState, action: FormAction, defaults: MonitorDefaults = {}): FormState {
  switch (action.type) {
    case "moveKind":
      if (state.step !== "kind") return state;
      return { ...state, kindIndex: (state.kindIndex + action.delta + MONITOR_KINDS.length) % MONITOR_KINDS.length };
    case "chooseKind": {
      if (state.step !== "kind") return state;
      const kind = MONITOR_KINDS[state.kindIndex]!;
      return { step: "fields", kind, values: initialValues(kind, defaults), focus: 0 };
    }
    case "focus": {
      if (state.step !== "fields") return state;
      const n = formFields(state.kind).length;
      return { ...state, focus: (state.focus + action.delta + n) % n };
    }
    case "typeText": {
      if (state.step !== "fields") return state;
      const field = formFields(state.kind)[state.focus]!;
      const path = field.path;
      if (field.type === "boolean") {
        const answer = /[yn](?=[^yn]*$)/i.exec(action.text)?.[0].toLowerCase();
        return answer ? { ...state, values: { ...state.values, [path]: answer === "y" ? "yes" : "no" } } : state;
      }
      // Printable text only (a paste may carry newlines).
      const text = action.text.replace(/[\r\n\t\u0000-\u001f\u007f]/g, "");
      if (!text) return state;
      return { ...state, values: { ...state.values, [path]: (state.values[path] ?? "") + text } };
    }
    case "erase": {
      if (state.step !== "fields") return state;
      const field = formFields(state.kind)[state.focus]!;
      const path = field.path;
      if (field.type === "boolean") return { ...state, values: { ...state.values, [path]: "" } };
      const chars = [...(state.values[path] ?? "")];
      return { ...state, values: { ...state.values, [path]: chars.slice(0, -1).join("") } };
    }
    case "back":
      if (state.step !== "fields") return state;
      return { step: "kind", kindIndex: MONITOR_KINDS.indexOf(state.kind) };
  }
}
