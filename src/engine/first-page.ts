/**
 * The dashboard's first rows before the full engine is loaded. The SDK and grpc-js take a few hundred ms to load;
 * when the backend is a hub of ours on this machine, one QueryInstances page (FIRST_PAGE_SIZE instances, without
 * payloads) over the wire client (wire/wire-client.ts) takes one round trip. Applies where the lean engine does
 * (lean-engine.ts: the embedded hub served by another process, a plaintext endpoint without Azure credentials), and
 * DURABLE_MONITOR_TUI_WIRE=off turns both off. The full engine's first list replaces these rows. Never throws:
 * undefined when it does not apply, does not answer within the timeout, or fails.
 */
import { FIRST_PAGE_SIZE } from "./instance-feed.js";
import { leanTarget } from "./lean-engine.js";
import type { ResolvedProfile } from "./profile.js";
import { SpecCache, toSnapshot } from "./snapshot.js";
import type { MonitorSnapshot } from "./types.js";
import { WireClient } from "./wire/wire-client.js";

/** The first page of instances as the watch would first show them, or undefined (see the module's comment). */
export async function peekFirstPage(profile: ResolvedProfile, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<MonitorSnapshot[] | undefined> {
  const target = leanTarget(profile, env);
  if (!target) return undefined;
  let client: WireClient | undefined;
  try {
    client = await WireClient.connect(target, timeoutMs);
    const { states } = await client.queryPage({}, FIRST_PAGE_SIZE, undefined, timeoutMs);
    const specs = new SpecCache();
    return states.map((s) => toSnapshot(s, specs));
  } catch {
    return undefined;
  } finally {
    client?.close();
  }
}
