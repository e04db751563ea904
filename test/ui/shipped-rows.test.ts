/**
 * The dashboard as shipped (bundled with scripts/ink-render-caches-plugin.mjs, whose Ink composes each distinct row
 * once and reuses it) on a real embedded hub: a monitor's row redraws as its checks and status move, the cursor's rows
 * redraw when j/k move it back and forth (rows drawn before come from the cache), and once nothing moves (a fixed
 * clock, finished monitors) its frame is the one the same app draws with Ink as published.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { builtinProfile } from "../../src/config/index.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import type { App as AppComponent } from "../../src/ui/App.js";
import type { createDashboardStore as CreateStore } from "../../src/ui/state/store.js";
import { importBundled } from "../helpers/ink-bundle.js";
import { stylesOnModule } from "../helpers/ink-chalk.js";
import { fakeTty } from "../helpers/render.js";
// @ts-expect-error: a build script without type declarations
import { inkRenderCachesPlugin } from "../../scripts/ink-render-caches-plugin.mjs";

const dir = mkdtempSync(join(tmpdir(), "dmt-shipped-rows-"));

interface Bundle {
  React: typeof import("react");
  render: typeof import("ink").render;
  App: typeof AppComponent;
  createDashboardStore: typeof CreateStore;
}

/** The app, its store and Ink in one bundle, as scripts/bundle.mjs builds the dashboard (with or without `plugins`). */
function bundled(name: string, plugins: Plugin[]) {
  // Styled as in a terminal (the test runner's own output may not be one): the frames compare colours and styles too.
  const contents = `import ${JSON.stringify(stylesOnModule(dir))}; export { default as React } from "react"; export { render } from "ink"; export { App } from "./src/ui/App.tsx"; export { createDashboardStore } from "./src/ui/state/store.ts";`;
  return importBundled<Bundle>(dir, name, contents, plugins, "ts");
}

let engine: LocalEngine;

beforeAll(async () => {
  const env = { ...process.env, DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"), DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config") };
  engine = await createEngine({ profile: builtinProfile(env), withWorker: true, env, logFile: join(dir, "log.txt") });
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Mounts a bundle's app on the engine (Ink's debug mode: every render writes its whole frame). */
function mount(bundle: Bundle, clock: () => number) {
  const { React, render, App, createDashboardStore } = bundle;
  const { stdout, stdin, streams } = fakeTty(120, 30);
  const store = createDashboardStore({ now: clock() });
  const settings = { profileName: "t", connectionLabel: "t", logFile: "/dev/null", readonly: false, color: true, defaults: {}, presets: {}, bell: () => {}, clock };
  const app = render(React.createElement(App, { store, engine, settings }), { ...streams, debug: true });
  return { stdout, stdin, app };
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const plain = (frame: string) => frame.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, "");
/** A job's table row in a frame (rows start with a 4-cell gutter: cursor, mark, alert, space). */
const rowOf = (frame: string, jobId: string) => plain(frame).split("\n").find((l) => l.slice(4).startsWith(`${jobId} `));
const selectedJob = (frame: string) => /^›...(\S+)/.exec(plain(frame).split("\n").find((l) => l.startsWith("›")) ?? "")?.[1];

describe("the shipped bundle's rows on a real hub", () => {
  test("rows redraw as monitors move and as the cursor moves, and a still frame equals Ink as published", async () => {
    const shipped = await bundled("shipped", [inkRenderCachesPlugin() as Plugin]);
    const published = await bundled("published", []);
    expect(shipped.source).toContain("composedRow(this, writes)");
    expect(published.source).not.toContain("composedRow");

    await engine.start({ kind: "simulated", target: { durationSeconds: 2 }, jobId: "row-a", pollingIntervalSeconds: 0.2, timeoutSeconds: 300 });
    await engine.start({ kind: "simulated", target: { durationSeconds: 60 }, jobId: "row-b", pollingIntervalSeconds: 30, timeoutSeconds: 300 });

    const live = mount(shipped, Date.now);
    try {
      // row-a's row, frame after frame, until it finishes: each distinct row text is a redraw of new data.
      const seen = new Set<string>();
      await until("row-a to finish", () => {
        const row = rowOf(live.stdout.lastFrame(), "row-a");
        if (row) seen.add(row.replace(/\s+/g, " "));
        return row?.includes("Completed") || row?.includes("Met");
      });
      const checkCounts = new Set([...seen].map((r) => /(?:Running|Pending|Completed|Met)\s.*?\s(\d+)\s/.exec(r)?.[1]).filter(Boolean));
      expect(checkCounts.size).toBeGreaterThanOrEqual(3);

      // The cursor back and forth: each press draws the other row as selected, including rows composed before.
      const first = await until("a selection", () => selectedJob(live.stdout.lastFrame()));
      const other = first === "row-a" ? "row-b" : "row-a";
      for (const [key, job] of [["j", other], ["k", first], ["j", other], ["k", first]] as const) {
        live.stdin.write(key);
        await until(`${job} selected`, () => selectedJob(live.stdout.lastFrame()) === job);
      }
    } finally {
      live.app.unmount();
    }

    // Nothing moves: a fixed clock, and row-b checks only every 30 s. Both builds draw the same frame.
    const now = Date.now();
    const still = [mount(shipped, () => now), mount(published, () => now)];
    try {
      const frames = await until("both frames with both rows", () => {
        const last = still.map((m) => m.stdout.lastFrame());
        return last.every((f) => rowOf(f, "row-a") && rowOf(f, "row-b") && f.includes("connected")) && last[0] === last[1] ? last : undefined;
      });
      expect(rowOf(frames[0]!, "row-a")).toMatch(/Completed|Met/);
      // Styled rows: the selected one in inverse, a status in its colour (cyan: running, green: done).
      expect(frames[0]).toContain("\u001b[7m");
      expect(frames[0]).toMatch(/\u001b\[3[26]m[▶✓]/);
    } finally {
      for (const m of still) m.app.unmount();
    }
  }, 60_000);
});
