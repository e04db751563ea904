import { describe, expect, it } from "vitest";
import { applies } from "../../src/ui/applies.js";
import { BATCH_COMMANDS, COMMANDS, KEYMAP, describeCommand } from "../../src/ui/keys.js";
import { snap } from "./fixtures.js";

const running = snap({ id: "r", jobId: "job-r" });
const done = snap({ id: "d", jobId: "job-d", runtimeStatus: "Completed", finalStatus: "Completed" });
const suspended = snap({ id: "s", runtimeStatus: "Suspended" });

describe("what applies to a selection (one answer for the footer and the key guards)", () => {
  it("a batch command acts on the marked rows it fits, else says why none does", () => {
    expect(applies("monitor.terminate", { selected: done, marked: [running, done, suspended], readonly: false })).toEqual({ ok: true, ids: ["r", "s"] });
    expect(applies("monitor.purge", { selected: running, marked: [running, done], readonly: false })).toEqual({ ok: true, ids: ["d"] });
    expect(applies("monitor.terminate", { selected: running, marked: [done], readonly: false })).toEqual({
      ok: false,
      reason: "Nothing to terminate: only running, pending or suspended monitors can be",
    });
    // Without marks, the selected row.
    expect(applies("monitor.suspendResume", { selected: suspended, marked: [], readonly: false })).toEqual({ ok: true, ids: ["s"] });
  });

  it("a single-row command ignores the marks and explains a refusal about the selected row", () => {
    expect(applies("monitor.raise", { selected: running, marked: [done], readonly: false })).toEqual({ ok: true, ids: ["r"] });
    expect(applies("monitor.raise", { selected: done, marked: [running], readonly: false })).toEqual({
      ok: false,
      reason: "job-d has finished: events reach only running, pending or suspended instances",
    });
    expect(applies("monitor.pollNow", { selected: suspended, marked: [], readonly: false })).toMatchObject({ ok: false, reason: "s is not running" });
    expect(applies("view.details", { selected: undefined, marked: [], readonly: false })).toEqual({ ok: false, reason: "No monitor selected" });
  });

  it("read-only refuses exactly the commands that mutate, naming the key", () => {
    for (const c of COMMANDS) {
      const verdict = applies(c, { selected: running, marked: [], readonly: true });
      expect(verdict.ok, c).toBe(!KEYMAP[c].mutates);
    }
    expect(applies("monitor.terminate", { selected: running, marked: [], readonly: true })).toEqual({
      ok: false,
      reason: "Read-only: t (terminate (asks; optional reason)) is disabled — started with --readonly",
    });
  });

  it("the help's mark line names the batch keys from the keymap", () => {
    expect(BATCH_COMMANDS).toEqual(["monitor.terminate", "monitor.suspendResume", "monitor.purge"]);
    expect(describeCommand("list.mark")).toBe("mark (t, s, x then act on all marked)");
  });
});
