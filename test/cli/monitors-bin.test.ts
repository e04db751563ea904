/**
 * The monitor commands through the built bin, as a user runs them (needs `npm run -s build`).
 */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startHub } from "../../src/engine/hub/index.js";
import { binPath, cliEnv, repoRoot, runCli, tempDir } from "../helpers/cli.js";
import { sendJson, startFakeServer } from "../engine/fake-http-server.js";
import { expectNotADatabaseRefused } from "../helpers/corrupt-database.js";

async function waitUntil(what: string, fn: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("monitor commands through the built bin", () => {
  it("start --wait --json runs the monitor end to end on a fresh data dir (worker in-process) and exits 0", async () => {
    const r = await runCli(["start", "--duration", "1", "--interval", "0.25", "--job-id", "e2e", "--wait", "--json"], { timeoutMs: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      runtimeStatus: "Completed",
      jobId: "e2e",
      kind: "simulated",
      output: { jobId: "e2e", finalStatus: "Completed" },
      failure: null,
    });
    expect(out.output.checksPerformed).toBeGreaterThanOrEqual(2);
  });

  it("start --wait exits 1 when the job fails", async () => {
    const r = await runCli(["start", "--duration", "2", "--interval", "0.25", "--fail-at", "25", "--wait"], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/: Failed after \d+ checks/);
  });

  it("start --wait exits 1 for an http monitor whose --status-path has a typo, and POSTs its start once", async () => {
    const api = await startFakeServer((req, res) => {
      if (req.method === "POST") return sendJson(res, 202, { JobId: "c-9", Status: "Queued" }, { location: "/api/jobs/c-9" });
      return sendJson(res, 200, { JobId: "c-9", Status: "Running" });
    });
    try {
      const r = await runCli(
        ["start", "--kind", "http", "--start-url", `${api.url}/api/jobs`, "--url", `${api.url}/api/jobs/{jobId}`, "--status-path", "job.stat", "--interval", "1", "--wait"],
        { timeoutMs: 60_000 },
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("no value at `job.stat` in the response (HTTP 200); keys seen: JobId, Status");
      expect(api.requests.filter((q) => q.method === "POST")).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it("a one-shot start against the embedded hub prints the id and the no-worker hint; a later worker runs it", async () => {
    const dataDir = tempDir("dmt-data-");
    const env = { DURABLE_MONITOR_TUI_DATA_DIR: dataDir };
    const started = await runCli(["start", "--duration", "0.5", "--interval", "0.2"], { env });
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(started.stderr).toMatch(/no worker is running.*durable-monitor-tui worker/);
    expect(JSON.parse((await runCli(["status", id, "--json"], { env })).stdout).runtimeStatus).toBe("Pending");

    const worker = spawn(process.execPath, [binPath, "worker"], { cwd: repoRoot, env: cliEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    worker.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => worker.on("close", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      let status = "Pending";
      while (status !== "Completed" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        status = JSON.parse((await runCli(["status", id, "--json"], { env })).stdout).runtimeStatus;
      }
      expect(status).toBe("Completed");
      expect(out).toMatch(/^worker running for the embedded hub \(.*hub\.sqlite at 127\.0\.0\.1:\d+\), task hub 'default'; logs: /);
    } finally {
      worker.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("an unreachable endpoint exits 4 quickly with a message naming it", async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await runCli(["list"], { env: { ENDPOINT: `http://127.0.0.1:${port}` } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`cannot reach the emulator at http://127.0.0.1:${port}`);
    expect(r.stdout).toBe("");
    expect(Date.now() - started).toBeLessThan(15_000);
    const s = await runCli(["start", "--duration", "1"], { env: { ENDPOINT: `http://127.0.0.1:${port}` } });
    expect(s.code).toBe(4);
  });

  it("a hub database that is not one: exit 4 with the remedy, and the file is left as it was", async () => {
    const dataDir = tempDir("dmt-data-");
    const dbPath = join(dataDir, "hub.sqlite");
    await expectNotADatabaseRefused(dbPath, () => runCli(["list"], { env: { DURABLE_MONITOR_TUI_DATA_DIR: dataDir } }));
  });

  it("worker: losing the backend mid-stream neither crashes nor prints; SIGTERM while it retries exits 0 at once", async () => {
    const dir = tempDir("dmt-hub-");
    const hub = await startHub({ dbPath: join(dir, "hub.sqlite") });
    const logFile = join(dir, "worker.log");
    const env = { ENDPOINT: `http://${hub.address}`, DURABLE_MONITOR_TUI_LOG_FILE: logFile };
    const worker = spawn(process.execPath, [binPath, "worker"], { cwd: repoRoot, env: cliEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    worker.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    worker.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    let exitedAt = 0;
    const exited = new Promise<number | null>((resolve) =>
      worker.on("close", (code) => {
        exitedAt = Date.now();
        resolve(code);
      }),
    );
    const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
    try {
      await waitUntil("the worker connected", () => log().includes("[700]"));
      await hub.stop();
      await waitUntil("the SDK retrying", () => /\[70[349]\]/.test(log()));
      await new Promise((r) => setTimeout(r, 1500)); // inside the SDK's backoff sleep now
      expect(worker.exitCode).toBeNull();
    } finally {
      worker.kill("SIGTERM");
    }
    const signalledAt = Date.now();
    expect(await exited).toBe(0);
    expect(exitedAt - signalledAt).toBeLessThan(5000);
    expect(out).toMatch(/^worker running for the emulator at http:\/\/127\.0\.0\.1:\d+ \(task hub 'default'\); logs: /);
    expect(err).toMatch(/SIGTERM: stopping the worker…\n$/);
    expect(err).not.toMatch(/Error|at .*\.js:\d+/);
  });
});
