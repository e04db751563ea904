/**
 * Events raised at a suspended monitor are logged once each: the SDK re-reads every buffered event at each replay
 * ("Suspended, buffering event"), which at info level wrote N²/2 lines for N events (10,703 for 100).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/create-engine.js";
import type { Engine } from "../../src/engine/engine.js";
import { EVENT_POLL_NOW } from "../../src/engine/monitor/names.js";
import { embeddedProfile, tempDir, waitFor } from "./engine-helpers.js";

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe("events raised at a suspended monitor", () => {
  it("are logged once each, not once per replay", async () => {
    const dir = tempDir();
    const logFile = join(dir, "log.txt");
    engine = await createEngine({ profile: embeddedProfile(join(dir, "hub.sqlite")), withWorker: true, logFile });
    const id = await engine.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 600, timeoutSeconds: 600 });
    await waitFor("the first check", async () => (await engine!.get(id))?.customStatus?.checkCount === 1);
    await engine.suspend(id);
    const events = 40;
    for (let i = 0; i < events; i++) await engine.raise(id, EVENT_POLL_NOW);
    await engine.resume(id);
    // The buffered pokes are one check after the resume (poll-now coalesces).
    await waitFor("the check the pokes asked for", async () => ((await engine!.get(id))?.customStatus?.checkCount ?? 0) >= 2);
    const lines = readFileSync(logFile, "utf8").split("\n");
    expect(lines.filter((l) => l.includes(`Raising event '${EVENT_POLL_NOW}'`))).toHaveLength(events);
    expect(lines.filter((l) => /buffering event/i.test(l)).length).toBeLessThanOrEqual(events);
  }, 60_000);
});
