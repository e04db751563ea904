import { describe, expect, it } from "vitest";
import stringWidth from "string-width";
import { applicableCommands, footerHints, footerLabel, footerMessage } from "../../src/ui/components/Footer.js";
import { snap } from "./fixtures.js";
import type { MonitorSnapshot } from "../../src/engine/types.js";

const sel = (selected: MonitorSnapshot | undefined, readonly = false, marked: MonitorSnapshot[] = []) => ({ selected, marked, readonly });

describe("footer: the keys that apply now", () => {
  const table = { name: "table" } as const;
  it("depends on the selected monitor's status", () => {
    const running = applicableCommands(table, sel(snap({ id: "a" })));
    expect(running).toEqual(expect.arrayContaining(["monitor.terminate", "monitor.suspendResume", "monitor.pollNow", "monitor.setInterval"]));
    expect(running).not.toContain("monitor.purge");
    const done = applicableCommands(table, sel(snap({ id: "b", runtimeStatus: "Completed", finalStatus: "Completed" })));
    expect(done).toContain("monitor.purge");
    expect(done).not.toContain("monitor.pollNow");
    expect(done).not.toContain("monitor.terminate");
    expect(applicableCommands(table, sel(undefined))).not.toContain("view.details");
  });

  it("with marked rows, the batch keys (t, s, x) are offered only when some marked row fits them", () => {
    const running = snap({ id: "r" });
    const done = snap({ id: "d", runtimeStatus: "Completed", finalStatus: "Completed" });
    // Only finished rows marked (the cursor on a running one): t and s would do nothing, x would purge them.
    const finishedMarked = applicableCommands(table, sel(running, false, [done]));
    expect(finishedMarked).not.toContain("monitor.terminate");
    expect(finishedMarked).not.toContain("monitor.suspendResume");
    expect(finishedMarked).toContain("monitor.purge");
    // Single-row actions still follow the row under the cursor.
    expect(finishedMarked).toContain("monitor.pollNow");
    const runningMarked = applicableCommands(table, sel(done, false, [running, done]));
    expect(runningMarked).toEqual(expect.arrayContaining(["monitor.terminate", "monitor.suspendResume", "monitor.purge"]));
    expect(runningMarked).not.toContain("monitor.pollNow");
  });

  it("read-only drops every key that changes a monitor", () => {
    const ro = applicableCommands(table, sel(snap({ id: "a" }), true));
    for (const c of ["monitor.new", "monitor.preset", "monitor.terminate", "monitor.suspendResume", "monitor.pollNow", "monitor.purge", "monitor.restart"]) {
      expect(ro).not.toContain(c);
    }
    expect(ro).toContain("list.filter");
  });

  it("forms and dialogs show their own keys", () => {
    expect(applicableCommands({ name: "form", kind: "http" }, sel(undefined))).toEqual(["form.next", "form.prev", "form.submit", "form.cancel"]);
    // The kind picker before it has no fields to move between.
    expect(applicableCommands({ name: "form" }, sel(undefined))).toEqual(["nav.up", "form.submit", "form.cancel"]);
    expect(applicableCommands({ name: "confirmTerminate", ids: ["a"] }, sel(undefined))).toEqual(["form.submit", "form.cancel"]);
  });
});

describe("footer: fitting the width", () => {
  const table = { name: "table" } as const;
  const running = applicableCommands(table, sel(snap({ id: "a" })));
  for (const width of [80, 140]) {
    it(`keeps ? help · q quit at ${width} columns and drops whole hints, never part of one`, () => {
      const line = footerHints(running, width);
      expect(stringWidth(line)).toBeLessThanOrEqual(width);
      expect(line.endsWith("? help · q quit")).toBe(true);
      expect(line.startsWith(`${footerLabel("view.details")} · n new`)).toBe(true);
      for (const part of line.split(" · ")) expect(running.map(footerLabel)).toContain(part);
    });
  }
  it("keeps read-only visible next to them", () => {
    expect(footerHints(applicableCommands(table, sel(snap({ id: "a" }), true)), 60, ["read-only"])).toMatch(/\? help · q quit · read-only$/);
  });
  it("a long message keeps whole words and points to ? for the rest", () => {
    const text = "Could not restart build-7: the hub refused the request because the instance is still being purged elsewhere";
    const shown = footerMessage(text, 60);
    expect(stringWidth(shown)).toBeLessThanOrEqual(60);
    expect(shown).toMatch(/^Could not restart build-7: the hub refused … \(\? shows all\)$/);
    expect(text.startsWith(shown.replace(" … (? shows all)", ""))).toBe(true);
    expect(text.split(" ")).toContain(shown.replace(" … (? shows all)", "").split(" ").at(-1));
    expect(footerMessage("short", 60)).toBe("short");
  });
});
