/**
 * For dashboard tests on the real engine: one engine per file (embedded hub, SDK worker and client in this process)
 * in a private temp dir, opened before the file's tests and closed after; and the harness each test renders, unmounted
 * after it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { builtinProfile } from "../../src/config/index.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import type { DashboardHarness } from "./render.js";

export interface EngineFixture {
  /** The engine (set once beforeAll ran). */
  readonly engine: LocalEngine;
  /** The temp dir (data, config, log) removed after the file. */
  readonly dir: string;
  /** Registers the test's harness, unmounted after the test. */
  track(harness: DashboardHarness): DashboardHarness;
}

export function useEngineFixture(prefix: string): EngineFixture {
  let dir = "";
  let engine: LocalEngine | undefined;
  let current: DashboardHarness | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    const env = { ...process.env, DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"), DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config") };
    engine = await createEngine({ profile: builtinProfile(env), withWorker: true, env, logFile: join(dir, "log.txt") });
  });
  afterAll(async () => {
    await engine?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    current?.unmount();
    current = undefined;
  });
  return {
    get engine() {
      if (!engine) throw new Error("the engine opens in beforeAll");
      return engine;
    },
    get dir() {
      return dir;
    },
    track(harness) {
      current = harness;
      return harness;
    },
  };
}
