/**
 * The `start` command's spec flags: one field per distinct flag across kinds (a flag name may be shared by fields of
 * different kinds: each kind's field is picked by the chosen kind). Read from the spec's schema here; the bundle gets
 * the same list as data, computed from this module at build time (scripts/start-flag-fields-plugin.mjs), so `--help`
 * and the start-up of every command do without zod.
 */
import { specFields, type SpecField } from "../engine/monitor/spec-fields.js";

function distinctFlags(fields: SpecField[]): SpecField[] {
  const seen = new Set<string>();
  return fields.filter((f) => (seen.has(f.flag) ? false : (seen.add(f.flag), true)));
}

export const START_FLAG_FIELDS: readonly SpecField[] = distinctFlags(specFields());
