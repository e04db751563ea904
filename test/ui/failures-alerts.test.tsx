/**
 * Failed checks and alert outcomes are visible: RECENT draws a failed check as "×", the row and the details show the
 * consecutive failures against the limit, the details say what became of the alert.
 */
import { afterEach, describe, expect, it } from "vitest";
import { renderDashboard, type DashboardHarness } from "../helpers/render.js";
import { failureCount, sparkline } from "../../src/ui/format.js";
import { detailLines } from "../../src/ui/components/Details.js";
import { snap } from "./fixtures.js";
import type { MonitorSnapshot } from "../../src/engine/types.js";

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

function failing(id: string, failures: number): MonitorSnapshot {
  const m = snap({ id, checkCount: 12 });
  m.customStatus = { ...m.customStatus!, consecutiveFailures: failures, maxConsecutiveFailures: 3, status: "Unknown", message: "HTTP 500" };
  m.customStatus.recent = [...m.customStatus.recent, { t: new Date().toISOString(), status: "Unknown" }];
  return m;
}

describe("failed checks", () => {
  it("draw × in RECENT (a failed check, like a failed job), · for a point without progress", () => {
    expect(sparkline([{ t: "", progress: 50, status: "Running" }, { t: "", status: "Unknown" }, { t: "", status: "Running" }, { t: "", status: "Failed" }], 10)).toBe("▅×·×");
  });

  it("count against the limit: 2/3 ✗, nothing when the last check did not fail", () => {
    expect(failureCount(failing("a", 2))).toBe("2/3 ✗");
    expect(failureCount(snap({ id: "ok" }))).toBeUndefined();
  });

  it("show in the row at 80 columns (count and limit) and in the details", async () => {
    h = renderDashboard({ columns: 80, rows: 24 });
    h.store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted: [failing("bad-1", 2)], removed: [], initial: true } });
    const frame = await h.waitFor("bad-1");
    expect(frame).toMatch(/bad-1.*12 2\/3 ✗/);
    const text = detailLines(failing("bad-1", 2), undefined, undefined, Date.now(), 100).map((l) => l.text);
    expect(text).toContainEqual(expect.stringMatching(/consecutive failures\s+2\/3 ✗/));
  });
});

describe("alert outcome in the details", () => {
  it("says sent, failed with the reason, or not sent", () => {
    const m = snap({ id: "al" });
    const alertLine = (x: MonitorSnapshot) => detailLines(x, undefined, undefined, Date.now(), 120).map((l) => l.text).find((t) => /^\s+alert\s/.test(t));
    m.customStatus = { ...m.customStatus!, alert: { outcome: "failed", for: "Failed", error: "Alert not delivered: http://hook answered HTTP 500" } };
    expect(alertLine(m)).toMatch(/alert\s+failed: Alert not delivered: http:\/\/hook answered HTTP 500 \(Failed\)/);
    m.customStatus = { ...m.customStatus!, alert: { outcome: "sent", for: "ConditionMet" } };
    expect(alertLine(m)).toMatch(/alert\s+sent \(ConditionMet\)/);
    m.customStatus = { ...m.customStatus!, alert: undefined };
    expect(alertLine(m)).toMatch(/alert\s+none \(no webhook\)/);
  });
});
