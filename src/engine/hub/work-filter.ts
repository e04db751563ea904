/**
 * What a connected worker asked to be given (its GetWorkItems `workItemFilters`), with the matching rules of
 * Durable Task Scheduler: no filter at all means "everything"; a filter lists what the worker takes, by
 * orchestration name (and version, when versions are listed), activity name (and version), entity name. A kind with
 * an empty list gets nothing (a worker that registered only activities takes no orchestrations).
 */

/** name → the accepted versions (empty: any version). */
type NameVersions = ReadonlyMap<string, ReadonlySet<string>>;

export interface WorkFilter {
  orchestrations: NameVersions;
  activities: NameVersions;
  /** Lower-case (the SDKs normalize entity names so). The hub runs no entities; kept for completeness. */
  entities: ReadonlySet<string>;
}

export interface NamedFilter {
  name: string;
  versions?: readonly string[];
}

export function createWorkFilter(spec: { orchestrations?: readonly NamedFilter[]; activities?: readonly NamedFilter[]; entities?: readonly string[] }): WorkFilter {
  const byName = (list: readonly NamedFilter[] = []) => {
    const map = new Map<string, Set<string>>();
    for (const { name, versions = [] } of list) {
      const known = map.get(name);
      // The same name listed twice: the union of its versions, and "any" wins.
      if (known && (known.size === 0 || versions.length === 0)) map.set(name, new Set());
      else map.set(name, new Set([...(known ?? []), ...versions]));
    }
    return map;
  };
  return {
    orchestrations: byName(spec.orchestrations),
    activities: byName(spec.activities),
    entities: new Set((spec.entities ?? []).map((e) => e.toLowerCase())),
  };
}

function matches(list: NameVersions, name: string, version: string | undefined): boolean {
  const versions = list.get(name);
  if (!versions) return false;
  return versions.size === 0 || versions.has(version ?? "");
}

/** Whether a worker with this filter (undefined: none sent) takes turns of this orchestration. */
export function acceptsOrchestration(filter: WorkFilter | undefined, name: string, version?: string): boolean {
  return !filter || matches(filter.orchestrations, name, version);
}

/** Whether a worker with this filter (undefined: none sent) takes this activity. */
export function acceptsActivity(filter: WorkFilter | undefined, name: string, version?: string): boolean {
  return !filter || matches(filter.activities, name, version);
}

/** One line for the log: what the worker asked for. */
export function describeWorkFilter(filter: WorkFilter | undefined): string {
  if (!filter) return "everything (no filter)";
  const names = (m: NameVersions) => [...m.keys()].join(", ") || "none";
  return `orchestrations: ${names(filter.orchestrations)}; activities: ${names(filter.activities)}`;
}
