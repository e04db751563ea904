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

  const LONG_MONITOR = { kind: "simulated", target: { durationSeconds: 600 }, pollingIntervalSeconds: 60, timeoutSeconds: 1200 } as const;

  /** An engine that owns a new embedded hub with one long monitor, and a lean engine on that hub. */
  async function ownerAndLean() {
    const dir = tempDir();
    const profile = embeddedProfile(join(dir, "hub.sqlite"));
    const env = { DURABLE_MONITOR_TUI_DATA_DIR: dir, DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "test.log") };
    const owner = await createEngine({ profile, withWorker: false, env });
    closers.push(() => owner.close());
    const first = await owner.start(LONG_MONITOR);
    const lean: CommandEngine | undefined = await openLeanEngine(profile, env, 2000);
    expect(lean).toBeDefined();
    closers.push(() => lean!.close());
    return { dir, profile, env, owner, first, lean: lean! };
  }

  it("takes the hub over on its next call: list and start go on, over the same database", async () => {
    const { owner, first, lean } = await ownerAndLean();
    expect(lean.ownsHub).toBe(false);
    expect((await lean.list()).map((s) => s.instanceId)).toEqual([first]);
    const before = lean.connection.address;

    await owner.close();
    expect((await lean.list()).map((s) => s.instanceId)).toEqual([first]);
    expect(lean.ownsHub).toBe(true);
    expect(lean.connection.address).not.toBe(before);
    const second = await lean.start(LONG_MONITOR);
    expect((await lean.get(second))?.spec?.kind).toBe("simulated");
  });

  it("calls that fail together take the hub over once, and closing leaves no hub behind", async () => {
    const { dir, profile, env, owner, first: id, lean } = await ownerAndLean();
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
