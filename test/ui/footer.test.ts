import { describe, expect, it } from "vitest";
import { applicableCommands } from "../../src/ui/components/Footer.js";
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
    expect(applicableCommands({ name: "form" }, undefined, false, 0)).toEqual(["form.next", "form.prev", "form.submit", "form.cancel"]);
    expect(applicableCommands({ name: "confirmTerminate", ids: ["a"] }, undefined, false, 0)).toEqual(["form.submit", "form.cancel"]);
  });
});
