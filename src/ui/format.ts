/**
 * Pure text formatting for the dashboard: durations, relative times, bars, sparklines, short targets.
 * Every function returns plain text (no colour) so it reads the same with NO_COLOR.
 */
import cliTruncate from "cli-truncate";
import stringWidth from "./text-width.js";
import type { MonitorSnapshot, RecentPoint } from "../engine/types.js";
import { formatDuration } from "../engine/time-text.js";

export { formatAgo, formatDuration, formatIn } from "../engine/time-text.js";

/** Cuts text to `width` terminal columns (wide characters count two) with an ellipsis; pads with spaces when `pad`. */
export function fit(text: string, width: number, pad = false): string {
  if (width <= 0) return "";
  const out = stringWidth(text) > width ? cliTruncate(text, width) : text;
  return pad ? out + " ".repeat(Math.max(0, width - stringWidth(out))) : out;
}

/**
 * "a" or "an" before `word`, by its sound, for the words we print (monitor kinds, event names): "an http", "an event",
 * "an unknown", "a simulated", "a github-issues", "a user".
 */
export function article(word: string): "a" | "an" {
  return /^(?:[aeio]|u[^s]|http)/i.test(word) ? "an" : "a";
}

/** A bar of `width` cells filled to `fraction` (0..1), e.g. "████▌░░░". */
export function bar(fraction: number, width: number): string {
  if (width <= 0) return "";
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  const partial = rest ? "▏▎▍▌▋▊▉"[rest - 1]! : "";
  return ("█".repeat(full) + partial + "░".repeat(width)).slice(0, width);
}

/** The indeterminate marker: a short block bouncing across the bar with the clock (`tick` = seconds). */
export function indeterminateBar(width: number, tick: number): string {
  if (width <= 0) return "";
  const block = Math.min(3, width);
  const span = Math.max(1, width - block);
  const period = span * 2;
  const phase = ((tick % period) + period) % period;
  const pos = phase <= span ? phase : period - phase;
  return "░".repeat(pos) + "▒".repeat(block) + "░".repeat(Math.max(0, width - pos - block));
}

const SPARK = "▁▂▃▄▅▆▇█";

/**
 * A sparkline of the recent progress points (last `width`): a failed check (Unknown) or a failed job draws "×",
 * points without progress "·".
 */
export function sparkline(points: readonly RecentPoint[] | undefined, width: number): string {
  if (!points || width <= 0) return "";
  const tail = points.slice(-width);
  return tail
    .map((p) => {
      if (p.status === "Failed" || p.status === "Unknown") return "×";
      if (p.progress === undefined) return "·";
      const v = Math.min(100, Math.max(0, p.progress));
      return SPARK[Math.min(SPARK.length - 1, Math.floor((v / 100) * SPARK.length))]!;
    })
    .join("");
}

/**
 * Consecutive failed checks against the limit, "2/3 ✗" (or "2 ✗" when the limit is unknown); undefined when the last
 * check did not fail.
 */
export function failureCount(m: MonitorSnapshot): string | undefined {
  const failures = m.customStatus?.consecutiveFailures ?? 0;
  if (failures <= 0) return undefined;
  const limit = m.customStatus?.maxConsecutiveFailures ?? m.spec?.maxConsecutiveFailures;
  return limit === undefined ? `${failures} ✗` : `${failures}/${limit} ✗`;
}

/** The job id when the monitor published one, else its instance id. */
export function jobLabel(m: MonitorSnapshot): string {
  return m.customStatus?.jobId ?? m.spec?.jobId ?? m.instanceId;
}

/** A short description of what is watched: "sim 20s", "http example.com/jobs/1", "gh owner/repo >3", "cmd make test". */
export function targetSummary(m: MonitorSnapshot): string {
  const spec = m.spec;
  if (!spec) return m.name;
  switch (spec.kind) {
    case "simulated": {
      const t = spec.target;
      return `sim ${formatDuration(t.durationSeconds)}${t.failAtPercent !== undefined ? ` fail@${t.failAtPercent}%` : ""}`;
    }
    case "http":
      return `http ${spec.target.url.replace(/^https?:\/\//i, "")}`;
    case "github-issues":
      return `gh ${spec.target.repo} >${spec.target.threshold}`;
    case "command":
      return spec.target.commandName !== undefined ? `cmd [${spec.target.commandName}]` : `cmd ${spec.target.command}`;
  }
}

/** The kind, short. */
export function kindLabel(m: MonitorSnapshot): string {
  return m.spec?.kind ?? m.customStatus?.kind ?? m.name;
}
