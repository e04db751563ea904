/**
 * Each check kind to each of its outcomes, through the real worker and client on the hub; a local HTTP server
 * stands in for the job API, GitHub and the webhook.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrchestrationStatus } from "@microsoft/durabletask-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCheckPolicy } from "../../src/engine/checks/policy.js";
import { sendJson, startFakeServer, type FakeServer } from "./fake-http-server.js";
import { customStatusOf, outputOf, startMonitorHarness, type MonitorHarness } from "./monitor-harness.js";

let h: MonitorHarness;
let api: FakeServer;
/** Per-path behaviour of the fake job API, set by each test (paths are unique per test). */
const routes = new Map<string, (n: number) => { status: number; body?: unknown; headers?: Record<string, string> }>();
const hits = new Map<string, number>();

beforeAll(async () => {
  api = await startFakeServer((req, res) => {
    const n = (hits.get(req.path) ?? 0) + 1;
    hits.set(req.path, n);
    const route = routes.get(req.path);
    if (!route) return sendJson(res, 404, { error: `no route ${req.path}` });
    const { status, body, headers } = route(n);
    sendJson(res, status, body, headers);
  });
  h = await startMonitorHarness();
});
afterAll(async () => {
  await h?.close();
  await api?.close();
});

const fast = { pollingIntervalSeconds: 0.05, timeoutSeconds: 20 };

describe("simulated", () => {
  it("runs Queued → Running → Completed and publishes progress on the way", async () => {
    const id = await h.start({ kind: "simulated", jobId: "sim-ok", target: { durationSeconds: 1, queuedSeconds: 0.2 }, ...fast, pollingIntervalSeconds: 0.1 });
    const end = await h.waitForEnd(id);
    expect(end.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    const out = outputOf(end);
    expect(out).toMatchObject({ jobId: "sim-ok", finalStatus: "Completed", lastStatus: { status: "Completed", progress: 100 } });
    // Queued, Running and Completed take a check each; more depends on the machine's speed.
    expect(out.checksPerformed).toBeGreaterThanOrEqual(3);
    expect(out.monitoringDurationSeconds).toBeGreaterThanOrEqual(1.2);
    const status = customStatusOf(end)!;
    expect(status).toMatchObject({ jobId: "sim-ok", kind: "simulated", status: "Completed", nextCheckAt: null, checkCount: out.checksPerformed });
    const seen = new Set(status.recent.map((p) => p.status));
    expect(seen.has("Running")).toBe(true);
    const progresses = status.recent.map((p) => p.progress ?? 0);
    expect(progresses).toEqual([...progresses].sort((a, b) => a - b));
  });

  it("ends Failed (an outcome: the orchestration completes) at failAtPercent", async () => {
    const id = await h.start({ kind: "simulated", target: { durationSeconds: 1, failAtPercent: 50 }, ...fast });
    const end = await h.waitForEnd(id);
    expect(end.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    expect(outputOf(end)).toMatchObject({ finalStatus: "Failed", lastStatus: { status: "Failed", progress: 50 } });
  });
});

describe("http", () => {
  it("starts the job by POST, polls the returned id until a success value", async () => {
    routes.set("/k1/start", () => ({ status: 201, body: { id: "j7" } }));
    routes.set("/k1/jobs/j7", (n) => ({ status: 200, body: n < 3 ? { state: "Running", pct: n * 30 } : { state: "Succeeded", pct: 100 } }));
    const id = await h.start({
      kind: "http",
      target: { url: `${api.url}/k1/jobs/{jobId}`, startUrl: `${api.url}/k1/start`, statusPath: "state", progressPath: "pct" },
      ...fast,
    });
    const end = await h.waitForEnd(id);
    expect(outputOf(end)).toMatchObject({ finalStatus: "Completed", checksPerformed: 3, lastStatus: { status: "Completed", progress: 100 } });
    expect(hits.get("/k1/start")).toBe(1);
    expect(hits.get("/k1/jobs/j7")).toBe(3);
  });

  it("ends Failed on a failure value", async () => {
    routes.set("/k2/status", () => ({ status: 200, body: { status: "Error", message: "disk full" } }));
    const end = await h.waitForEnd(await h.start({ kind: "http", target: { url: `${api.url}/k2/status` }, ...fast }));
    expect(outputOf(end)).toMatchObject({ finalStatus: "Failed", checksPerformed: 1, lastStatus: { status: "Failed", message: "Error: disk full" } });
  });

  it("follows 202 + Location to the result, done on a 200 without a status when the monitor says doneOn2xx", async () => {
    routes.set("/k3/status", () => ({ status: 202, headers: { location: "/k3/op" } }));
    routes.set("/k3/op", (n) => (n < 2 ? { status: 202 } : { status: 200, body: { result: 42 } }));
    const end = await h.waitForEnd(await h.start({ kind: "http", target: { url: `${api.url}/k3/status`, doneOn2xx: true }, ...fast }));
    expect(outputOf(end)).toMatchObject({ finalStatus: "Completed", checksPerformed: 3 });
    expect(hits.get("/k3/status")).toBe(1);
    expect(hits.get("/k3/op")).toBe(2);
  });
});

describe("http: a Contoso-style async job API (start answers 202 {JobId} with Location and Retry-After)", () => {
  const contoso = (prefix: string, runningChecks: number) => {
    routes.set(`${prefix}/api/jobs`, () => ({
      status: 202,
      body: { JobId: "c-1", Status: "Queued" },
      headers: { location: `${prefix}/api/jobs/c-1/status`, "retry-after": "1" },
    }));
    routes.set(`${prefix}/api/jobs/c-1/status`, (n) => ({ status: 200, body: { JobId: "c-1", Status: n <= runningChecks ? "Running" : "Succeeded" } }));
  };
  const posts = (path: string) => api.requests.filter((r) => r.method === "POST" && r.path === path);

  it("POSTs the start exactly once across continue-as-new and a worker restart, waiting Retry-After before the first check", async () => {
    contoso("/c1", 24);
    const id = await h.start({
      kind: "http",
      target: { url: `${api.url}/c1/api/jobs/{jobId}/status`, startUrl: `${api.url}/c1/api/jobs`, statusPath: "Status" },
      ...fast,
    });
    await h.waitForStatus(id, (s) => s.checkCount >= 5);
    await h.stopWorker();
    await h.startWorker();
    const end = await h.waitForEnd(id);
    expect(outputOf(end)).toMatchObject({ finalStatus: "Completed", checksPerformed: 25 });
    expect(posts("/c1/api/jobs")).toHaveLength(1);
    const firstGet = api.requests.find((r) => r.path === "/c1/api/jobs/c-1/status")!;
    expect(firstGet.at - posts("/c1/api/jobs")[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("fails the monitor, POSTing once, when the start answer has neither a job id nor a Location", async () => {
    routes.set("/c2/api/jobs", () => ({ status: 200, body: { Identifier: "x" } }));
    const id = await h.start({ kind: "http", target: { url: `${api.url}/c2/api/jobs/{jobId}`, startUrl: `${api.url}/c2/api/jobs` }, ...fast });
    const end = await h.waitForEnd(id);
    expect(end.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(end.failureDetails?.message).toContain("has no job id");
    expect(posts("/c2/api/jobs")).toHaveLength(1);
  });

  it("a typo'd status path fails the monitor after maxConsecutiveFailures, naming the keys it saw", async () => {
    contoso("/c3", 100);
    const id = await h.start({
      kind: "http",
      target: { url: `${api.url}/c3/api/jobs/{jobId}/status`, startUrl: `${api.url}/c3/api/jobs`, statusPath: "Stat" },
      ...fast,
    });
    const end = await h.waitForEnd(id);
    expect(end.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(end.failureDetails?.message).toContain("no value at `Stat` in the response (HTTP 200); keys seen: JobId, Status");
    expect(posts("/c3/api/jobs")).toHaveLength(1);
  });
});

describe("github-issues", () => {
  it("is Running under the threshold, then ConditionMet over it, and alerts once", async () => {
    let count = 1;
    const gh = await startFakeServer((req, res) => {
      if (req.path !== "/search/issues") return sendJson(res, 404, {});
      return sendJson(res, 200, { total_count: count, items: [] });
    });
    const hook = await startFakeServer((_req, res) => sendJson(res, 200, { ok: true }));
    try {
      const id = await h.start({
        kind: "github-issues",
        target: { repo: "octo/repo", threshold: 2, apiBaseUrl: gh.url },
        alert: { webhookUrl: `${hook.url}/hook` },
        ...fast,
      });
      await h.waitForStatus(id, (s) => s.checkCount >= 2 && s.status === "Running");
      count = 3;
      const end = await h.waitForEnd(id);
      expect(outputOf(end)).toMatchObject({ finalStatus: "ConditionMet", lastStatus: { status: "ConditionMet" } });
      expect(customStatusOf(end)).toMatchObject({ status: "ConditionMet", alerted: true });
      expect(hook.requests).toHaveLength(1);
      expect(JSON.parse(hook.requests[0].body)).toMatchObject({ jobId: expect.any(String), kind: "github-issues", status: "ConditionMet", instanceId: id });
      expect(JSON.parse(hook.requests[0].body).text).toContain("3 open issues");
    } finally {
      await gh.close();
      await hook.close();
    }
  });
  it("sends the worker's GITHUB_TOKEN (registerMonitor's env) as a bearer token to the profile's GitHub API", async () => {
    const gh = await startFakeServer((_req, res) => sendJson(res, 200, { total_count: 0, items: [] }));
    const withToken = await startMonitorHarness({
      env: { ...process.env, GITHUB_TOKEN: "ghp_from_env" },
      policy: () => ({ ...resolveCheckPolicy("test", {}, true), githubApiUrl: gh.url }),
    });
    try {
      const id = await withToken.start({ kind: "github-issues", target: { repo: "octo/repo", apiBaseUrl: gh.url }, ...fast });
      await withToken.waitForStatus(id, (s) => s.checkCount >= 1);
      expect(gh.requests[0].headers.authorization).toBe("Bearer ghp_from_env");
    } finally {
      await withToken.close();
      await gh.close();
    }
  });
});

describe("command", () => {
  it("exit 0 is Completed; JSON progress on the way", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dmt-mon-cmd-"));
    writeFileSync(join(dir, "n"), "0");
    // Each run bumps a counter; the third run exits 0.
    const script = `n=$(($(cat n)+1)); echo $n > n; if [ $n -ge 3 ]; then exit 0; fi; echo "{\\"progress\\":$((n*30)),\\"message\\":\\"step $n\\"}"; exit 1`;
    const end = await h.waitForEnd(await h.start({ kind: "command", target: { command: script, cwd: dir }, ...fast }));
    const out = outputOf(end);
    expect(out).toMatchObject({ finalStatus: "Completed", checksPerformed: 3, lastStatus: { status: "Completed" } });
    expect(customStatusOf(end)!.recent.map((p) => p.progress)).toEqual([30, 60, undefined]);
  });

  it("a non-zero exit with failOnExitCode ends Failed; JSON status overrides", async () => {
    const failed = await h.waitForEnd(await h.start({ kind: "command", target: { command: "echo boom >&2; exit 2", failOnExitCode: true }, ...fast }));
    expect(outputOf(failed)).toMatchObject({ finalStatus: "Failed", lastStatus: { status: "Failed", message: "exit code 2: boom" } });
    const met = await h.waitForEnd(await h.start({ kind: "command", target: { command: `echo '{"status":"ConditionMet","message":"found it"}'; exit 1` }, ...fast }));
    expect(outputOf(met)).toMatchObject({ finalStatus: "ConditionMet", lastStatus: { status: "ConditionMet", message: "found it" } });
  });
});
