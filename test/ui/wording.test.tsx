/**
 * Words a new user reads (issue 10): the article before a kind ("an http monitor"), the kind picker's footer (no field
 * keys: it has no fields), the empty preset list (names the config file), the quit message (says who keeps the
 * monitors running), against the real engine on an embedded hub where an action is involved.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { farewell } from "../../src/cli/dashboard-session.js";
import { article } from "../../src/ui/format.js";
import { KEY, renderDashboard } from "../helpers/render.js";
import { useEngineFixture } from "../helpers/ui-engine.js";
import { startFakeServer, type FakeServer } from "../engine/fake-http-server.js";
import { embeddedProfile, endpointProfile } from "../engine/engine-helpers.js";

const fx = useEngineFixture("dmt-wording-");
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "Running" }));
  });
});
afterAll(async () => {
  await server?.close();
});

/** The footer's key hints: the line above the last (result) line. */
const hints = (frame: string) => frame.split("\n").at(-2) ?? "";

describe("wording", () => {
  it("article: an before a vowel sound (http included), a before the others", () => {
    expect(["http", "event", "unknown", "simulated", "github-issues", "command", "user"].map((w) => `${article(w)} ${w}`)).toEqual([
      "an http",
      "an event",
      "an unknown",
      "a simulated",
      "a github-issues",
      "a command",
      "a user",
    ]);
  });

  it("the form launches 'an http monitor'; the kind picker's footer offers no field keys, the fields' footer does", async () => {
    const h = fx.track(renderDashboard({ engine: fx.engine, columns: 140, rows: 40 }));
    await h.waitFor("worker running");
    await h.press("n");
    let frame = await h.waitFor("choose a kind");
    expect(hints(frame)).toContain("Enter launch");
    expect(hints(frame)).not.toMatch(/Tab|next field|prev field/);
    await h.press(KEY.down); // simulated → http
    await h.press(KEY.enter);
    frame = await h.waitFor("New http monitor");
    await h.waitFor((f) => /Tab next field/.test(hints(f)));
    await h.type(`${server.url}/status`);
    await h.waitFor("Ready: Enter launches");
    await h.press(KEY.enter);
    frame = await h.waitFor(/Started an? http monitor/);
    expect(frame).toContain("Started an http monitor (instance ");
  });

  it("the empty preset list names the profile's presets key and the config file", async () => {
    const h = fx.track(renderDashboard({ columns: 140, rows: 30, settings: { profileName: "work", configFile: "/home/me/.config/durable-monitor-tui/config.json" } }));
    await h.press("p");
    const frame = await h.waitFor("has no presets");
    expect(frame.replace(/\s*\n[│ ]*/g, " ")).toContain(
      "Profile 'work' has no presets. Add some under profiles.work.presets in /home/me/.config/durable-monitor-tui/config.json",
    );
  });
});

describe("the quit message says who keeps the monitors running", () => {
  const embedded = embeddedProfile("/tmp/x/hub.sqlite");
  const info = { kind: "embedded" as const, location: "/tmp/x/hub.sqlite", taskHub: "default", address: "127.0.0.1:1" };

  it("the dashboard owned the hub and ran the worker: they pause until the hub opens again (or another worker takes over)", () => {
    const text = farewell(embedded, { ownsHub: true, connection: info }, true);
    expect(text).toContain("Its embedded hub and worker stopped with it.");
    expect(text).toContain("resume when the hub opens again");
    expect(text).toContain("A worker connected from another process, if any, takes the hub over");
    expect(text).not.toContain("next start");
  });

  it("another process serves the hub: they keep running there, not 'on the next start'", () => {
    const text = farewell(embedded, { ownsHub: false, connection: info }, true);
    expect(text).toContain("The hub stays with the process that serves it");
    expect(text).not.toMatch(/resume|next start/);
    expect(farewell(embedded, { ownsHub: false, connection: { ...info, sharedHub: true } }, false)).toContain(
      "The hub keeps running in the process that serves it; its monitors run while a worker is connected to it",
    );
  });

  it("a scheduler connection: they keep running wherever their workers run", () => {
    const remote = endpointProfile("127.0.0.1:9", "hubby");
    const text = farewell(remote, { ownsHub: false, connection: { ...info, kind: "emulator" } }, true);
    expect(text).toBe("Dashboard closed. Monitors in task hub 'hubby' keep running wherever their workers run (this dashboard's worker stopped).");
  });
});
