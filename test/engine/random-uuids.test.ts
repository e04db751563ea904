import { describe, expect, it } from "vitest";
import { randomUuids } from "../../src/engine/random-uuids.js";

describe("randomUuids", () => {
  it("draws version 4 UUIDs of the RFC 4122 variant, each different", async () => {
    const ids = await randomUuids(2000);
    expect(ids).toHaveLength(2000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("spreads their random bits evenly (each hex digit of the random part about equally often)", async () => {
    const ids = await randomUuids(4000);
    const counts = new Map<string, number>();
    for (const id of ids) for (const digit of id.replace(/-/g, "").slice(20)) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    const expected = (4000 * 12) / 16;
    expect(counts.size).toBe(16);
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.1);
  });
});
