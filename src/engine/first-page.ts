/**
 * The dashboard's first rows before the full engine is loaded. The SDK and grpc-js take a few hundred ms to load, and
 * an embedded hub the dashboard opens itself a few hundred more. The first page (FIRST_PAGE_SIZE instances, without
 * payloads, the hub's QueryInstances order) comes instead:
 * - when a hub of ours answers on this machine, from one QueryInstances over the wire client (wire/wire-client.ts),
 *   where the lean engine applies (lean-engine.ts: the embedded hub served by another process, a plaintext endpoint
 *   without Azure credentials);
 * - when no process serves the embedded hub, from its database (hub/database-peek.ts).
 * DURABLE_MONITOR_TUI_WIRE=off turns both off, with the lean engine. The full engine's first list replaces these rows.
 * Never throws: undefined when it does not apply, does not answer within the timeout, or fails.
 */
import { defaultDbPath } from "../paths.js";
import { peekInstances } from "./hub/database-peek.js";
import type { InstanceRecord } from "./hub/store.js";
import type { InstanceState } from "./instance-client.js";
import { FIRST_PAGE_SIZE } from "./instance-feed.js";
import { LEAN_SWITCH_VARIABLE, leanTarget } from "./lean-engine.js";
import type { ResolvedProfile } from "./profile.js";
import { SpecCache, toSnapshot } from "./snapshot.js";
import type { MonitorSnapshot } from "./types.js";
import { decodeFailureDetails } from "./wire/messages.js";
import { WireClient } from "./wire/wire-client.js";

/** A stored instance as a query without payloads shows it. */
function stateOf(record: InstanceRecord): InstanceState {
  return {
    instanceId: record.instanceId,
    name: record.name,
    runtimeStatus: record.status,
    createdAt: new Date(record.createdAt),
    lastUpdatedAt: new Date(record.lastUpdatedAt),
    ...(record.customStatus !== undefined ? { serializedCustomStatus: record.customStatus } : {}),
    ...(record.failure ? { failureDetails: decodeFailureDetails(record.failure) } : {}),
  };
}

/** The embedded hub's first page from its database, when no live process serves it (see the module's comment). */
function peekUnservedDatabase(profile: ResolvedProfile, env: NodeJS.ProcessEnv): InstanceState[] | undefined {
  if (profile.connection.type !== "embedded" || env[LEAN_SWITCH_VARIABLE] === "off") return undefined;
  return peekInstances(profile.connection.dbPath ?? defaultDbPath(env), profile.taskHub, FIRST_PAGE_SIZE)?.map(stateOf);
}

/** The first page from a hub of ours that answers on this machine (see the module's comment). */
async function queryServedHub(target: NonNullable<ReturnType<typeof leanTarget>>, timeoutMs: number): Promise<InstanceState[] | undefined> {
  let client: WireClient | undefined;
  try {
    client = await WireClient.connect(target, timeoutMs);
    return (await client.queryPage({}, FIRST_PAGE_SIZE, undefined, timeoutMs)).states;
  } catch {
    return undefined;
  } finally {
    client?.close();
  }
}

/** The first page of instances as the watch would first show them, or undefined (see the module's comment). */
export async function peekFirstPage(profile: ResolvedProfile, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<MonitorSnapshot[] | undefined> {
  try {
    const target = leanTarget(profile, env);
    const states = target ? await queryServedHub(target, timeoutMs) : peekUnservedDatabase(profile, env);
    if (!states) return undefined;
    const specs = new SpecCache();
    return states.map((s) => toSnapshot(s, specs));
  } catch {
    return undefined;
  }
}
