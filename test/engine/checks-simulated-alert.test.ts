import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertPayload, sendAlert } from "../../src/engine/checks/alert.js";
import { checkSimulated, simulateJob } from "../../src/engine/checks/simulated.js";
import { targetSchema } from "../../src/engine/monitor/spec.js";
import { deadUrl, sendJson, startFakeServer, type FakeServer } from "./fake-http-server.js";

const sim = (t: Record<string, unknown>) => targetSchema("simulated").parse(t);

describe("simulated job", () => {
  it("is Queued, then Running with progress from elapsed time, then Completed", () => {
    const t = sim({ durationSeconds: 10, queuedSeconds: 2 });
    expect(simulateJob(t, 1)).toMatchObject({ status: "Queued", progress: 0 });
    expect(simulateJob(t, 2)).toMatchObject({ status: "Running", progress: 0 });
    expect(simulateJob(t, 7)).toMatchObject({ status: "Running", progress: 50 });
    expect(simulateJob(t, 12)).toMatchObject({ status: "Completed", progress: 100 });
    expect(simulateJob(t, 99)).toMatchObject({ status: "Completed", progress: 100 });
  });

  it("fails at failAtPercent", () => {
    const t = sim({ durationSeconds: 10, failAtPercent: 30 });
    expect(simulateJob(t, 2.9).status).toBe("Running");
    expect(simulateJob(t, 3)).toMatchObject({ status: "Failed", progress: 30, message: expect.stringContaining("30%") });
  });

  it("counts from the monitor's start time given in its input (so it survives restarts)", () => {
    const startedAt = new Date(Date.UTC(2030, 0, 1)).toISOString();
    const at = Date.UTC(2030, 0, 1, 0, 0, 5);
    expect(checkSimulated({ jobId: "s", instanceId: "i", startedAt, target: sim({ durationSeconds: 10 }) }, at).progress).toBe(50);
  });
});

describe("sendAlert", () => {
  let hook: FakeServer;
  let answer = 200;
  beforeAll(async () => {
    hook = await startFakeServer((_req, res) => sendJson(res, answer, { ok: answer < 300 }));
  });
  afterAll(() => hook.close());
  const input = () => ({ webhookUrl: `${hook.url}/hook`, jobId: "j1", kind: "github-issues", status: "ConditionMet", instanceId: "inst-1", message: "5 open issues" });

  it("POSTs { text, jobId, kind, status, instanceId } as JSON", async () => {
    await expect(sendAlert(input())).resolves.toEqual({ delivered: true, httpStatus: 200 });
    const req = hook.requests.at(-1)!;
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req.body)).toEqual(alertPayload(input()));
    expect(alertPayload(input())).toEqual({
      text: "Monitor j1 (github-issues) finished with ConditionMet: 5 open issues [instance inst-1]",
      jobId: "j1",
      kind: "github-issues",
      status: "ConditionMet",
      instanceId: "inst-1",
    });
  });

  it("carries Idempotency-Key <instance>:alert@<run start>, the same on a retry and different for a new run", async () => {
    const run = { ...input(), startedAt: "2026-01-01T00:00:00.000Z" };
    await sendAlert(run);
    await sendAlert(run);
    await sendAlert({ ...run, startedAt: "2026-01-02T00:00:00.000Z" });
    expect(hook.requests.slice(-3).map((r) => r.headers["idempotency-key"])).toEqual([
      "inst-1:alert@2026-01-01T00:00:00.000Z",
      "inst-1:alert@2026-01-01T00:00:00.000Z",
      "inst-1:alert@2026-01-02T00:00:00.000Z",
    ]);
  });

  it("throws when the webhook answers non-2xx or is unreachable (so the retry policy can act)", async () => {
    answer = 500;
    await expect(sendAlert(input())).rejects.toThrow(/HTTP 500/);
    answer = 200;
    await expect(sendAlert({ ...input(), webhookUrl: await deadUrl() })).rejects.toThrow(/Alert not delivered/);
  });
});
