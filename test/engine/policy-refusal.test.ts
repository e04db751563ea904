/**
 * A check the worker's policy refuses (a host not in allowedHosts, an ad-hoc command the profile does not allow) can
 * never pass on retry: the monitor fails at its first check with the refusal, not after maxConsecutiveFailures
 * (issue 10). Ordinary failures still count up to the limit. The real SDK worker and client on the hub.
 */
import { OrchestrationStatus } from "@microsoft/durabletask-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCheckPolicy } from "../../src/engine/checks/policy.js";
import { sendJson, startFakeServer, type FakeServer } from "./fake-http-server.js";
import { customStatusOf, startMonitorHarness, type MonitorHarness } from "./monitor-harness.js";

let h: MonitorHarness;
let api: FakeServer;

beforeAll(async () => {
  api = await startFakeServer((_req, res) => sendJson(res, 200, { status: "Running" }));
  // A worker off the embedded hub whose profile allows no host and no ad-hoc command.
  h = await startMonitorHarness({ policy: () => resolveCheckPolicy("shared", {}, false) });
});
afterAll(async () => {
  await h?.close();
  await api?.close();
});

const often = { pollingIntervalSeconds: 0.05, timeoutSeconds: 30, maxConsecutiveFailures: 3 } as const;

describe("a check refused by the worker's policy", () => {
  it("http to a host not in allowedHosts: the monitor fails at the first check with the refusal; nothing is sent", async () => {
    const id = await h.start({ kind: "http", target: { url: `${api.url}/status` }, ...often });
    const end = await h.waitForEnd(id);
    expect(end.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(end.failureDetails?.message).toMatch(/^http check to 127\.0\.0\.1:\d+ refused: this worker's profile 'shared' does not allow that host/);
    expect(end.failureDetails?.message).not.toContain("consecutive failed checks");
    expect(customStatusOf(end)).toMatchObject({ status: "Unknown", checkCount: 1, consecutiveFailures: 1 });
    expect(api.requests).toHaveLength(0);
  });

  it("an ad-hoc command line the profile does not allow: fails at the first check, runs nothing", async () => {
    const id = await h.start({ kind: "command", target: { command: "echo should-not-run" }, ...often });
    const end = await h.waitForEnd(id);
    expect(end.runtimeStatus).toBe(OrchestrationStatus.FAILED);
    expect(end.failureDetails?.message).toMatch(/^Command line refused: this worker's profile 'shared'/);
    expect(customStatusOf(end)).toMatchObject({ checkCount: 1 });
  });

  it("an ordinary failed check still counts up to maxConsecutiveFailures", async () => {
    const allowing = await startMonitorHarness({ policy: () => resolveCheckPolicy("shared", { allowedHosts: ["127.0.0.1"] }, false) });
    try {
      api.setHandler((_req, res) => sendJson(res, 500, { error: "down" }));
      const id = await allowing.start({ kind: "http", target: { url: `${api.url}/status` }, ...often });
      const end = await allowing.waitForEnd(id);
      expect(end.failureDetails?.message).toContain("3 consecutive failed checks");
      expect(customStatusOf(end)).toMatchObject({ checkCount: 3 });
    } finally {
      await allowing.close();
    }
  });
});
