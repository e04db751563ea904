/**
 * Editing the config file while the dashboard runs (issue 10): the real app on a real embedded hub, fed by the live
 * profile watching a real config.json. Presets and defaults apply at once; an invalid edit is reported and the last
 * good config stays; an editor that replaces the file (write + rename) is followed; a connection edit asks for a
 * restart on screen. The file is never written by the dashboard.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfile } from "../../src/config/index.js";
import { watchProfile, type LiveProfile } from "../../src/config/live-profile.js";
import { createEngine, type LocalEngine } from "../../src/engine/create-engine.js";
import { KEY, renderDashboard, type DashboardHarness } from "../helpers/render.js";
import { waitFor } from "../engine/engine-helpers.js";
import { sendJson, startFakeServer } from "../engine/fake-http-server.js";



let dir: string;
let configPath: string;
let engine: LocalEngine;
let live: LiveProfile;
let h: DashboardHarness;

const preset = (durationSeconds: number, description: string) => ({ kind: "simulated", target: { durationSeconds }, description });
const config = (presets: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ profiles: { default: { connection: "embedded", presets, ...extra } } }, null, 2);

/** Saves like an editor that writes a new file and renames it over the old one. */
function replaceFile(text: string) {
  const tmp = join(dir, "config", ".config.json.swp");
  writeFileSync(tmp, text);
  renameSync(tmp, configPath);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dmt-config-reload-"));
  const env: NodeJS.ProcessEnv = { ...process.env, DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"), DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config") };
  delete env.DURABLE_TASK_SCHEDULER_CONNECTION_STRING;
  delete env.ENDPOINT;
  configPath = join(dir, "config", "config.json");
  mkdirSync(join(dir, "config"));
  writeFileSync(configPath, config({ alpha: preset(30, "the first preset") }));
  const profile = loadProfile({ env });
  engine = await createEngine({ profile, withWorker: true, env, logFile: join(dir, "log.txt") });
  live = watchProfile(profile, { env, debounceMs: 50 });
  h = renderDashboard({
    engine,
    columns: 160,
    rows: 40,
    settings: { profileName: profile.name, presets: profile.presets, defaults: profile.defaults, configFile: live.path, live },
  });
  await h.waitFor("worker running");
});

afterAll(async () => {
  h?.unmount();
  live?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("config file edits reach the running dashboard", () => {
  it("a new preset shows in the open picker; an invalid edit keeps the last good one; a replaced file is followed", async () => {
    await h.press("p");
    await h.waitFor("the first preset");

    writeFileSync(configPath, config({ alpha: preset(30, "the first preset"), beta: preset(30, "added while open") }));
    let frame = await h.waitFor("added while open");
    await h.waitFor("Config reloaded: new presets in use");

    const broken = config({ alpha: preset(30, "the first preset") }).slice(0, -3);
    writeFileSync(configPath, broken);
    frame = await h.waitFor("Config edit ignored, the last good config stays: Config file");
    expect(h.store.getState().lastResult?.text).toContain(`Config file ${configPath}: not valid JSON`);
    expect(frame).toContain("added while open"); // the last good presets stay
    expect(readFileSync(configPath, "utf8")).toBe(broken); // never clobbered

    // An editor's save: a new file renamed over the old one. Presets and defaults both change.
    replaceFile(config({ gamma: preset(60, "after a rename") }, { defaults: { pollingIntervalSeconds: 7 } }));
    frame = await h.waitFor((f) => f.includes("after a rename") && !f.includes("added while open"));
    await h.waitFor("new presets and defaults in use");

    // The watch survives the replacement: the next in-place edit is seen too.
    writeFileSync(configPath, config({ gamma: preset(60, "after a rename"), delta: preset(60, "edited in place after") }, { defaults: { pollingIntervalSeconds: 7 } }));
    await h.waitFor("edited in place after");

    // Launching uses the new preset and the new default interval, on the real engine.
    await h.press(KEY.down); // delta, gamma (sorted)
    await h.press(KEY.enter);
    frame = await h.waitFor("Started preset gamma");
    const id = /Started preset gamma \(instance ([^)]+)\)/.exec(frame)![1]!;
    const snapshot = await waitFor("the new monitor's spec", async () => (await engine.get(id))?.spec);
    expect(snapshot.pollingIntervalSeconds).toBe(7);
    expect(snapshot.jobId).toMatch(/^gamma-/);
  });

  it("a connection edit is not applied live: the header says to restart, and reverting it clears that", async () => {
    const presets = { gamma: preset(60, "after a rename"), delta: preset(60, "edited in place after") };
    writeFileSync(configPath, config(presets, { defaults: { pollingIntervalSeconds: 7 }, dbPath: join(dir, "elsewhere.sqlite") }));
    const frame = await h.waitFor("restart to apply the new connection");
    expect(frame).toContain("connection changed: restart the dashboard to use it");
    expect(frame).toContain("worker running"); // still on the hub it opened
    writeFileSync(configPath, config(presets, { defaults: { pollingIntervalSeconds: 7 } }));
    await h.waitFor((f) => !f.includes("restart to apply"));
  });

  it("check settings apply from the next check: a host added to allowedHosts is reached, one removed is refused", async () => {
    const server = await startFakeServer((_req, res) => sendJson(res, 200, { status: "Running" }));
    try {
      const presets = { gamma: preset(60, "after a rename"), delta: preset(60, "edited in place after") };
      const http = { kind: "http", target: { url: `${server.url}/status` }, pollingIntervalSeconds: 1, timeoutSeconds: 60 } as const;
      writeFileSync(configPath, config(presets, { defaults: { pollingIntervalSeconds: 7 }, allowedHosts: ["nothing.invalid"] }));
      await h.waitFor("Config reloaded: new check settings in use");
      const refused = await engine.start({ ...http, jobId: "refused-host" });
      const end = await waitFor("the refused monitor to fail", async () => {
        const s = await engine.get(refused);
        return s?.runtimeStatus === "Failed" ? s : undefined;
      });
      expect(end.failure?.message).toContain("http check to 127.0.0.1");
      expect(end.failure?.message).toContain("refused");
      expect(server.requests).toHaveLength(0);

      const before = h.store.getState().lastResult;
      writeFileSync(configPath, config(presets, { defaults: { pollingIntervalSeconds: 7 }, allowedHosts: ["127.0.0.1"] }));
      await h.waitFor(() => h.store.getState().lastResult !== before);
      expect(h.store.getState().lastResult?.text).toBe("Config reloaded: new check settings in use");
      const allowed = await engine.start({ ...http, jobId: "allowed-host" });
      await waitFor("a request from the allowed monitor", () => server.requests.length > 0);
      await engine.terminate(allowed);
    } finally {
      await server.close();
    }
  });

  it("the help says what a save of the config file changes now and what waits for a restart", async () => {
    await h.press("?");
    // Joined across the wrapped lines inside the overlay's border.
    const frame = (await h.waitFor("Config file:")).replace(/\s*│?\n│?\s*/g, " ");
    expect(frame).toContain(`Config file: ${configPath} — on save, presets, defaults and check settings apply at once; the connection and task hub after a restart`);
    await h.press(KEY.escape);
    await h.waitFor(() => h.store.getState().screen.name === "table");
  });

  it("an edit that removes nothing of ours but is still invalid (a schema error) is named with its field", async () => {
    writeFileSync(configPath, JSON.stringify({ profiles: { default: { connection: "embedded", presets: { bad: { kind: "nope", target: {} } } } } }));
    await h.waitFor("Config edit ignored");
    // The whole message (the footer cuts it at the terminal's width; ? shows it all).
    expect(h.store.getState().lastResult).toMatchObject({ kind: "error", text: expect.stringContaining(`${configPath}: profiles.default.presets.bad.kind:`) });
    await h.press(KEY.escape);
    await h.press("p");
    await h.waitFor("edited in place after"); // the last good presets
  });
});
