/**
 * The engine's backend calls over one connection: each failure becomes a named error (and a log line), an embedded
 * connection whose hub owner exited recovers and retries once, and reads map SDK states to snapshots.
 */
import { NotFoundError, UsageError } from "../errors.js";
import { logFailure, type AppLogger } from "../logging.js";
import type { Connection } from "./connection/open-connection.js";
import { isUnreachable, toEngineError } from "./connection/errors.js";
import { PayloadFiller, fetchInstancePayloads } from "./payloads.js";
import { fetchMissingInputs } from "./input-fetch.js";
import { SpecCache, toSnapshot, wantsInput } from "./snapshot.js";
import type { InstanceClient, InstanceState } from "./instance-client.js";
import { isTerminal, type ConnectionInfo, type InstanceFilter, type ListOptions, type MonitorSnapshot } from "./types.js";

/** What the calls run over: a Connection (SDK client, worker, hub takeover), or the lean wire client's. */
export interface CallTarget {
  /** Where it points now (named in errors). */
  readonly info: ConnectionInfo;
  /** The client to call now (read it per call: a connection may replace it). */
  readonly instances: InstanceClient;
  /** Resolves true when the target moved (a hub taken over) and a failed call is worth one more try. */
  recover(): Promise<boolean>;
}

export interface EngineCalls<C extends CallTarget = Connection> {
  readonly connection: C;
  readonly logger: AppLogger;
  /** The monitor specs seen so far, by instance (rows of continued-as-new monitors keep theirs). */
  readonly specs: SpecCache;
  /** Runs one backend call named `what` (for the error); named errors out, one retry after a recovered hub. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
  /** Every matching instance, completed (see `complete`). */
  fetchAll(filter?: InstanceFilter, options?: ListOptions): Promise<InstanceState[]>;
  /**
   * Fills in what lists leave out: the inputs convention monitors need for their schedule, and the payloads our
   * monitors' rows need (spec, final output; `tableOnly`: see ListOptions); all of them, or at most `maxFetches` payloads.
   */
  complete(states: InstanceState[], options?: ListOptions & { maxFetches?: number }): Promise<void>;
  /** True while `complete` still has something to fetch for this instance. */
  incomplete(state: InstanceState): boolean;
  get(instanceId: string): Promise<MonitorSnapshot | undefined>;
  /** NotFoundError when there is no such instance. */
  mustGet(instanceId: string): Promise<MonitorSnapshot>;
  /** UsageError ("Cannot <verb> … it is already …") when the instance has finished. */
  /** The instance (`current` when the caller has just read it), or UsageError when it has ended; NotFoundError when unknown. */
  mustBeActive(instanceId: string, verb: string, current?: MonitorSnapshot): Promise<MonitorSnapshot>;
  notFound(instanceId: string): NotFoundError;
}

export function engineCalls<C extends CallTarget>(connection: C, logger: AppLogger): EngineCalls<C> {
  const specs = new SpecCache();
  const payloads = new PayloadFiller((id) => fetchInstancePayloads(connection.instances, id), specs);
  const fail = (what: string, error: unknown): Error => {
    const named = toEngineError(error, connection.info, what);
    logFailure(logger, what, named);
    return named;
  };
  const calls: EngineCalls<C> = {
    connection,
    logger,
    specs,
    async call(what, fn) {
      try {
        return await fn();
      } catch (error) {
        if (isUnreachable(error) && (await connection.recover())) {
          try {
            return await fn();
          } catch (again) {
            throw fail(what, again);
          }
        }
        throw fail(what, error);
      }
    },
    async fetchAll(filter, options) {
      const states = await connection.instances.queryInstances(filter);
      await calls.complete(states, options);
      return states;
    },
    async complete(states, options) {
      await fetchMissingInputs(connection.instances, states, specs, logger);
      await payloads.fill(states, options);
    },
    incomplete: (state) => wantsInput(state, specs) || payloads.wants(state),
    async get(instanceId) {
      const state = await calls.call(`get ${instanceId}`, () => connection.instances.getInstance(instanceId, true));
      return state ? toSnapshot(state, specs) : undefined;
    },
    async mustGet(instanceId) {
      const snapshot = await calls.get(instanceId);
      if (!snapshot) throw calls.notFound(instanceId);
      return snapshot;
    },
    async mustBeActive(instanceId, verb, current) {
      const snapshot = current ?? (await calls.mustGet(instanceId));
      if (isTerminal(snapshot.runtimeStatus)) throw new UsageError(`Cannot ${verb} '${instanceId}': it is already ${snapshot.runtimeStatus}`);
      return snapshot;
    },
    notFound: (instanceId) => new NotFoundError(`No instance '${instanceId}' in task hub '${connection.info.taskHub}'`),
  };
  return calls;
}
