/**
 * An instance's input and output, fetched on their own: lists and the table query without payloads (an input may be
 * megabytes), and only the instances whose rows need a payload get one GetInstance each, once. Our monitors need
 * their spec (input: what is watched) and, once finished, their output (the final status: Met, Timed out …).
 */
import type { InstanceClient, InstanceState } from "./instance-client.js";
import { isOwnMonitorOrchestration } from "./monitor/names.js";
import { CACHED_INSTANCES, runtimeStatusFromSdk, statusViewOf, type SpecCache } from "./snapshot.js";
import { isTerminal } from "./types.js";
import { forEachInFlight } from "./in-flight.js";

/** A payload longer than this is not kept (and not shown in the table; the details view fetches it). */
const MAX_KEPT_PAYLOAD_CHARS = 64 * 1024;

interface InstancePayloads {
  input?: string;
  output?: string;
}

/**
 * One instance's input and output (GetInstance with payloads), each dropped when over MAX_KEPT_PAYLOAD_CHARS;
 * undefined when the instance is gone. Throws the client's gRPC-coded error.
 */
export async function fetchInstancePayloads(client: InstanceClient, instanceId: string): Promise<InstancePayloads | undefined> {
  const state = await client.getInstance(instanceId, true);
  if (!state) return undefined;
  const kept = (text: string | undefined) => (text !== undefined && text.length <= MAX_KEPT_PAYLOAD_CHARS ? text : undefined);
  return { input: kept(state.serializedInput), output: kept(state.serializedOutput) };
}

const key = (s: InstanceState) => `${s.instanceId}@${s.createdAt.getTime()}`;

/**
 * Fills `serializedInput` / `serializedOutput` of states queried without payloads, for the rows that need them, from
 * a cache or one fetch per instance (a terminal instance's output never changes; an input never changes for a given
 * creation time). Bounded: `concurrency` fetches at a time, and the cache keeps the last `maxEntries` outputs.
 */
export class PayloadFiller {
  private readonly outputs = new Map<string, string | null>();

  constructor(
    private readonly fetchPayloads: (instanceId: string) => Promise<InstancePayloads | undefined>,
    private readonly specs: SpecCache,
    private readonly options: { concurrency?: number; maxEntries?: number } = {},
  ) {}

  /**
   * What a row needs: our monitor's spec until parsed, and its output once terminal; another app's monitor (its custom
   * status follows the convention) needs its output too: its final status may be a Timeout. A table's row of ours
   * (`tableOnly`) needs neither while its custom status tells its job, kind and, once completed, final status.
   */
  needs(state: InstanceState, tableOnly = false): { input: boolean; output: boolean } {
    const ours = isOwnMonitorOrchestration(state.name);
    const runtime = runtimeStatusFromSdk(state.runtimeStatus);
    const output = isTerminal(runtime) && !this.outputs.has(key(state));
    if (!ours) return { input: false, output: output && statusViewOf(state) !== undefined };
    const view = tableOnly ? statusViewOf(state) : undefined;
    if (view?.jobId && view.kind) return { input: false, output: output && runtime === "Completed" && !view.finalStatus };
    return { input: !this.specs.has(state.instanceId, state.createdAt), output };
  }

  /** True while the state's row still needs a payload (the next `fill` fetches it). */
  wants(state: InstanceState, tableOnly = false): boolean {
    const n = this.needs(state, tableOnly);
    return n.input || n.output;
  }

  /** Fills what it can, fetching at most `maxFetches`; a failed fetch leaves the row as it is (tried again next time). */
  async fill(states: InstanceState[], { maxFetches = Number.POSITIVE_INFINITY, tableOnly = false }: { maxFetches?: number; tableOnly?: boolean } = {}): Promise<void> {
    const wanted = states.filter((s) => this.wants(s, tableOnly));
    const batch = wanted.slice(0, maxFetches);
    await forEachInFlight(batch, this.options.concurrency ?? 8, async (state) => {
      let payloads: InstancePayloads | undefined;
      try {
        payloads = await this.fetchPayloads(state.instanceId);
      } catch {
        return;
      }
      // Parsed (or known not to be a spec) from now on, even when absent or too large to keep.
      this.specs.get(state.instanceId, state.createdAt, payloads?.input ?? "");
      if (isTerminal(runtimeStatusFromSdk(state.runtimeStatus))) this.remember(key(state), payloads?.output ?? null);
    });
    for (const s of states) {
      const output = this.outputs.get(key(s));
      if (output != null) s.serializedOutput = output;
    }
  }

  private remember(k: string, output: string | null): void {
    this.outputs.set(k, output);
    if (this.outputs.size > (this.options.maxEntries ?? CACHED_INSTANCES)) this.outputs.delete(this.outputs.keys().next().value!);
  }
}
