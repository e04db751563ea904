/**
 * A key's frame does not wait for Ink's frame-rate limit: the real <App/> under Ink's own render (not the testing
 * library's unthrottled debug mode), allowed one frame every 5 s. The mount drew a frame, so without the pipeline's
 * flush a key pressed now would show only when that interval ends; it shows well before. (The dashboard's mount sets
 * drawKeysAtOnce as this test does.)
 */
import React from "react";
import { render } from "ink";
import { describe, expect, test } from "vitest";
import { App } from "../../src/ui/App.js";
import { createDashboardStore } from "../../src/ui/state/store.js";
import { fakeTty, type FakeStdout } from "../helpers/render.js";
import { snap } from "./fixtures.js";

const THROTTLE_MS = 5000;

/** The text of the selected row (it starts with "›") in the last frame written, or undefined. */
function selectedRow(stdout: FakeStdout): string | undefined {
  // Ink writes a frame's text in one write, between the synchronized-output marks.
  const frame = (stdout.frames.findLast((f) => f.includes("JOB")) ?? "").replace(/\u001B\[[0-9;?]*[A-Za-z]/g, "");
  return frame.split("\n").find((line) => line.startsWith("›"));
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("key → frame", () => {
  test("a key's frame is drawn at once, not at the end of the frame-rate interval", async () => {
    const now = Date.now();
    const store = createDashboardStore({ now, loaded: true, connection: { state: "connected" } });
    const upserted = [1, 2, 3].map((i) => snap({ id: `i-${i}`, jobId: `job-${i}`, ageSeconds: 10 * i, timeoutSeconds: 3600, now }));
    store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted, removed: [], initial: true } });
    const { stdout, stdin, streams } = fakeTty(120, 30);
    const settings = { profileName: "t", connectionLabel: "t", logFile: "/dev/null", readonly: false, color: false, defaults: {}, presets: {}, bell: () => {}, clock: () => now };
    const app = render(<App store={store} settings={settings} drawKeysAtOnce />, {
      ...streams,
      interactive: true,
      maxFps: 1000 / THROTTLE_MS,
    });
    try {
      const first = await until("the first frame's selection", () => selectedRow(stdout), 10_000);
      const mountedAt = Date.now();
      stdin.write("j");
      const moved = await until("the selection to move", () => (selectedRow(stdout) !== first ? selectedRow(stdout) : undefined), THROTTLE_MS * 2);
      expect(Date.now() - mountedAt).toBeLessThan(THROTTLE_MS / 2);
      expect(first).toMatch(/job-\d/);
      expect(moved).toMatch(/job-\d/);
      expect(moved).not.toEqual(first);
    } finally {
      app.unmount();
    }
  });
});
