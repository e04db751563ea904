/**
 * The new-monitor form as pure data: which fields each kind has, how typed text becomes a spec,
 * and its inline validation — by the engine's own schema (`validateMonitorSpec`), on every keystroke.
 */
import { MONITOR_KINDS, validateMonitorSpec, type MonitorKind, type MonitorSpecInput } from "../../engine/monitor/spec.js";
import { specFields, valueFromText, type SpecField, type SpecFieldType } from "../../engine/monitor/spec-fields.js";
import type { MonitorDefaults } from "../../engine/profile.js";

/** One field of the form: a spec field from the schema (spec-fields.ts), as the form shows it. */
interface FormField {
  /** Dotted spec path, as the schema reports issues ("target.url"). */
  path: string;
  label: string;
  /** A boolean field shows "yes"/"no"; typing y or n sets it. Lists are comma-separated, maps `k=v, k=v`. */
  type: SpecFieldType;
  /** Empty means "leave it out" (the schema's default or nothing). */
  optional?: boolean;
  hint?: string;
  /** Shown after the main fields, under "advanced". */
  advanced?: boolean;
  choices?: readonly string[];
  default?: unknown;
}

function toFormField(f: SpecField): FormField {
  const field: FormField = { path: f.path, label: f.label, type: f.type, hint: f.help };
  // A number the form pre-fills (it has a default) must keep a value; other optional fields may be emptied.
  if (f.optional && !(f.type === "number" && f.default !== undefined)) field.optional = true;
  if (f.advanced) field.advanced = true;
  if (f.choices) field.choices = f.choices;
  if (f.default !== undefined) field.default = f.default;
  return field;
}

/** The kind's fields from the schema: the main ones first, then the advanced ones. */
export function formFields(kind: MonitorKind): FormField[] {
  const all = specFields(kind).map(toFormField);
  return [...all.filter((f) => !f.advanced), ...all.filter((f) => f.advanced)];
}

/** A value as the form shows it: numbers and text as typed, booleans yes/no, lists comma-separated. */
function textOf(type: SpecFieldType, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (type === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.join(", ");
  if (type === "map" && typeof value === "object") return Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(", ");
  if (type === "json" && typeof value !== "string") return JSON.stringify(value);
  return String(value);
}

/** The form's starting text for a kind: the profile's defaults, else the schema's. */
export function initialValues(kind: MonitorKind, defaults: MonitorDefaults = {}): Record<string, string> {
  const fromProfile: Record<string, unknown> = {
    pollingIntervalSeconds: defaults.pollingIntervalSeconds,
    timeoutSeconds: defaults.timeoutSeconds,
    maxConsecutiveFailures: defaults.maxConsecutiveFailures,
    "alert.webhookUrl": defaults.alert?.webhookUrl,
  };
  const values: Record<string, string> = {};
  for (const field of formFields(kind)) values[field.path] = textOf(field.type, fromProfile[field.path] ?? field.default);
  return values;
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

/** `k=v, k2=v2` → a record; undefined when an item has no "=". */
function parseMapText(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const item of text.split(",").map((i) => i.trim()).filter(Boolean)) {
    const at = item.indexOf("=");
    if (at <= 0) return undefined;
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}

/** The typed text as the field's value (the schema then judges it). */
function valueOf(field: FormField, text: string): unknown {
  switch (field.type) {
    case "number":
      return parseNumber(text);
    case "boolean":
      return text === "yes";
    case "map":
      return parseMapText(text) ?? text;
    default:
      return valueFromText(field, text);
  }
}

/** Turns the form's text into a spec input (not yet validated). Lists left at the schema's default are left out. */
function formToSpec(kind: MonitorKind, values: Record<string, string>, defaults: MonitorDefaults = {}): MonitorSpecInput {
  const spec: Record<string, unknown> = { kind, target: {} };
  for (const field of formFields(kind)) {
    const text = (values[field.path] ?? "").trim();
    if (text === "" && (field.optional || field.type !== "text")) continue;
    if (field.type === "list" && text === textOf(field.type, field.default)) continue;
    setPath(spec, field.path, valueOf(field, text));
  }
  if (defaults.alert?.webhookUrl && !(spec.alert as { webhookUrl?: string } | undefined)?.webhookUrl) {
    spec.alert = { ...(spec.alert as object | undefined), webhookUrl: defaults.alert.webhookUrl };
  }
  return spec as MonitorSpecInput;
}

interface FormValidation {
  spec?: MonitorSpecInput;
  /** Field path → message; "" for issues that belong to no field. */
  errors: Record<string, string>;
}

/** Validates the typed text with the engine's schema; `spec` is set only when there is no error. */
export function validateForm(kind: MonitorKind, values: Record<string, string>, defaults: MonitorDefaults = {}): FormValidation {
  const errors: Record<string, string> = {};
  const fields = formFields(kind);
  for (const field of fields) {
    const text = (values[field.path] ?? "").trim();
    if (field.type === "number" && !field.optional && text === "") errors[field.path] = `${field.label} is required`;
    if (field.type === "map" && text !== "" && !parseMapText(text)) errors[field.path] = `${field.label}: use key=value, key=value`;
  }
  const spec = formToSpec(kind, values, defaults);
  const result = validateMonitorSpec(spec);
  if (!result.ok) {
    const known = new Set(fields.map((f) => f.path));
    for (const issue of result.issues) {
      // An item's issue ("alert.on.0") belongs to its field ("alert.on").
      const key = [...known].find((path) => issue.path === path || issue.path.startsWith(`${path}.`)) ?? "";
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
