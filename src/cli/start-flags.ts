/**
 * `start` flags → a monitor spec input (validated later by the engine, which names bad fields).
 * Here: flag syntax only (numbers are numbers, kind flags belong to the kind).
 */
import type { Preset, ResolvedProfile } from "../config/types.js";
import { NotFoundError, UsageError } from "../errors.js";
import { MONITOR_KINDS, type MonitorKind, type MonitorSpecInput } from "../engine/monitor/spec.js";

export interface StartFlags {
  kind?: string;
  jobId?: string;
  interval?: string;
  timeout?: string;
  duration?: string;
  queued?: string;
  failAt?: string;
  url?: string;
  method?: string;
  statusPath?: string;
  progressPath?: string;
  startUrl?: string;
  repo?: string;
  threshold?: string;
  commandName?: string;
  cmd?: string;
  cwd?: string;
  alertWebhook?: string;
  alertOn?: string;
  preset?: string;
}

/** Which target field each kind flag sets, and its kind. */
const TARGET_FLAGS: Array<{ flag: keyof StartFlags; option: string; kind: MonitorKind; field: string; number?: boolean }> = [
  { flag: "duration", option: "--duration", kind: "simulated", field: "durationSeconds", number: true },
  { flag: "queued", option: "--queued", kind: "simulated", field: "queuedSeconds", number: true },
  { flag: "failAt", option: "--fail-at", kind: "simulated", field: "failAtPercent", number: true },
  { flag: "url", option: "--url", kind: "http", field: "url" },
  { flag: "method", option: "--method", kind: "http", field: "method" },
  { flag: "statusPath", option: "--status-path", kind: "http", field: "statusPath" },
  { flag: "progressPath", option: "--progress-path", kind: "http", field: "progressPath" },
  { flag: "startUrl", option: "--start-url", kind: "http", field: "startUrl" },
  { flag: "repo", option: "--repo", kind: "github-issues", field: "repo" },
  { flag: "threshold", option: "--threshold", kind: "github-issues", field: "threshold", number: true },
  { flag: "commandName", option: "--command-name", kind: "command", field: "commandName" },
  { flag: "cmd", option: "--cmd", kind: "command", field: "command" },
  { flag: "cwd", option: "--cwd", kind: "command", field: "cwd" },
];

/** "met, failed" → ["met", "failed"] (empty items dropped). */
export function splitList(text: string): string[] {
  return text.split(",").map((v) => v.trim()).filter((v) => v !== "");
}

export function parseNumberFlag(option: string, value: string): number {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${option} must be a number (got '${value}')`);
  return n;
}

function findPreset(profile: ResolvedProfile, name: string): Preset {
  const preset = profile.presets[name];
  if (!preset) {
    const names = Object.keys(profile.presets);
    throw new NotFoundError(
      `No preset '${name}' in profile '${profile.name}'${names.length ? ` (presets: ${names.join(", ")})` : " (it has no presets)"}`,
    );
  }
  return preset;
}

/**
 * Builds the spec: the preset (when given) is the base, flags override it; the profile's defaults are merged
 * under it by the engine. Without --kind, a preset or a profile default kind, the kind is `simulated`.
 * Throws UsageError for an unknown kind, a non-numeric number flag, or a kind flag of another kind.
 */
export function specFromFlags(flags: StartFlags, profile: ResolvedProfile): MonitorSpecInput {
  const preset = flags.preset ? findPreset(profile, flags.preset) : undefined;
  const kindText = flags.kind ?? preset?.kind ?? profile.defaults.kind ?? "simulated";
  if (!(MONITOR_KINDS as readonly string[]).includes(kindText)) {
    throw new UsageError(`--kind must be one of ${MONITOR_KINDS.join(", ")} (got '${kindText}')`);
  }
  const kind = kindText as MonitorKind;
  const target: Record<string, unknown> = preset && preset.kind === kind ? { ...preset.target } : {};
  for (const t of TARGET_FLAGS) {
    const value = flags[t.flag];
    if (value === undefined) continue;
    if (t.kind !== kind) throw new UsageError(`${t.option} applies to --kind ${t.kind}, not ${kind}`);
    target[t.field] = t.number ? parseNumberFlag(t.option, value) : t.field === "method" ? value.toUpperCase() : value;
  }
  const spec: Record<string, unknown> = { kind, target };
  if (preset) {
    for (const key of ["jobId", "pollingIntervalSeconds", "timeoutSeconds", "maxConsecutiveFailures", "backoff", "alert"] as const) {
      if (preset[key] !== undefined) spec[key] = preset[key];
    }
  }
  if (flags.jobId !== undefined) spec.jobId = flags.jobId;
  if (flags.interval !== undefined) spec.pollingIntervalSeconds = parseNumberFlag("--interval", flags.interval);
  if (flags.timeout !== undefined) spec.timeoutSeconds = parseNumberFlag("--timeout", flags.timeout);
  if (flags.alertWebhook !== undefined) spec.alert = { ...(spec.alert as object | undefined), webhookUrl: flags.alertWebhook };
  if (flags.alertOn !== undefined) spec.alert = { ...(spec.alert as object | undefined), on: splitList(flags.alertOn) };
  return spec as MonitorSpecInput;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "7d", "12h", "30m", "45s", "2w" → milliseconds. Throws UsageError otherwise. */
export function parseDuration(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  if (!m) throw new UsageError(`${option} must look like 30m, 12h or 7d (got '${text}')`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]! * 1000;
}
