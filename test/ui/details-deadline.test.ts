import { describe, expect, it } from "vitest";
import { detailLines } from "../../src/ui/components/Details.js";
import { snap } from "./fixtures.js";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const field = (lines: { text: string }[], name: string) => lines.find((l) => l.text.trimStart().startsWith(name))?.text;

describe("details: the deadline of a finished monitor", () => {
  it("no longer counts down, and there is no next check", () => {
    // Ended at NOW, 50 s before its deadline (created 10 s earlier with a 60 s timeout).
    const done = snap({ id: "a", runtimeStatus: "Completed", finalStatus: "Completed", now: NOW });
    const atEnd = detailLines(done, undefined, undefined, NOW, 120);
    const later = detailLines(done, undefined, undefined, NOW + 30_000, 120);
    expect(field(atEnd, "deadline")).toMatch(/\(not reached: ended 50s before it\)$/);
    expect(field(later, "deadline")).toBe(field(atEnd, "deadline"));
    expect(field(later, "next check")).toMatch(/next check\s+—$/);
  });

  it("still counts down while it runs", () => {
    const running = snap({ id: "b", now: NOW });
    expect(field(detailLines(running, undefined, undefined, NOW, 120), "deadline")).toMatch(/\(in 50s\)$/);
    expect(field(detailLines(running, undefined, undefined, NOW + 30_000, 120), "deadline")).toMatch(/\(in 20s\)$/);
  });
});
