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

const KEYS_SHOWN = 12;

/**
 * Why `path` found nothing in `value`, for a failed check's message: the keys of the deepest object the path
 * reached ("keys seen: JobId, Status", "keys seen at job: id, state"), or what the body was instead.
 */
export function describeMissing(value: unknown, path: string): string {
  let current: unknown = value;
  const walked: string[] = [];
  for (const step of path.split(".").filter((s) => s !== "")) {
    if (current === null || typeof current !== "object") break;
    const next = (current as Record<string, unknown>)[step];
    if (next === undefined || next === null || next === "") break;
    walked.push(step);
    current = next;
  }
  if (current === undefined) return "the response has no body";
  if (current === null || typeof current !== "object") return `the response${walked.length ? ` at ${walked.join(".")}` : ""} is ${JSON.stringify(current).slice(0, 40)}`;
  const keys = Object.keys(current);
  const at = walked.length ? ` at ${walked.join(".")}` : "";
  if (keys.length === 0) return `no keys seen${at}`;
  const shown = keys.slice(0, KEYS_SHOWN).join(", ");
  return `keys seen${at}: ${shown}${keys.length > KEYS_SHOWN ? `, … (${keys.length} in all)` : ""}`;
}
