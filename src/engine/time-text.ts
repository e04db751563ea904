/**
 * Durations and relative times as plain text, shared by the dashboard and the headless commands' text output.
 */

/**
 * "45s", "12m 3s", "2h 5m", "3d 4h" (`parts` 2), or only the largest unit, "12m" (`parts` 1). Negative values are 0.
 */
export function formatDuration(seconds: number, parts: 1 | 2 = 2): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return parts === 2 && s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return parts === 2 && m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return parts === 2 && h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** "12s ago" (or "just now" under a second); `parts` as in formatDuration. */
export function formatAgo(thenMs: number, nowMs: number, parts: 1 | 2 = 2): string {
  const s = (nowMs - thenMs) / 1000;
  if (s < 1) return "just now";
  return `${formatDuration(Math.floor(s), parts)} ago`;
}

/** "in 3s", or "now" once due. */
export function formatIn(whenMs: number, nowMs: number): string {
  const s = Math.ceil((whenMs - nowMs) / 1000);
  if (s <= 0) return "now";
  return `in ${formatDuration(s)}`;
}
