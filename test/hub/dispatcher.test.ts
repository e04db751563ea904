/**
 * The dispatcher alone, on the real SQLite store, with an injected clock: leases expire by that clock (the sweep's
 * interval and the timer pump's timeout are faked, so no test waits for real time), a turn never overlaps another
 * of the same instance, abandoned and orphaned work goes back to the queue, durable timers come due at their time,
 * and filtered workers get only what they take (the rest parked until a worker that takes it connects).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { silentLogger } from "../../src/logging.js";
import { Dispatcher, type WorkerStream } from "../../src/engine/hub/dispatcher.js";
import { Status } from "../../src/engine/hub/proto.js";
import { openSqliteStore, type SqliteStoreHandle } from "../../src/engine/hub/sqlite-store.js";
import type { ActivityRecord } from "../../src/engine/hub/store.js";
import { createWorkFilter, type WorkFilter } from "../../src/engine/hub/work-filter.js";

const HUB = "h";
const LEASE_MS = 10_000;
/** The sweep runs every min(1000, leaseMs / 4) ms of (fake) timer time. */
const SWEEP_MS = 1000;
const T0 = Date.UTC(2026, 0, 1);

/** A work item as these tests make them: what it is for, and the token it carries. */
interface Item {
  what: string;
  token: string;
}

let dir: string;
let store: SqliteStoreHandle;
let now: number;
let dispatcher: Dispatcher<string, Item>;
/** Orchestration name of each instance (what describeInstance answers; absent: the instance is gone). */
const names = new Map<string, string>();

function start(options: { maxOutstandingPerStream?: number } = {}): void {
  dispatcher = new Dispatcher<string, Item>({
    store,
    logger: silentLogger,
    leaseMs: LEASE_MS,
    clock: () => now,
    ...options,
    loadOrchestration: (key, token) => ({ item: { what: `orch:${key.instanceId}`, token }, context: `turn of ${key.instanceId}` }),
    buildActivityItem: (activity, token) => ({ what: `act:${activity.name}`, token }),
    describeInstance: (key) => (names.has(key.instanceId) ? { name: names.get(key.instanceId)! } : undefined),
  });
  dispatcher.start();
}

/** A connected worker: what it was sent, in order. */
function worker(filter?: WorkFilter): { stream: WorkerStream<Item>; got: Item[]; whats(): string[] } {
  const got: Item[] = [];
  const stream = dispatcher.connect(HUB, (item) => (got.push(item), true), filter);
  return { stream, got, whats: () => got.map((i) => i.what) };
}

/** Lets the pump (a setImmediate, left real) run: immediates run in order, so one queued after it runs after it. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** Moves the injected clock and the faked timers together. */
async function advance(ms: number): Promise<void> {
  now += ms;
  vi.advanceTimersByTime(ms);
  await settle();
}

let nextActivityId = 1;
const activity = (name: string, instanceId = "i-act"): ActivityRecord => ({
  id: nextActivityId++,
  taskHub: HUB,
  instanceId,
  executionId: "e",
  taskId: 0,
  name,
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
  now = T0;
  names.clear();
  dir = mkdtempSync(join(tmpdir(), "dmt-dispatcher-"));
  store = openSqliteStore(join(dir, "hub.sqlite"));
});

afterEach(() => {
  dispatcher?.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

describe("leases", () => {
  test("a lease expires by the injected clock at its time, not before; the turn goes out again and the old token is refused", async () => {
    start();
    const a = worker();
    dispatcher.markReady(HUB, "i1");
    await settle();
    expect(a.whats()).toEqual(["orch:i1"]);
    const first = a.got[0]!.token;

    await advance(LEASE_MS - 1);
    expect(a.got).toHaveLength(1);
    expect(dispatcher.isInFlight(HUB, "i1")).toBe(true);

    await advance(SWEEP_MS);
    expect(a.whats()).toEqual(["orch:i1", "orch:i1"]);
    const second = a.got[1]!.token;
    expect(second).not.toBe(first);
    expect(dispatcher.takeLease(first)).toBeUndefined();
    expect(dispatcher.takeLease(second)).toMatchObject({ kind: "orchestration", instanceId: "i1", context: "turn of i1" });
  });

  test("one turn at a time: an instance made ready while a worker holds it goes out again only after release", async () => {
    start();
    const a = worker();
    const b = worker();
    dispatcher.markReady(HUB, "i1");
    await settle();
    dispatcher.markReady(HUB, "i1");
    await settle();
    expect([...a.got, ...b.got]).toHaveLength(1);
    const lease = dispatcher.takeLease([...a.got, ...b.got][0]!.token)!;
    expect(lease.kind).toBe("orchestration");
    await settle();
    // Completed but not yet committed: still locked.
    expect([...a.got, ...b.got]).toHaveLength(1);
    dispatcher.release(HUB, "i1", false);
    await settle();
    expect([...a.whats(), ...b.whats()]).toEqual(["orch:i1", "orch:i1"]);
  });

  test("abandoned work goes back at once, an activity ahead of the backlog; a worker's held work goes to another when it disconnects", async () => {
    start({ maxOutstandingPerStream: 1 });
    const a = worker();
    dispatcher.enqueueActivity(activity("first"));
    dispatcher.enqueueActivity(activity("second"));
    await settle();
    expect(a.whats()).toEqual(["act:first"]);
    expect(dispatcher.abandon(a.got[0]!.token)).toBe(true);
    expect(dispatcher.abandon("no-such-token")).toBe(false);
    await settle();
    expect(a.whats()).toEqual(["act:first", "act:first"]);

    const b = worker();
    await settle();
    expect(b.whats()).toEqual(["act:second"]);
    dispatcher.disconnect(a.stream);
    await settle();
    expect(a.got).toHaveLength(2);
    // b is at its limit: "first" waits until b completes "second".
    expect(b.got).toHaveLength(1);
    expect(dispatcher.takeLease(b.got[0]!.token)).toMatchObject({ kind: "activity" });
    await settle();
    expect(b.whats()).toEqual(["act:second", "act:first"]);
    expect(dispatcher.takeLease(a.got[1]!.token)).toBeUndefined();
  });
});

describe("durable timers", () => {
  test("a timer row comes due when the injected clock reaches its visible time, and goes out then", async () => {
    start();
    const a = worker();
    const fireAt = now + 5000;
    store.createInstance(
      { taskHub: HUB, instanceId: "sleeper", executionId: "e", name: "orch", status: Status.ORCHESTRATION_STATUS_RUNNING, createdAt: now, lastUpdatedAt: now },
      [{ taskHub: HUB, instanceId: "sleeper", executionId: "e", event: new Uint8Array([1]), visibleAt: fireAt, delayed: true }],
    );
    dispatcher.messageAdded(HUB, "sleeper", fireAt, true);
    await advance(4999);
    expect(a.got).toEqual([]);
    await advance(1);
    expect(a.whats()).toEqual(["orch:sleeper"]);
  });

  test("after a restart, a timer already due is dispatched at start", async () => {
    store.createInstance(
      { taskHub: HUB, instanceId: "late", executionId: "e", name: "orch", status: Status.ORCHESTRATION_STATUS_RUNNING, createdAt: now, lastUpdatedAt: now },
      [{ taskHub: HUB, instanceId: "late", executionId: "e", event: new Uint8Array([1]), visibleAt: now - 1, delayed: true }],
    );
    start();
    const a = worker();
    await settle();
    expect(a.whats()).toEqual(["orch:late"]);
  });
});

describe("workers with filters", () => {
  test("each item goes to a worker whose filter takes it; what no connected worker takes waits until one connects", async () => {
    start();
    names.set("i-alpha", "alpha");
    names.set("i-beta", "beta");
    const alphas = worker(createWorkFilter({ orchestrations: [{ name: "alpha" }], activities: [{ name: "fetch" }] }));
    dispatcher.markReady(HUB, "i-alpha");
    dispatcher.markReady(HUB, "i-beta");
    dispatcher.enqueueActivity(activity("fetch"));
    dispatcher.enqueueActivity(activity("mail"));
    await settle();
    expect(alphas.whats().sort()).toEqual(["act:fetch", "orch:i-alpha"]);

    const betas = worker(createWorkFilter({ orchestrations: [{ name: "beta" }], activities: [{ name: "mail" }] }));
    await settle();
    expect(betas.whats().sort()).toEqual(["act:mail", "orch:i-beta"]);
    expect(alphas.got).toHaveLength(2);
  });

  test("an item whose only taker is busy stays queued (not parked) and goes out when the taker has room", async () => {
    start({ maxOutstandingPerStream: 1 });
    names.set("a1", "alpha");
    names.set("a2", "alpha");
    const alphas = worker(createWorkFilter({ orchestrations: [{ name: "alpha" }] }));
    const others = worker(createWorkFilter({ orchestrations: [{ name: "beta" }] }));
    dispatcher.markReady(HUB, "a1");
    dispatcher.markReady(HUB, "a2");
    await settle();
    expect(alphas.got).toHaveLength(1);
    expect(others.got).toEqual([]);
    dispatcher.takeLease(alphas.got[0]!.token);
    dispatcher.release(HUB, alphas.got[0]!.what.slice("orch:".length), false);
    await settle();
    expect(alphas.whats().sort()).toEqual(["orch:a1", "orch:a2"]);
    expect(others.got).toEqual([]);
  });
});
