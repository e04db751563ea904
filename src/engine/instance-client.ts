/**
 * What the engine's reads and `start` need from a backend client, and the instance state they get back: the SDK's
 * client (connection/sdk-instance-client.ts) and the lean wire client (wire/wire-client.ts) both provide it, so one
 * engine code path (snapshot.ts, payloads.ts) turns either's states into the same snapshots. No SDK types here.
 */
import type { InstanceFilter } from "./types.js";

/**
 * The protocol's OrchestrationStatus numbers (orchestrator_service.proto); the SDK's OrchestrationStatus enum uses the
 * same ones (test/engine/wire-proto.test.ts checks both).
 */
export const OrchestrationStatusCode = {
  RUNNING: 0,
  COMPLETED: 1,
  CONTINUED_AS_NEW: 2,
  FAILED: 3,
  CANCELED: 4,
  TERMINATED: 5,
  PENDING: 6,
  SUSPENDED: 7,
} as const;

export interface InstanceFailure {
  readonly message: string;
  readonly errorType: string;
  readonly stackTrace?: string;
}

/** The fields of the SDK's OrchestrationState the engine reads (an SDK state is one). */
export interface InstanceState {
  instanceId: string;
  name: string;
  /** An OrchestrationStatusCode. */
  runtimeStatus: number;
  createdAt: Date;
  lastUpdatedAt: Date;
  serializedInput?: string;
  serializedOutput?: string;
  serializedCustomStatus?: string;
  failureDetails?: InstanceFailure;
}

/** What a purge by filter names: terminal statuses (OrchestrationStatusCodes) and the latest creation time. */
export interface PurgeFilterRequest {
  statuses: readonly number[];
  createdTo?: Date;
}

export interface InstanceClient {
  /** One instance (input and output only `withPayloads`), or undefined when there is none. Throws a gRPC-coded error. */
  getInstance(instanceId: string, withPayloads: boolean): Promise<InstanceState | undefined>;
  /** Every instance matching the filter, without inputs and outputs (custom status kept), paged through. */
  queryInstances(filter?: InstanceFilter): Promise<InstanceState[]>;
  /** Schedules an orchestration (a random UUID unless `instanceId`; the input as JSON); resolves to its instance id. */
  scheduleNew(name: string, input: unknown, options?: { instanceId?: string; startAt?: Date }): Promise<string>;
  /**
   * Waits (server-side: WaitForInstanceStart) until a worker has picked the instance up; false when it is still
   * Pending after `timeoutMs`. True for an instance that does not exist (nothing is waiting to start).
   */
  waitUntilStarted(instanceId: string, timeoutMs: number): Promise<boolean>;
  /** Sends the event (its data as JSON, null for none). */
  raiseEvent(instanceId: string, name: string, data?: unknown): Promise<void>;
  /** Terminates the instance; `output` (as JSON) becomes its output. */
  terminate(instanceId: string, output: unknown): Promise<void>;
  suspend(instanceId: string): Promise<void>;
  resume(instanceId: string): Promise<void>;
  /** Purges one instance, or those the filter names; resolves to how many went. */
  purge(target: string | PurgeFilterRequest): Promise<number>;
  /** The backend's own restart (RestartInstance): the instance's input again; resolves to the run's id. */
  restart(instanceId: string, newInstanceId: boolean): Promise<string>;
}
