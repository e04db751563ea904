/**
 * Rows that share a job id (a monitor and its restarts, or two starts with the same --job-id) would read the same: each
 * gets a short tag from its instance id ("#3fa2"), as long as it takes for the tags of that job id to differ.
 */
import type { MonitorSnapshot } from "../../engine/types.js";
import { jobLabel } from "../format.js";

/** The fewest instance-id characters a tag shows. */
const MIN_TAG_CHARS = 4;

/** Instance id → tag, for the monitors whose job id another monitor also has; the others get none. */
export function instanceTags(monitors: Iterable<MonitorSnapshot>): Map<string, string> {
  // A job id seen once keeps its instance id alone (no array per monitor: 10,000 of them at every refresh).
  const byJob = new Map<string, string | string[]>();
  for (const m of monitors) {
    const label = jobLabel(m);
    const seen = byJob.get(label);
    if (seen === undefined) byJob.set(label, m.instanceId);
    else if (typeof seen === "string") byJob.set(label, [seen, m.instanceId]);
    else seen.push(m.instanceId);
  }
  const tags = new Map<string, string>();
  for (const ids of byJob.values()) {
    if (typeof ids === "string") continue;
    const longest = Math.max(...ids.map((id) => id.length));
    let n = Math.min(MIN_TAG_CHARS, longest);
    while (n < longest && new Set(ids.map((id) => id.slice(0, n))).size < ids.length) n++;
    for (const id of ids) tags.set(id, `#${id.slice(0, n)}`);
  }
  return tags;
}

const memo = new WeakMap<ReadonlyMap<string, MonitorSnapshot>, Map<string, string>>();

/** instanceTags of every monitor in the store (not only the visible ones, so a filter does not change a tag). */
export function selectInstanceTags(state: { monitors: ReadonlyMap<string, MonitorSnapshot> }): Map<string, string> {
  let tags = memo.get(state.monitors);
  if (!tags) memo.set(state.monitors, (tags = instanceTags(state.monitors.values())));
  return tags;
}
