import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/engine/connection/backoff.js";

describe("worker reconnect backoff", () => {
  it.each([
    [0, 0, 900], // lowest draw: -10 %
    [0, 0.5, 1000], // middle draw: the plain exponential delay
    [0, 0.999999, 1100], // highest draw: +10 %
    [2, 0.5, 4000],
    [10, 0.5, 30_000], // capped at the maximum
    [10, 0, 27_000], // the cap is jittered too, so capped workers spread out
  ])("attempt %i with random %f waits %i ms", (attempt, draw, expected) => {
    expect(backoffDelay(attempt, 1000, 30_000, () => draw)).toBe(expected);
  });

  it("spreads a fleet: workers cut off by the same outage do not retry at the same moment", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = Array.from({ length: 50 }, () => backoffDelay(5, 1000, 30_000, random));
    expect(new Set(delays).size).toBeGreaterThan(40);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(27_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(33_000);
  });

  it("without jitter (the watcher's failed refreshes) it is the plain doubling, capped", () => {
    expect([1, 2, 3, 4, 5, 6].map((failures) => backoffDelay(failures, 2000, 30_000, () => 0, 0))).toEqual([4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("with jitter 0.5 (waiting for the config lock) it stays within half the delay either side", () => {
    expect(backoffDelay(0, 5, 100, () => 0, 0.5)).toBe(3); // 2.5 rounded
    expect(backoffDelay(0, 5, 100, () => 0.999999, 0.5)).toBe(7);
    expect(backoffDelay(8, 5, 100, () => 0, 0.5)).toBe(50);
  });
});
