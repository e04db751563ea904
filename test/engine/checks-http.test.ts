import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkHttp, substituteJobId } from "../../src/engine/checks/http.js";
import { startHttpJob } from "../../src/engine/checks/http-start.js";
import { idempotencyKey } from "../../src/engine/checks/idempotency.js";
import { parseRetryAfter } from "../../src/engine/checks/http-util.js";
import { targetSchema, type HttpTarget } from "../../src/engine/monitor/spec.js";
import type { CheckInput } from "../../src/engine/checks/types.js";
import { sendJson, startFakeServer, type FakeServer } from "./fake-http-server.js";

let api: FakeServer;
beforeAll(async () => {
  api = await startFakeServer((_req, res) => sendJson(res, 404, { error: "no handler" }));
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
});

const target = (over: Record<string, unknown>): HttpTarget => targetSchema("http").parse({ url: `${api.url}/status`, ...over });
const input = (t: HttpTarget, pollUrl?: string): CheckInput<HttpTarget> => ({
  jobId: "job-42",
  instanceId: "inst",
  target: t,
  startedAt: new Date().toISOString(),
  ...(pollUrl ? { pollUrl } : {}),
});

describe("checkHttp: reading a status endpoint", () => {
  it("maps success, failure, queued and other values, reading dotted status and progress paths", async () => {
    let state = "Running";
    api.setHandler((_req, res) => sendJson(res, 200, { job: { state, pct: "40" }, message: "half way" }));
    const t = target({ statusPath: "job.state", progressPath: "job.pct" });
    expect(await checkHttp(input(t))).toEqual({ status: "Running", progress: 40, message: "Running: half way" });
    state = "pending";
    expect((await checkHttp(input(t))).status).toBe("Queued");
    state = "succeeded";
    expect(await checkHttp(input(t))).toMatchObject({ status: "Completed", progress: 40 });
    state = "Cancelled";
    expect((await checkHttp(input(t))).status).toBe("Failed");
  });

  it("honours custom success and failure values, headers and method", async () => {
    api.setHandler((_req, res) => sendJson(res, 200, { status: "GREEN" }));
    const t = target({ successValues: ["green"], failureValues: ["red"], method: "POST", headers: { "x-api-key": "k" } });
    expect((await checkHttp(input(t))).status).toBe("Completed");
    expect(api.requests[0]).toMatchObject({ method: "POST", headers: expect.objectContaining({ "x-api-key": "k" }) });
  });

  it("substitutes {jobId} in the URL with the monitor's job id", async () => {
    api.setHandler((_req, res) => sendJson(res, 200, { status: "Running" }));
    await checkHttp(input(target({ url: `${api.url}/jobs/{jobId}/status` })));
    expect(api.requests[0].path).toBe("/jobs/job-42/status");
    expect(substituteJobId("http://h/{jobId}?a={jobId}", "a b")).toBe("http://h/a%20b?a=a%20b");
  });

  it("treats a 200/201/204 without a status value as done only when the monitor says doneOn2xx", async () => {
    for (const code of [200, 201, 204]) {
      api.setHandler((_req, res) => {
        if (code === 204) res.writeHead(204).end();
        else sendJson(res, code, { result: "x" });
      });
      expect(await checkHttp(input(target({ doneOn2xx: true })))).toMatchObject({ status: "Completed", progress: 100 });
      expect((await checkHttp(input(target({})))).status).toBe("Unknown");
    }
  });

  it("is a failed check naming the path and the keys it saw when the status value is missing (a typo, or Status vs status)", async () => {
    api.setHandler((_req, res) => sendJson(res, 200, { job: { state: "Running", pct: 5 }, JobId: "j1" }));
    expect(await checkHttp(input(target({ statusPath: "job.stat" })))).toEqual({
      status: "Unknown",
      message: "no value at `job.stat` in the response (HTTP 200); keys seen at job: state, pct",
    });
    api.setHandler((_req, res) => sendJson(res, 200, { JobId: "j1", Status: "Completed" }));
    expect(await checkHttp(input(target({})))).toEqual({
      status: "Unknown",
      message: "no value at `status` in the response (HTTP 200); keys seen: JobId, Status",
    });
    api.setHandler((_req, res) => void res.writeHead(204).end());
    expect((await checkHttp(input(target({})))).message).toBe("no value at `status` in the response (HTTP 204); the response has no body");
  });

  it("follows a 202's Location (the asynchronous request-reply pattern) and reports Retry-After", async () => {
    api.setHandler((req, res) => {
      if (req.path === "/status") return sendJson(res, 202, undefined, { location: "/operations/9", "retry-after": "3" });
      return sendJson(res, 200, { status: "Running" });
    });
    const first = await checkHttp(input(target({})));
    expect(first).toMatchObject({ status: "Running", retryAfterSeconds: 3, pollUrl: `${api.url}/operations/9` });
    const second = await checkHttp(input(target({}), first.pollUrl));
    expect(second.status).toBe("Running");
    expect(api.requests.map((r) => r.path)).toEqual(["/status", "/operations/9"]);
  });

  it("turns non-2xx, invalid JSON, timeouts and refused connections into failed checks with a message", async () => {
    api.setHandler((_req, res) => sendJson(res, 503, { error: "busy" }, { "retry-after": "7" }));
    expect(await checkHttp(input(target({})))).toMatchObject({ status: "Unknown", retryAfterSeconds: 7, message: expect.stringContaining("HTTP 503") });

    api.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{not json");
    });
    expect(await checkHttp(input(target({})))).toMatchObject({ status: "Unknown", message: expect.stringContaining("Invalid JSON") });

    api.setHandler(() => undefined); // never answers
    const slow = await checkHttp(input(target({ requestTimeoutSeconds: 0.3 })));
    expect(slow).toMatchObject({ status: "Unknown", message: expect.stringContaining("timed out after 0.3 s") });

    const refused = await checkHttp(input(targetSchema("http").parse({ url: "http://127.0.0.1:1/x" })));
    expect(refused).toMatchObject({ status: "Unknown", message: expect.stringContaining("failed") });
  });
});

describe("startHttpJob: the one POST", () => {
  const start = (t: HttpTarget) => startHttpJob({ jobId: "job-42", target: t });

  it("POSTs the start body and polls the URL with the returned job id", async () => {
    api.setHandler((req, res) => {
      if (req.path === "/start") return sendJson(res, 201, { data: { id: "77" } });
      return sendJson(res, 200, { status: "Done" });
    });
    const t = target({ url: `${api.url}/jobs/{jobId}`, startUrl: `${api.url}/start`, startBody: { size: 3 }, jobIdPath: "data.id" });
    const started = await start(t);
    expect(started).toEqual({ ok: true, jobId: "77", pollUrl: `${api.url}/jobs/77`, message: `Started job 77; polling ${api.url}/jobs/77` });
    expect(api.requests[0]).toMatchObject({ method: "POST", body: '{"size":3}', headers: expect.objectContaining({ "content-type": "application/json" }) });
    expect((await checkHttp(input(t, started.ok ? started.pollUrl : undefined))).status).toBe("Completed");
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /start", "GET /jobs/77"]);
  });

  it("recognises id, jobId, JobId and job_id when no path is given", async () => {
    for (const key of ["id", "jobId", "JobId", "job_id"]) {
      api.setHandler((_req, res) => sendJson(res, 202, { [key]: `x-${key}` }));
      const started = await start(target({ url: `${api.url}/jobs/{jobId}`, startUrl: `${api.url}/start` }));
      expect(started).toMatchObject({ ok: true, jobId: `x-${key}`, pollUrl: `${api.url}/jobs/x-${key}` });
    }
  });

  it("sends the orchestrator's Idempotency-Key with the POST, the same on a repeat (a receiver can drop it)", async () => {
    api.setHandler((_req, res) => sendJson(res, 201, { jobId: "9" }));
    const t = target({ startUrl: `${api.url}/start` });
    const key = idempotencyKey("inst", "start-job", "2026-01-01T00:00:00.000Z");
    await startHttpJob({ jobId: "job-42", target: t, idempotencyKey: key });
    await startHttpJob({ jobId: "job-42", target: t, idempotencyKey: key });
    expect(api.requests.map((r) => r.headers["idempotency-key"])).toEqual(["inst:start-job@2026-01-01T00:00:00.000Z", "inst:start-job@2026-01-01T00:00:00.000Z"]);
  });

  it("moves polling to a 202 start's Location and records Retry-After", async () => {
    api.setHandler((_req, res) => sendJson(res, 202, undefined, { location: "/ops/1", "retry-after": "1" }));
    expect(await start(target({ startUrl: `${api.url}/start` }))).toMatchObject({ ok: true, pollUrl: `${api.url}/ops/1`, retryAfterSeconds: 1 });
  });

  it("fails (never to be retried) when the start answers an error or has neither a job id nor a Location", async () => {
    api.setHandler((_req, res) => sendJson(res, 500, { error: "down" }));
    expect(await start(target({ startUrl: `${api.url}/start` }))).toEqual({ ok: false, message: expect.stringContaining("The job was not started: HTTP 500") });

    api.setHandler((_req, res) => sendJson(res, 200, { Identifier: "9" }));
    const noId = await start(target({ url: `${api.url}/jobs/{jobId}`, startUrl: `${api.url}/start` }));
    expect(noId).toEqual({ ok: false, message: expect.stringContaining("has no job id (looked at `id`, `jobId`, `JobId`, `job_id`") });
    expect(noId.message).toContain("keys seen: Identifier");
    expect(noId.message).toContain("not retried");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("5")).toBe(5);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
