/**
 * The profile a long-running process (the dashboard) uses, kept up to date with the config file.
 *
 * What applies at once: the profile's presets and defaults (the next preset launched or form opened uses them) and
 * its check settings (commands, allowAdHocCommands, allowedHosts, githubApiUrl: this process's worker enforces them
 * from the next check). What needs a restart: the connection (connection string, dbPath) and the task hub, since the
 * engine is connected already. The profile stays the one the process started with, even if the file's activeProfile
 * changes.
 *
 * An edit that does not load (bad JSON, a schema error, the profile removed) is reported and the last good profile
 * stays in use. The file is only read, never written.
 */
import { errorMessage } from "../errors.js";
import { configFilePath } from "./location.js";
import { loadProfile, type LoadProfileOptions } from "./profiles.js";
import type { ResolvedProfile } from "../engine/profile.js";
import { watchFileEdits, type FileWatch } from "./watch.js";
import { readFileSync } from "node:fs";

/** The parts of a profile an edit can change, as the user knows them. */
export type ProfilePart = "presets" | "defaults" | "connection" | "task hub" | "check settings";

/** Parts that apply to a running dashboard without a restart. */
export const LIVE_PARTS: readonly ProfilePart[] = ["presets", "defaults", "check settings"];

export type LiveProfileEvent =
  /**
   * The file loaded. `applied`: the live parts this edit changed (now in use). `pendingRestart`: every part that differs
   * from what the process started with and waits for a restart (empty again when an edit reverts them).
   * `recovered`: the file was invalid before this edit.
   */
  | { type: "reloaded"; profile: ResolvedProfile; applied: ProfilePart[]; pendingRestart: ProfilePart[]; recovered: boolean }
  /** The file does not load; the last good profile stays in use. */
  | { type: "invalid"; message: string };

export interface LiveProfile {
  /** The config file watched. */
  readonly path: string;
  /** The profile in use: as the process started, with the live parts of the last good edit. */
  current(): ResolvedProfile;
  /** Parts changed in the file that wait for a restart (empty when none). */
  pendingRestart(): ProfilePart[];
  subscribe(listener: (event: LiveProfileEvent) => void): () => void;
  /** Stops watching; idempotent. */
  close(): void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Which parts differ between two resolutions of a profile. */
export function changedParts(before: ResolvedProfile, after: ResolvedProfile): ProfilePart[] {
  const parts: ProfilePart[] = [];
  if (!same(before.presets, after.presets)) parts.push("presets");
  if (!same(before.defaults, after.defaults)) parts.push("defaults");
  if (!same(before.connection, after.connection)) parts.push("connection");
  if (before.taskHub !== after.taskHub) parts.push("task hub");
  if (!same(before.checks, after.checks)) parts.push("check settings");
  return parts;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Starts watching the config file for `initial` (the profile the process loaded with `options`). Edits are read
 * after a quiet `debounceMs` and announced to subscribers.
 */
export function watchProfile(initial: ResolvedProfile, options: LoadProfileOptions & { debounceMs?: number } = {}): LiveProfile {
  const path = configFilePath(options);
  /** The last good resolution of the file (connection and all); only its live parts are used. */
  let latest = initial;
  let current = initial;
  let lastText = readText(path);
  let invalid = false;
  const listeners = new Set<(event: LiveProfileEvent) => void>();
  const emit = (event: LiveProfileEvent) => {
    for (const l of listeners) l(event);
  };
  const pendingRestart = (): ProfilePart[] => changedParts(initial, latest).filter((p) => !LIVE_PARTS.includes(p));

  const reload = () => {
    const text = readText(path);
    if (text === lastText && !invalid) return;
    lastText = text;
    let next: ResolvedProfile;
    try {
      next = loadProfile({ ...options, profile: initial.name });
    } catch (error) {
      invalid = true;
      emit({ type: "invalid", message: errorMessage(error) });
      return;
    }
    const recovered = invalid;
    invalid = false;
    const applied = changedParts(latest, next).filter((p) => LIVE_PARTS.includes(p));
    latest = next;
    current = { ...initial, presets: next.presets, defaults: next.defaults };
    if (next.checks) current.checks = next.checks;
    else delete current.checks;
    emit({ type: "reloaded", profile: current, applied, pendingRestart: pendingRestart(), recovered });
  };
  const watch: FileWatch = watchFileEdits(path, reload, {
    debounceMs: options.debounceMs,
    onError: (error) => emit({ type: "invalid", message: `Config file ${path}: no longer watched (${error.message}); restart to pick up edits` }),
  });

  return {
    path,
    current: () => current,
    pendingRestart,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => watch.close(),
  };
}
