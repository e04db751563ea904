/**
 * The lean client: the engine's InstanceClient (get, query, start, wait, raise, terminate, suspend, resume) over one HTTP/2 connection of ours
 * (h2-session.ts), with hand-written protobuf for those few messages. It loads neither grpc-js nor the SDK, which is most of a one-shot command's
 * start-up (issue 12); everything else (workers, watches, history, Azure credentials, TLS) stays on the SDK's client.
 * Plaintext only: it is meant for a hub on this machine.
 */
import type { InstanceClient, InstanceState, PurgeFilterRequest } from "../instance-client.js";
import { QUERY_PAGE_SIZE } from "../query.js";
import { runtimeStatusToSdk } from "../snapshot.js";
import type { InstanceFilter } from "../types.js";
import {
  decodeInstanceIdResponse,
  decodePurgeResponse,
  encodePurgeRequest,
  encodeRestartRequest,
  decodeGetResponse,
  decodeQueryResponse,
  encodeCreateRequest,
  encodeGetRequest,
  encodeInstanceIdRequest,
  encodeQueryRequest,
  encodeRaiseRequest,
  encodeTerminateRequest,
} from "./messages.js";
import { H2Session } from "./h2-session.js";
import { GrpcStatus } from "./grpc-status.js";
import { WireCallError, unaryCall } from "./unary-call.js";
import { randomUuids } from "../random-uuids.js";

const SERVICE = "/TaskHubSidecarService";

/** Each call's deadline: generous (a big page, a busy hub), but a hub that stopped answering does not hang a command. */
const WIRE_CALL_DEADLINE_MS = 60_000;

export interface WireTarget {
  /** host:port (an IPv6 host in brackets). */
  address: string;
  /** Sent with every call (lower-case names): `taskhub`, and `authorization` for a hub with a token. */
  metadata: Record<string, string>;
}

/** The target accepted no connection in time (as opposed to refusing it). */
export class WireConnectTimeout extends Error {
  override name = "WireConnectTimeout";
}

function openSession(address: string, timeoutMs: number): Promise<H2Session> {
  return H2Session.connect(address, timeoutMs, () => new WireConnectTimeout(`no connection to ${address} within ${timeoutMs} ms`));
}

export class WireClient implements InstanceClient {
  private constructor(
    private session: H2Session,
    private readonly address: string,
    private readonly metadata: Record<string, string>,
    private readonly connectTimeoutMs: number,
  ) {}

  /**
   * Connects (plaintext HTTP/2) within `timeoutMs`; rejects with the connection's error (ECONNREFUSED …) when it
   * cannot, WireConnectTimeout when it got no answer: nothing has been sent then, so the caller may use another way.
   */
  static async connect(target: WireTarget, timeoutMs: number): Promise<WireClient> {
    const session = await openSession(target.address, timeoutMs);
    return new WireClient(session, target.address, { ...target.metadata, "x-user-agent": "durable-monitor-tui", "user-agent": "durable-monitor-tui" }, timeoutMs);
  }

  private async call(method: string, request: Buffer, deadlineMs = WIRE_CALL_DEADLINE_MS): Promise<Buffer> {
    if (!this.session.open) await this.reconnect();
    return unaryCall(this.session, `${SERVICE}/${method}`, request, this.metadata, deadlineMs);
  }

  /**
   * A new connection after the server ended the last one (a GOAWAY: its own restart, a maximum connection age), so a
   * command's later calls (the next page) go on. A target that is gone fails the call as UNAVAILABLE.
   */
  private async reconnect(): Promise<void> {
    try {
      this.session = await openSession(this.address, this.connectTimeoutMs);
    } catch (error) {
      throw new WireCallError(GrpcStatus.UNAVAILABLE, `the connection to ${this.address} ended, and a new one failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async getInstance(instanceId: string, withPayloads: boolean): Promise<InstanceState | undefined> {
    return decodeGetResponse(await this.call("GetInstance", encodeGetRequest(instanceId, withPayloads)), instanceId);
  }

  async queryInstances(filter: InstanceFilter = {}): Promise<InstanceState[]> {
    const out: InstanceState[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.queryPage(filter, QUERY_PAGE_SIZE, continuationToken);
      out.push(...page.states);
      continuationToken = page.continuationToken;
    } while (continuationToken);
    return out;
  }

  /** One page of the query (without payloads), and the token of the next when there is one. */
  async queryPage(
    filter: InstanceFilter,
    pageSize: number,
    continuationToken?: string,
    deadlineMs = WIRE_CALL_DEADLINE_MS,
  ): Promise<{ states: InstanceState[]; continuationToken?: string }> {
    const request = encodeQueryRequest({
      statuses: filter.statuses?.map(runtimeStatusToSdk),
      createdFrom: filter.createdFrom,
      createdTo: filter.createdTo,
      instanceIdPrefix: filter.instanceIdPrefix,
      pageSize,
      continuationToken,
    });
    return decodeQueryResponse(await this.call("QueryInstances", request, deadlineMs), false);
  }

  async scheduleNew(name: string, input: unknown, options: { instanceId?: string; startAt?: Date } = {}): Promise<string> {
    const request = encodeCreateRequest({ instanceId: options.instanceId ?? (await randomUuids(1))[0]!, name, input: JSON.stringify(input), startAt: options.startAt });
    return decodeInstanceIdResponse(await this.call("StartInstance", request));
  }

  async waitUntilStarted(instanceId: string, timeoutMs: number): Promise<boolean> {
    try {
      await this.call("WaitForInstanceStart", encodeGetRequest(instanceId, false), timeoutMs);
      return true;
    } catch (error) {
      if (error instanceof WireCallError && error.code === GrpcStatus.DEADLINE_EXCEEDED) return false;
      throw error;
    }
  }

  async raiseEvent(instanceId: string, name: string, data?: unknown): Promise<void> {
    await this.call("RaiseEvent", encodeRaiseRequest(instanceId, name, data));
  }

  async terminate(instanceId: string, output: unknown): Promise<void> {
    await this.call("TerminateInstance", encodeTerminateRequest(instanceId, output));
  }

  async purge(target: string | PurgeFilterRequest): Promise<number> {
    return decodePurgeResponse(await this.call("PurgeInstances", encodePurgeRequest(target)));
  }

  async restart(instanceId: string, newInstanceId: boolean): Promise<string> {
    return decodeInstanceIdResponse(await this.call("RestartInstance", encodeRestartRequest(instanceId, newInstanceId)));
  }

  async suspend(instanceId: string): Promise<void> {
    await this.call("SuspendInstance", encodeInstanceIdRequest(instanceId));
  }

  async resume(instanceId: string): Promise<void> {
    await this.call("ResumeInstance", encodeInstanceIdRequest(instanceId));
  }

  /**
   * Closes the connection at once (calls in flight fail): a one-shot command closes it when its calls are done, and
   * a graceful close only made its exit a few milliseconds later.
   */
  close(): void {
    this.session.destroy();
  }
}
