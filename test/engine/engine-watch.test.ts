import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { startHub, type RunningHub } from "../../src/engine/hub/index.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import type { ConnectionStatus, MonitorSnapshot, WatchEvent } from "../../src/engine/types.js";
import { NoOpLogger, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { silentLogger } from "../../src/logging.js";
import { pagedQueryFeed } from "../../src/engine/instance-feed.js";
import { SpecCache } from "../../src/engine/snapshot.js";
import { Watcher } from "../../src/engine/watcher.js";
import { startCountingProxy, type CountingProxy } from "./counting-proxy.js";
import { endpointProfile, tempDir, waitFor } from "./engine-helpers.js";

describe("Engine.watch", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  });

  async function setup(): Promise<{ hub: RunningHub; proxy: CountingProxy; runner: LocalEngine; watcher: LocalEngine; dir: string }> {
    const dir = tempDir();
    const hub = await startHub({ dbPath: join(dir, "hub.sqlite") });
    closers.push(() => hub.stop());
    const proxy = await startCountingProxy(hub.address);
    closers.push(() => proxy.stop());
    // The runner talks to the hub directly (its worker and starts are not counted); the watcher goes through the proxy.
    const runner = await createEngine({ profile: endpointProfile(hub.address), withWorker: true, logFile: join(dir, "log.txt"), verifyTimeoutMs: 5000 });
    closers.push(() => runner.close());
    const watcher = await createEngine({ profile: endpointProfile(proxy.address), withWorker: false, logFile: join(dir, "log.txt") });
    closers.push(() => watcher.close());
    return { hub, proxy, runner, watcher, dir };
  }

  it("issues one QueryInstances (without payloads) per refresh, fetches a monitor's payloads at most twice, and emits only changes", async () => {
    const { proxy, runner, watcher } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      ids.push(await runner.start({ kind: "simulated", target: { durationSeconds: 1 + (i % 3) * 0.5 }, pollingIntervalSeconds: 0.3, jobId: `job-${i}` }));
    }
    const events: WatchEvent[] = [];
    const view = new Map<string, MonitorSnapshot>();
    const started = Date.now();
    const unsubscribe = watcher.watch(
      (e) => {
        events.push(e);
        if (e.type === "snapshots") {
          for (const s of e.upserted) view.set(s.instanceId, s);
          for (const id of e.removed) view.delete(id);
        }
      },
      { intervalMs: 100 },
    );
    closers.push(async () => unsubscribe());

    await waitFor("all 8 completed in the view", () => ids.every((id) => view.get(id)?.runtimeStatus === "Completed"), 60_000);
    const elapsed = Date.now() - started;
    const snapshotEvents = events.filter((e) => e.type === "snapshots");
    expect(events[0]).toMatchObject({ type: "snapshots", initial: true });
    expect((events[0] as { upserted: MonitorSnapshot[] }).upserted.map((s) => s.instanceId).sort()).toEqual([...ids].sort());
    expect(snapshotEvents.slice(1).every((e) => e.type === "snapshots" && !e.initial)).toBe(true);
    // Specs parsed from the input, custom status and output on the snapshots.
    const one = view.get(ids[0]!)!;
    expect(one.spec).toMatchObject({ kind: "simulated", jobId: "job-0" });
    expect(one.output).toMatchObject({ finalStatus: "Completed", jobId: "job-0" });

    // The wire: QueryInstances, no more of them than refreshes could have happened (one per 100 ms tick), and a
    // monitor's payloads fetched at most twice (its spec once, its output once finished).
    const queries = proxy.count("QueryInstances");
    expect(Object.keys(proxy.others("QueryInstances", "GetInstance"))).toEqual([]);
    const payloadFetches = proxy.count("GetInstance");
    expect(payloadFetches).toBeGreaterThanOrEqual(8);
    expect(payloadFetches).toBeLessThanOrEqual(16);
    expect(queries).toBeGreaterThanOrEqual(3);
    expect(queries).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);

    // Nothing changes any more: refreshes continue (one query each) but no snapshot event is emitted.
    const eventsBefore = snapshotEvents.length;
    const queriesBefore = proxy.count("QueryInstances");
    await waitFor("five more refreshes", () => proxy.count("QueryInstances") >= queriesBefore + 5, 10_000);
    expect(events.filter((e) => e.type === "snapshots").length).toBe(eventsBefore);
    expect(proxy.count("GetInstance")).toBe(payloadFetches);

    // A purge shows up as a removal.
    await runner.purge(ids[0]!);
    await waitFor("the removal", () => events.some((e) => e.type === "snapshots" && e.removed.includes(ids[0]!)));
    expect(view.has(ids[0]!)).toBe(false);
  });

  it("each refresh of a 12-instance view is exactly one QueryInstances on the wire", async () => {
    const { proxy, runner } = await setup();
    for (let i = 0; i < 12; i++) await runner.start({ kind: "simulated", target: { durationSeconds: 60 }, timeoutSeconds: 120, pollingIntervalSeconds: 0.2 });
    const client = new TaskHubGrpcClient({ hostAddress: proxy.address, logger: new NoOpLogger() });
    closers.push(async () => client.stop());
    let refreshes = 0;
    let shown = 0;
    const paged = pagedQueryFeed(() => client);
    const watcher = new Watcher({
      feed: {
        refresh: (onPage) => {
          refreshes++;
          return paged.refresh(onPage);
        },
      },
      specs: new SpecCache(),
      listener: (e) => {
        if (e.type === "snapshots" && e.initial) shown = e.upserted.length;
      },
      periodMs: 50,
      onQueryOk: () => {},
      onQueryFailed: () => {},
      logger: silentLogger,
    });
    watcher.start();
    closers.push(async () => watcher.stop());
    await waitFor("20 refreshes", () => refreshes >= 20 && proxy.count("QueryInstances") >= 20);
    watcher.stop();
    // The last refresh's call may still be on its way; more than one call per refresh would never match.
    await waitFor("one call per refresh", () => proxy.count("QueryInstances") === refreshes, 5000);
    expect(shown).toBe(12);
    expect(proxy.others("QueryInstances")).toEqual({});
    for (const s of await runner.list()) await runner.terminate(s.instanceId);
  });

  it("reports disconnected with the error and the next retry time, backs off, and recovers", async () => {
    const { hub, proxy, watcher } = await setup();
    const statuses: ConnectionStatus[] = [];
    const delays: number[] = [];
    let initial = 0;
    const unsubscribe = watcher.watch(
      (e) => {
        if (e.type === "connection") statuses.push(e.status);
        if (e.type === "connection" && e.status.nextRetryAt) delays.push(e.status.nextRetryAt.getTime() - Date.now());
        if (e.type === "snapshots" && e.initial) initial++;
      },
      { intervalMs: 100 },
    );
    closers.push(async () => unsubscribe());
    await waitFor("connected", () => statuses.some((s) => s.state === "connected"));
    const port = proxy.port;
    await proxy.stop();
    const down = await waitFor("disconnected", () => statuses.find((s) => s.state === "disconnected"));
    expect(down.lastError).toMatch(/cannot reach .*127\.0\.0\.1/);
    expect(down.nextRetryAt!.getTime()).toBeGreaterThan(Date.now() - 2000);
    expect(watcher.connectionStatus().state).toBe("disconnected");
    await waitFor("three failed refreshes", () => statuses.filter((s) => s.state === "disconnected").length >= 3, 20_000);
    // Backoff: each retry is scheduled further out than the previous one (100 ms doubling).
    expect(delays[1]!).toBeGreaterThan(delays[0]! + 50);
    expect(delays[2]!).toBeGreaterThan(delays[1]! + 100);

    const back = await startCountingProxy(hub.address, port);
    closers.push(() => back.stop());
    await waitFor("connected again", () => statuses.at(-1)?.state === "connected", 30_000);
    expect(initial).toBe(1);
  });
});
