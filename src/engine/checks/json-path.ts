/**
 * Dotted paths into parsed JSON ("status", "job.state", "items.0.progress"): what `statusPath`, `progressPath` and
 * `jobIdPath` name.
 */

/** The value at a dotted path, or undefined when any step is missing. Never throws. */
export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const step of path.split(".")) {
    if (step === "") continue;
    if (current === null || current === undefined || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** A progress value clamped to 0..100, from a number or a numeric string ("42", "42%"); undefined otherwise. */
export function toProgress(value: unknown): number | undefined {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && value.trim() !== "") n = Number(value.trim().replace(/%$/, ""));
  else return undefined;
  if (!Number.isFinite(n)) return undefined;
  return Math.min(100, Math.max(0, n));
}
