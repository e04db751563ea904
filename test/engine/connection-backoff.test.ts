import { describe, expect, it } from "vitest";
import { reconnectDelay } from "../../src/engine/connection/backoff.js";
import { WORKER_SHUTDOWN_TIMEOUT_MS } from "../../src/engine/connection/worker-supervisor.js";

describe("worker reconnect backoff", () => {
  it.each([
    [0, 0, 900], // lowest draw: -10 %
    [0, 0.5, 1000], // middle draw: the plain exponential delay
    [0, 0.999999, 1100], // highest draw: +10 %
    [2, 0.5, 4000],
    [10, 0.5, 30_000], // capped at the maximum
    [10, 0, 27_000], // the cap is jittered too, so capped workers spread out
  ])("attempt %i with random %f waits %i ms", (attempt, draw, expected) => {
    expect(reconnectDelay(attempt, 1000, 30_000, () => draw)).toBe(expected);
  });

  it("spreads a fleet: workers cut off by the same outage do not retry at the same moment", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = Array.from({ length: 50 }, () => reconnectDelay(5, 1000, 30_000, random));
    expect(new Set(delays).size).toBeGreaterThan(40);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(27_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(33_000);
  });

  it("lets work in progress finish for 30 s on stop, like the official worker", () => {
    expect(WORKER_SHUTDOWN_TIMEOUT_MS).toBe(30_000);
  });
});
