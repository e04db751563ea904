/**
 * `start` flags → a monitor spec input (validated later by the engine, which names bad fields).
 * Here: flag syntax only (numbers are numbers, kind flags belong to the kind).
 */
import type { Preset, ResolvedProfile } from "../engine/profile.js";
import { UsageError } from "../errors.js";
import { generateJobId } from "../engine/monitor/input.js";
import { MONITOR_KINDS, type MonitorKind, type MonitorSpecInput } from "../engine/monitor/spec.js";
import { specFields, valueFromText, type SpecField } from "../engine/monitor/spec-fields.js";
import { START_FLAG_FIELDS } from "./start-flag-fields.js";

/** Commander's parsed `start` options: one per spec field (by its flag's camelCase name) plus the few below. */
export interface StartFlags {
  kind?: string;
  preset?: string;
  [flag: string]: string | string[] | boolean | undefined;
}

/** Commander's attribute name for a flag: "--status-path" → "statusPath". */
function flagAttribute(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function parseNumberFlag(option: string, value: string): number {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${option} must be a number (got '${value}')`);
  return n;
}

/** "met, failed" → ["met", "failed"] (empty items dropped). */
function splitList(text: string): string[] {
  return text.split(",").map((v) => v.trim()).filter((v) => v !== "");
}

/** `K=V` items → a record. Throws UsageError naming an item without "=". */
function parseMap(option: string, items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf("=");
    if (at <= 0) throw new UsageError(`${option} takes key=value (got '${item}')`);
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}

/** A flag's text as the field's value; the schema checks the rest (and names the field). */
function flagValue(field: SpecField, raw: string | string[] | boolean): unknown {
  const text = Array.isArray(raw) ? raw.at(-1) ?? "" : String(raw);
  switch (field.type) {
    case "boolean":
      return raw === true || /^(true|yes|1)$/i.test(text);
    case "number":
      return parseNumberFlag(field.flag, text);
    case "list":
      return (Array.isArray(raw) ? raw : [text]).flatMap(splitList);
    case "map":
      return parseMap(field.flag, Array.isArray(raw) ? raw : [text]);
    default:
      return valueFromText(field, text);
  }
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    cur[p] = { ...((cur[p] as Record<string, unknown> | undefined) ?? {}) };
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
}

function findPreset(profile: ResolvedProfile, name: string): Preset {
  const preset = profile.presets[name];
  if (!preset) {
    const names = Object.keys(profile.presets);
    throw new UsageError(
      `No preset '${name}' in profile '${profile.name}'${names.length ? ` (presets: ${names.join(", ")})` : " (it has no presets)"}`,
    );
  }
  return preset;
}

/**
 * Builds the spec: the preset (when given) is the base, flags override it; the profile's defaults are merged
 * under it by the engine. Without --kind, a preset or a profile default kind, the kind is `simulated`. A preset
 * without a job id gets one prefixed with the preset's name. Throws UsageError for an unknown kind or preset, a
 * non-numeric number flag, a malformed key=value, or a target flag of another kind.
 */
export function specFromFlags(flags: StartFlags, profile: ResolvedProfile): MonitorSpecInput {
  const preset = flags.preset ? findPreset(profile, flags.preset) : undefined;
  const kindText = flags.kind ?? preset?.kind ?? profile.defaults.kind ?? "simulated";
  if (!(MONITOR_KINDS as readonly string[]).includes(kindText)) {
    throw new UsageError(`--kind must be one of ${MONITOR_KINDS.join(", ")} (got '${kindText}')`);
  }
  const kind = kindText as MonitorKind;
  const spec: Record<string, unknown> = { kind, target: preset && preset.kind === kind ? { ...preset.target } : {} };
  if (preset) {
    for (const key of ["jobId", "pollingIntervalSeconds", "timeoutSeconds", "maxConsecutiveFailures", "backoff", "alert"] as const) {
      if (preset[key] !== undefined) spec[key] = preset[key];
    }
    if (spec.jobId === undefined && flags.preset) spec.jobId = generateJobId(flags.preset);
  }
  const mine = new Map(specFields(kind).map((f) => [f.flag, f]));
  for (const field of START_FLAG_FIELDS) {
    const raw = flags[flagAttribute(field.flag)];
    if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) continue;
    const own = mine.get(field.flag);
    if (!own) throw new UsageError(`${field.flag} applies to --kind ${field.kind}, not ${kind}`);
    setPath(spec, own.path, flagValue(own, raw));
  }
  return spec as MonitorSpecInput;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "7d", "12h", "30m", "45s", "2w" → milliseconds. Throws UsageError otherwise. */
export function parseDuration(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  if (!m) throw new UsageError(`${option} must look like 30m, 12h or 7d (got '${text}')`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]! * 1000;
}
