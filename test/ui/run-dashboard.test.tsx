/**
 * runDashboard end to end in-process: the real profile loading and engine (embedded hub + worker) behind fake
 * terminal streams. Quitting closes the engine and prints the farewell line only after Ink left the screen.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/output.js";
import { runDashboard } from "../../src/cli/dashboard-session.js";
import { FakeStdin, FakeStdout } from "../helpers/render.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dmt-run-dashboard-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeIO() {
  const stdout = new FakeStdout(100, 30);
  stdout.isTTY = true;
  const stderr = new FakeStdout(100, 30);
  const stdin = new FakeStdin();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DURABLE_MONITOR_TUI_DATA_DIR: join(dir, "data"),
    DURABLE_MONITOR_TUI_CONFIG_DIR: join(dir, "config"),
    DURABLE_MONITOR_TUI_LOG_FILE: join(dir, "log.txt"),
  };
  const io = { stdout, stderr, stdin, env };
  return { ...io, cli: io as unknown as CliIO };
}

async function until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("runDashboard", () => {
  it("opens on the alternate screen, quits on q, then says the monitors keep their state", async () => {
    const io = fakeIO();
    const all = () => io.stdout.frames.join("");
    const done = runDashboard({ io: io.cli, globals: {}, dashboard: { worker: true } });
    await until("the worker running on screen", () => all().includes("worker running"));
    expect(all()).toContain("\u001B[?1049h"); // entered the alternate screen
    io.stdin.write("q");
    expect(await done).toBe(0);
    const out = all();
    const farewell = out.indexOf("Its embedded hub and worker stopped with it.");
    expect(farewell).toBeGreaterThan(out.lastIndexOf("\u001B[?1049l")); // printed after Ink left the screen
    expect(io.stderr.frames.join("")).toBe("");
  });

  it("--readonly and --no-worker: watching only, action keys refused", async () => {
    const io = fakeIO();
    const all = () => io.stdout.frames.join("");
    const done = runDashboard({ io: io.cli, globals: {}, dashboard: { worker: false, readonly: true } });
    await until("the dashboard", () => all().includes("no worker (watching)") && all().includes("[read-only]"));
    io.stdin.write("n");
    await until("the refusal", () => all().includes("Read-only: n (new monitor) is disabled"));
    io.stdin.write("q");
    expect(await done).toBe(0);
  });
});
