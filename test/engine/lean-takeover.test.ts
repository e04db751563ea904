/**
 * A one-shot command on the lean path (engine/lean-engine.ts) whose hub owner exits mid-command: like the full engine,
 * it takes the hub over (same database) and the command goes on, instead of failing with exit 4.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/create-engine.js";
import { endpointFileFor, readEndpoint } from "../../src/engine/hub/endpoint-file.js";
import { openLeanEngine, type CommandEngine } from "../../src/engine/lean-engine.js";
import { embeddedProfile, tempDir } from "./engine-helpers.js";

describe("the lean engine when the hub's owner exits", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  });

  it("takes the hub over on its next call: list and start go on, over the same database", async () => {
    const dir = tempDir();
    const profile = embeddedProfile(join(dir, "hub.sqlite"));
    const env = { DURABLE_MONITOR_TUI_DATA_DIR: dir, DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "test.log") };
    const owner = await createEngine({ profile, withWorker: false, env });
    closers.push(() => owner.close());
    const first = await owner.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 60, timeoutSeconds: 1200 });

    const lean: CommandEngine | undefined = await openLeanEngine(profile, env, 2000);
    expect(lean).toBeDefined();
    closers.push(() => lean!.close());
    expect(lean!.ownsHub).toBe(false);
    expect((await lean!.list()).map((s) => s.instanceId)).toEqual([first]);
    const before = lean!.connection.address;

    await owner.close();
    expect((await lean!.list()).map((s) => s.instanceId)).toEqual([first]);
    expect(lean!.ownsHub).toBe(true);
    expect(lean!.connection.address).not.toBe(before);
    const second = await lean!.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 60, timeoutSeconds: 1200 });
    expect((await lean!.get(second))?.spec?.kind).toBe("simulated");
  });

  it("calls that fail together take the hub over once, and closing leaves no hub behind", async () => {
    const dir = tempDir();
    const profile = embeddedProfile(join(dir, "hub.sqlite"));
    const env = { DURABLE_MONITOR_TUI_DATA_DIR: dir, DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "test.log") };
    const owner = await createEngine({ profile, withWorker: false, env });
    closers.push(() => owner.close());
    const id = await owner.start({ kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 60, timeoutSeconds: 1200 });
    const lean = (await openLeanEngine(profile, env, 2000))!;
    closers.push(() => lean.close());
    expect((await lean.get(id))?.instanceId).toBe(id);

    await owner.close();
    const answers = await Promise.all([lean.get(id), lean.get(id), lean.list(), lean.get(id)]);
    expect(answers.map((a) => (Array.isArray(a) ? a.map((s) => s.instanceId) : a?.instanceId))).toEqual([id, id, [id], id]);
    expect(lean.ownsHub).toBe(true);
    await lean.close();
    // Every hub this process opened is closed: no endpoint file names it any more, so no lean engine finds one.
    expect(readEndpoint(endpointFileFor(join(dir, "hub.sqlite")))).toBeUndefined();
    expect(await openLeanEngine(profile, env, 2000)).toBeUndefined();
  });
});
