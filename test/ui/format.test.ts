import { describe, expect, it } from "vitest";
import { bar, fit, formatAgo, formatDuration, formatIn, indeterminateBar, sparkline } from "../../src/ui/format.js";
import { layoutColumns, GUTTER_WIDTH, COLUMN_GAP, tableBodyHeight } from "../../src/ui/layout.js";

describe("formatting", () => {
  it("durations and relative times", () => {
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(723)).toBe("12m 3s");
    expect(formatDuration(7500)).toBe("2h 5m");
    expect(formatAgo(0, 12_000)).toBe("12s ago");
    expect(formatAgo(0, 300)).toBe("just now");
    expect(formatIn(3000, 0)).toBe("in 3s");
    expect(formatIn(2001, 0)).toBe("in 3s");
    expect(formatIn(0, 10)).toBe("now");
  });

  it("bars, indeterminate marker, sparkline, fit", () => {
    expect(bar(0.5, 8)).toBe("████░░░░");
    expect(bar(1, 4)).toBe("████");
    expect(bar(0, 4)).toBe("░░░░");
    expect([...bar(0.33, 10)].length).toBe(10);
    const a = indeterminateBar(10, 0);
    const b = indeterminateBar(10, 1);
    expect(a).not.toBe(b);
    expect([...a].length).toBe(10);
    expect(sparkline([{ t: "", progress: 0, status: "Running" }, { t: "", progress: 100, status: "Running" }, { t: "", status: "Running" }], 10)).toBe("▁█·");
    expect(fit("abcdef", 4)).toBe("abc…");
    expect(fit("ab", 4, true)).toBe("ab  ");
  });

  it("columns: narrow terminals drop the least important first; wide ones show everything", () => {
    const ids = (w: number) => layoutColumns(w).map((c) => c.id);
    expect(ids(160)).toEqual(["job", "target", "status", "progress", "checks", "last", "next", "timeLeft", "spark"]);
    // 120 columns, a common terminal width, still has room for every column (RECENT was dropped there).
    expect(ids(120)).toEqual(ids(160));
    const at80 = ids(80);
    expect(at80).toEqual(["job", "status", "progress", "checks", "next", "timeLeft"]);
    expect(ids(50)).toEqual(["job", "status", "progress"]);
    for (const w of [40, 60, 80, 100, 120, 160, 200]) {
      const used = layoutColumns(w).reduce((n, c) => n + c.size, 0) + (layoutColumns(w).length - 1) * COLUMN_GAP + GUTTER_WIDTH;
      expect(used, `width ${w}`).toBeLessThanOrEqual(w);
    }
    expect(tableBodyHeight(24)).toBe(18);
  });
});

describe("wide characters (CJK, emoji) count as two terminal columns", () => {
  it("fit cuts and pads by columns, in the table and in the CLI's columns", async () => {
    const { formatColumns } = await import("../../src/cli/output.js");
    expect(fit("作業ジョブ", 6, true)).toBe("作業… ");
    expect(fit("作業", 6, true)).toBe("作業  ");
    expect(fit("ok", 4, true)).toBe("ok  ");
    const lines = (await formatColumns([["JOB", "STATUS"], ["作業-1", "Running"], ["job-2", "Failed"]])).split("\n");
    expect(lines).toEqual(["JOB     STATUS", "作業-1  Running", "job-2   Failed"]);
  });
});
