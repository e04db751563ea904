import { describe, expect, it } from "vitest";
import stringWidth from "string-width";
import { applicableCommands, footerHints, footerLabel, footerMessage } from "../../src/ui/components/Footer.js";
import { snap } from "./fixtures.js";

describe("footer: the keys that apply now", () => {
  const table = { name: "table" } as const;
  it("depends on the selected monitor's status", () => {
    const running = applicableCommands(table, snap({ id: "a" }), false, 0);
    expect(running).toEqual(expect.arrayContaining(["monitor.terminate", "monitor.suspendResume", "monitor.pollNow", "monitor.setInterval"]));
    expect(running).not.toContain("monitor.purge");
    const done = applicableCommands(table, snap({ id: "b", runtimeStatus: "Completed", finalStatus: "Completed" }), false, 0);
    expect(done).toContain("monitor.purge");
    expect(done).not.toContain("monitor.pollNow");
    expect(done).not.toContain("monitor.terminate");
    expect(applicableCommands(table, undefined, false, 0)).not.toContain("view.details");
  });

  it("read-only drops every key that changes a monitor", () => {
    const ro = applicableCommands(table, snap({ id: "a" }), true, 0);
    for (const c of ["monitor.new", "monitor.preset", "monitor.terminate", "monitor.suspendResume", "monitor.pollNow", "monitor.purge", "monitor.restart"]) {
      expect(ro).not.toContain(c);
    }
    expect(ro).toContain("list.filter");
  });

  it("forms and dialogs show their own keys", () => {
    expect(applicableCommands({ name: "form", kind: "http" }, undefined, false, 0)).toEqual(["form.next", "form.prev", "form.submit", "form.cancel"]);
    // The kind picker before it has no fields to move between.
    expect(applicableCommands({ name: "form" }, undefined, false, 0)).toEqual(["nav.up", "form.submit", "form.cancel"]);
    expect(applicableCommands({ name: "confirmTerminate", ids: ["a"] }, undefined, false, 0)).toEqual(["form.submit", "form.cancel"]);
  });
});

describe("footer: fitting the width", () => {
  const table = { name: "table" } as const;
  const running = applicableCommands(table, snap({ id: "a" }), false, 0);
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
    expect(footerHints(applicableCommands(table, snap({ id: "a" }), true, 0), 60, ["read-only"])).toMatch(/\? help · q quit · read-only$/);
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
