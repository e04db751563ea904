/**
 * Turns zod issues into messages a person can act on: "profiles.prod: unknown key 'conection' (did you mean 'connection'?)".
 */
import type * as z from "zod/mini";
import { didYouMean } from "../engine/suggest.js";

type RawIssue = z.core.$ZodRawIssue;

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * A per-parse zod error map: unknown keys name the closest valid key of the object they appear in; a missing field
 * says "is required"; a wrong type says what was expected and what was found. Schema-level messages still win.
 */
export function friendlyErrorMap(issue: RawIssue): string | undefined {
  if (issue.code === "unrecognized_keys") {
    const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
    const known = Object.keys(shape ?? {});
    return issue.keys
      .map((key) => `unknown key '${key}'${didYouMean(key, known)}`)
      .join("; ");
  }
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return "is required";
    return `expected ${issue.expected === "object" ? "an object" : issue.expected}, got ${typeName(issue.input)}`;
  }
  if (issue.code === "invalid_value" && "values" in issue && Array.isArray(issue.values)) {
    const values = issue.values.map(String);
    const given = String(issue.input);
    return `'${given}' is not one of ${values.join(", ")}${didYouMean(given, values)}`;
  }
  return undefined;
}

/** "a.b.c" for a zod path; "(top level)" for the root. */
function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(top level)" : path.map(String).join(".");
}

/** One "path: message" line per issue, unknown-key problems first (they usually explain the others). */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const isUnknownKey = (issue: z.core.$ZodIssue) => Number(issue.message.startsWith("unknown key"));
  const ordered = [...issues].sort((a, b) => isUnknownKey(b) - isUnknownKey(a));
  return ordered.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
}
