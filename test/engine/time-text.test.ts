import { describe, expect, it } from "vitest";
import { formatAgo, formatDuration } from "../../src/engine/time-text.js";

describe("time text", () => {
  it("shows one unit or two", () => {
    expect(formatDuration(723)).toBe("12m 3s");
    expect(formatDuration(723, 1)).toBe("12m");
    expect(formatDuration(7500, 1)).toBe("2h");
    expect(formatDuration(3 * 86_400 + 4 * 3600, 1)).toBe("3d");
    expect(formatDuration(3 * 86_400 + 4 * 3600)).toBe("3d 4h");
  });

  it("ago, as the CLI's text output writes it (one unit) and as the dashboard does (two)", () => {
    expect(formatAgo(0, 11_000, 1)).toBe("11s ago");
    expect(formatAgo(0, 723_000, 1)).toBe("12m ago");
    expect(formatAgo(0, 723_000)).toBe("12m 3s ago");
    expect(formatAgo(0, 400, 1)).toBe("just now");
  });
});
