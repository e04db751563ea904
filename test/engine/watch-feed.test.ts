import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { NoOpLogger, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { startHub } from "../../src/engine/hub/index.js";
import { FIRST_PAGE_SIZE, hubWatchFeed, pagedQueryFeed, type InstanceFeed } from "../../src/engine/instance-feed.js";
import { SpecCache } from "../../src/engine/snapshot.js";
import type { WatchEvent } from "../../src/engine/types.js";
import { Watcher } from "../../src/engine/watcher.js";
import { silentLogger } from "../../src/logging.js";
import { startCountingProxy } from "./counting-proxy.js";
import { tempDir, waitFor } from "./engine-helpers.js";

type WatcherOptions = ConstructorParameters<typeof Watcher>[0];

describe("the watch feed: list, then only what changed", () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    closers.length = 0;
  });

  async function hubWith(instances: number) {
    const hub = await startHub({ dbPath: join(tempDir(), "hub.sqlite") });
    closers.push(() => hub.stop());
    const proxy = await startCountingProxy(hub.address);
    closers.push(() => proxy.stop());
    const client = new TaskHubGrpcClient({ hostAddress: proxy.address, logger: new NoOpLogger() });
    closers.push(() => client.stop());
    // No worker: the instances stay Pending, nothing changes unless the test changes it.
    for (let i = 0; i < instances; i++) await client.scheduleNewOrchestration("SomeoneElses", undefined, { instanceId: `inst-${String(i).padStart(3, "0")}` });
    return { client, proxy };
  }

  /** A started Watcher (stopped after the test) with quiet callbacks, `options` over them. */
  function startWatcher(options: Pick<WatcherOptions, "feed" | "periodMs"> & Partial<WatcherOptions>) {
    const watcher = new Watcher({ specs: new SpecCache(), listener: () => {}, onQueryOk: () => {}, onQueryFailed: () => {}, logger: silentLogger, ...options });
    watcher.start();
    closers.push(() => watcher.stop());
  }

  /** A watcher over `feed` that records its events and how many states each refresh carried. */
  function watch(feed: InstanceFeed) {
    const events: Array<Extract<WatchEvent, { type: "snapshots" }>> = [];
    const carried: number[] = [];
    /** How many states `complete` (the payload fetches) had been given when each event was emitted. */
    const completedAtEvent: number[] = [];
    let completed = 0;
    startWatcher({
      complete: async (states) => {
        completed += states.length;
      },
      feed: {
        async refresh(onPage) {
          let n = 0;
          const kind = await feed.refresh((page) => {
            n += page.states.length;
            return onPage(page);
          });
          carried.push(n);
          return kind;
        },
      },
      listener: (e) => {
        if (e.type !== "snapshots") return;
        events.push(e);
        completedAtEvent.push(completed);
      },
      periodMs: 30,
    });
    return { events, carried, completedAtEvent };
  }

  it("on our hub: the first page shows first, the rest follows, then a refresh carries only the changed instances", async () => {
    const { client, proxy } = await hubWith(120);
    const { events, carried, completedAtEvent } = watch(hubWatchFeed(() => client));

    await waitFor("the whole list", () => events.length >= 2);
    expect(events[0]).toMatchObject({ initial: true });
    // The first page is shown before any payload is fetched; the rest after its payloads were asked for.
    expect(completedAtEvent[0]).toBe(0);
    expect(completedAtEvent[1]).toBe(120);
    expect(events[0]!.upserted).toHaveLength(FIRST_PAGE_SIZE);
    expect(events[1]).toMatchObject({ initial: false, removed: [] });
    expect(events[1]!.upserted).toHaveLength(120 - FIRST_PAGE_SIZE);
    expect(new Set([...events[0]!.upserted, ...events[1]!.upserted].map((s) => s.instanceId)).size).toBe(120);

    // Quiet: refreshes go on (one QueryInstances each) and carry nothing.
    const queries = proxy.count("QueryInstances");
    await waitFor("five quiet refreshes", () => carried.length >= 6 && proxy.count("QueryInstances") >= queries + 5, 10_000);
    expect(carried.slice(1).every((n) => n === 0)).toBe(true);
    expect(events).toHaveLength(2);

    // One new instance: the next refresh carries exactly that one.
    await client.scheduleNewOrchestration("SomeoneElses", undefined, { instanceId: "inst-new" });
    await waitFor("the new instance", () => events.some((e) => e.upserted.some((s) => s.instanceId === "inst-new")));
    expect(events.at(-1)!.upserted.map((s) => s.instanceId)).toEqual(["inst-new"]);
    expect(carried.filter((n) => n > 0).slice(1)).toEqual([1]);
  });

  it("the paged query (other backends) lists everything every refresh, its first page small too", async () => {
    const { client } = await hubWith(70);
    const { events, carried } = watch(pagedQueryFeed(() => client));
    await waitFor("three refreshes", () => carried.length >= 3);
    expect(events[0]!.upserted).toHaveLength(FIRST_PAGE_SIZE);
    expect(events[1]!.upserted).toHaveLength(70 - FIRST_PAGE_SIZE);
    expect(carried.slice(0, 3)).toEqual([70, 70, 70]);
    expect(events).toHaveLength(2);
  });
  it("rows waiting for payloads are offered a few per refresh, oldest first; one that stays incomplete waits behind the others", async () => {
    const { client } = await hubWith(120);
    const offered: string[][] = [];
    const done = new Set<string>();
    const stuck = "inst-000";
    startWatcher({
      feed: hubWatchFeed(() => client),
      complete: async (states) => {
        offered.push(states.map((s) => s.instanceId));
        for (const s of states) if (s.instanceId !== stuck) done.add(s.instanceId);
      },
      incomplete: (s) => !done.has(s.instanceId),
      completeBatch: 10,
      periodMs: 20,
    });

    const turnsOfStuck = () => offered.flatMap((batch, i) => (batch.includes(stuck) ? [i] : []));
    await waitFor("every other instance completed, and the stuck one offered again", () => done.size === 119 && turnsOfStuck().length >= 2, 20_000);
    // The rest of the first list (new, so all of it), then the first 10 of the first page, which waited since.
    expect(offered[0]).toHaveLength(70 + 10);
    expect(offered[0]!.slice(70)).toEqual(Array.from({ length: 10 }, (_, i) => `inst-${String(i).padStart(3, "0")}`));
    // Quiet refreshes after that: 10 waiting ones each, never more.
    expect(offered.slice(1).every((batch) => batch.length <= 10)).toBe(true);
    // The stuck one had its turn, went to the back, and had it again only after the others.
    const turns = turnsOfStuck();
    expect(turns[0]).toBe(0);
    expect(turns[1]).toBeGreaterThanOrEqual(5);
    expect(offered.slice(1, turns[1]).flat()).not.toContain(stuck);
  });

  it("an instance that just changed (a monitor just started) is offered before the rows still waiting", async () => {
    const { client } = await hubWith(120);
    const offered: string[][] = [];
    startWatcher({
      feed: hubWatchFeed(() => client),
      complete: async (states) => {
        offered.push(states.map((s) => s.instanceId));
      },
      incomplete: () => true, // nobody's payloads ever arrive: all 120 keep waiting
      completeBatch: 10,
      periodMs: 20,
    });
    await waitFor("the first list offered", () => offered.length >= 2);
    await client.scheduleNewOrchestration("SomeoneElses", undefined, { instanceId: "new-one" });
    const batch = await waitFor("the new instance offered", () => offered.find((b) => b.includes("new-one")));
    expect(batch[0]).toBe("new-one");
    expect(batch).toHaveLength(11);
  });

  it("the rest of the first list is read only once the listener has drawn the first rows (or gave up waiting)", async () => {
    const { client, proxy } = await hubWith(120);
    const events: Array<Extract<WatchEvent, { type: "snapshots" }>> = [];
    let drawn: (() => void) | undefined;
    const shown: number[] = [];
    startWatcher({
      feed: hubWatchFeed(() => client),
      listener: (e) => {
        if (e.type !== "snapshots") return;
        events.push(e);
        if (e.initial) return new Promise<void>((resolve) => (drawn = resolve));
      },
      onInitialShown: () => shown.push(events.length),
      periodMs: 30,
    });
    await waitFor("the first rows", () => events.length >= 1);
    // A query of ours over the same connection: had the watcher asked for the rest, the proxy saw that call first.
    const queriesBefore = proxy.count("QueryInstances");
    await client.getAllInstances().asPages(undefined, 10)[Symbol.asyncIterator]().next();
    expect(proxy.count("QueryInstances")).toBe(queriesBefore + 1);
    expect(events).toHaveLength(1);
    expect(shown).toEqual([]);

    drawn!();
    await waitFor("the rest of the list", () => events.length >= 2);
    expect(events[1]!.upserted).toHaveLength(120 - FIRST_PAGE_SIZE);
    expect(shown).toEqual([1]);
  });

  it("a listener that never says the first rows are drawn holds the rest back only for a while", async () => {
    const { client } = await hubWith(60);
    const events: Array<Extract<WatchEvent, { type: "snapshots" }>> = [];
    startWatcher({
      feed: hubWatchFeed(() => client),
      listener: (e) => {
        if (e.type !== "snapshots") return;
        events.push(e);
        if (e.initial) return new Promise<void>(() => {});
      },
      periodMs: 30,
    });
    await waitFor("the rest of the list", () => events.length >= 2);
    expect(events[1]!.upserted).toHaveLength(60 - FIRST_PAGE_SIZE);
  });
});
