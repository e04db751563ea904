import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkHttp, substituteJobId } from "../../src/engine/checks/http.js";
import { parseRetryAfter } from "../../src/engine/checks/http-util.js";
import { HttpTargetSchema, type HttpTarget } from "../../src/engine/monitor/spec.js";
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

const target = (over: Record<string, unknown>): HttpTarget => HttpTargetSchema.parse({ url: `${api.url}/status`, ...over });
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

  it("treats a 200/201/204 without a status value as done", async () => {
    for (const code of [200, 201, 204]) {
      api.setHandler((_req, res) => {
        if (code === 204) res.writeHead(204).end();
        else sendJson(res, code, { result: "x" });
      });
      expect(await checkHttp(input(target({})))).toMatchObject({ status: "Completed", progress: 100 });
    }
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

    const refused = await checkHttp(input(HttpTargetSchema.parse({ url: "http://127.0.0.1:1/x" })));
    expect(refused).toMatchObject({ status: "Unknown", message: expect.stringContaining("failed") });
  });
});

describe("checkHttp: starting the job", () => {
  it("POSTs the start body and polls the URL with the returned job id", async () => {
    api.setHandler((req, res) => {
      if (req.path === "/start") return sendJson(res, 201, { data: { id: "77" } });
      return sendJson(res, 200, { status: "Done" });
    });
    const t = target({ url: `${api.url}/jobs/{jobId}`, startUrl: `${api.url}/start`, startBody: { size: 3 }, jobIdPath: "data.id" });
    const started = await checkHttp(input(t));
    expect(started).toMatchObject({ status: "Queued", pollUrl: `${api.url}/jobs/77` });
    expect(api.requests[0]).toMatchObject({ method: "POST", body: '{"size":3}', headers: expect.objectContaining({ "content-type": "application/json" }) });
    expect((await checkHttp(input(t, started.pollUrl))).status).toBe("Completed");
    expect(api.requests[1].path).toBe("/jobs/77");
  });

  it("moves polling to a 202 start's Location", async () => {
    api.setHandler((_req, res) => sendJson(res, 202, undefined, { location: `${api.url}/ops/1`, "retry-after": "1" }));
    const started = await checkHttp(input(target({ startUrl: `${api.url}/start` })));
    expect(started).toMatchObject({ status: "Queued", pollUrl: `${api.url}/ops/1`, retryAfterSeconds: 1 });
  });

  it("is a failed check (and no pollUrl, so the next check starts again) when the start fails or has no job id", async () => {
    api.setHandler((_req, res) => sendJson(res, 500, { error: "down" }));
    const failed = await checkHttp(input(target({ startUrl: `${api.url}/start` })));
    expect(failed).toMatchObject({ status: "Unknown", message: expect.stringContaining("Could not start the job: HTTP 500") });
    expect(failed.pollUrl).toBeUndefined();

    api.setHandler((_req, res) => sendJson(res, 200, { nothing: true }));
    const noId = await checkHttp(input(target({ url: `${api.url}/jobs/{jobId}`, startUrl: `${api.url}/start` })));
    expect(noId).toMatchObject({ status: "Unknown", message: expect.stringContaining("no job id") });
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
