import { describe, expect, it } from "vitest";
import {
  DISPLAY_STATUSES,
  DISPLAY_STATUS_INFO,
  displayLabel,
  parseDisplayStatus,
  runtimeStatusesFor,
  toDisplayStatus,
} from "../../src/engine/display-status.js";
import { RUNTIME_STATUSES } from "../../src/engine/types.js";

describe("display statuses", () => {
  it("refines the runtime status with the monitor's phase and final status", () => {
    expect(toDisplayStatus("Pending")).toBe("Pending");
    expect(toDisplayStatus("Running")).toBe("Running");
    expect(toDisplayStatus("Running", { phase: "Queued" })).toBe("Queued");
    expect(toDisplayStatus("ContinuedAsNew", { phase: "queued" })).toBe("Queued");
    expect(toDisplayStatus("Running", { phase: "Failed" })).toBe("Running");
    expect(toDisplayStatus("Suspended", { phase: "Queued" })).toBe("Suspended");
    expect(toDisplayStatus("Completed", { finalStatus: "Completed" })).toBe("Completed");
    expect(toDisplayStatus("Completed", { finalStatus: "Failed", phase: "Running" })).toBe("Failed");
    expect(toDisplayStatus("Completed", { finalStatus: "ConditionMet" })).toBe("Met");
    expect(toDisplayStatus("Completed", { finalStatus: "Timeout" })).toBe("TimedOut");
    expect(toDisplayStatus("Completed", { phase: "Failed" })).toBe("Failed");
    expect(toDisplayStatus("Completed", { phase: "Running" })).toBe("Completed");
    expect(toDisplayStatus("Completed")).toBe("Completed");
    expect(toDisplayStatus("Failed", { finalStatus: "Completed" })).toBe("Failed");
    expect(toDisplayStatus("Terminated")).toBe("Terminated");
  });

  it("parses keys, words and common synonyms, and nothing else", () => {
    for (const s of DISPLAY_STATUSES) {
      expect(parseDisplayStatus(DISPLAY_STATUS_INFO[s].key)).toBe(s);
      expect(parseDisplayStatus(DISPLAY_STATUS_INFO[s].word.toUpperCase())).toBe(s);
    }
    expect(parseDisplayStatus("timed-out")).toBe("TimedOut");
    expect(parseDisplayStatus("Timeout")).toBe("TimedOut");
    expect(parseDisplayStatus("ConditionMet")).toBe("Met");
    expect(parseDisplayStatus("Runing")).toBeUndefined();
    expect(parseDisplayStatus(" ")).toBeUndefined();
  });

  it("has one symbol, word and key per status", () => {
    const infos = DISPLAY_STATUSES.map((s) => DISPLAY_STATUS_INFO[s]);
    expect(new Set(infos.map((i) => i.symbol)).size).toBe(9);
    expect(new Set(infos.map((i) => i.key)).size).toBe(9);
    expect(displayLabel("TimedOut")).toBe("◷ Timed out");
  });

  it("narrows a query to every runtime status that can show as the wanted ones", () => {
    for (const runtime of RUNTIME_STATUSES) {
      for (const phase of [undefined, "Queued", "Failed"]) {
        for (const finalStatus of [undefined, "Completed", "Failed", "ConditionMet", "Timeout"]) {
          const shown = toDisplayStatus(runtime, { phase, finalStatus });
          expect(runtimeStatusesFor([shown])).toContain(runtime);
        }
      }
    }
    expect(runtimeStatusesFor(["Met"])).toEqual(["Completed"]);
  });
});
