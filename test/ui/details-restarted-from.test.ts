/** The details of a monitor started by `restart` (a new instance id) name the run it came from. */
import { describe, expect, it } from "vitest";
import { detailLines } from "../../src/ui/components/Details.js";
import { snap } from "./fixtures.js";

const textOf = (m: ReturnType<typeof snap>) => detailLines(m, undefined, undefined, Date.now(), 100).map((l) => l.text);

describe("details of a restarted monitor", () => {
  it("name the old run when the input says it was restarted from one, and nothing otherwise", () => {
    const restarted = snap({ id: "new-run" });
    restarted.input = { spec: restarted.spec, restartedFrom: "old-run" };
    expect(textOf(restarted)).toContain("restarted from old-run (that run is kept)");
    const plain = snap({ id: "first-run" });
    plain.input = { spec: plain.spec };
    expect(textOf(plain).some((t) => t.includes("restarted from"))).toBe(false);
  });
});
