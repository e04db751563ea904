import { describe, expect, it } from "vitest";
import { acceptsActivity, acceptsOrchestration, createWorkFilter } from "../../src/engine/hub/work-filter.js";

describe("work item filters (what a worker asked for)", () => {
  it("no filter takes everything; a filter takes only what it lists, by name and version", () => {
    expect(acceptsOrchestration(undefined, "anything")).toBe(true);
    expect(acceptsActivity(undefined, "anything", "2")).toBe(true);
    const filter = createWorkFilter({
      orchestrations: [{ name: "monitorJob" }, { name: "pinned", versions: ["1.0", "1.1"] }],
      activities: [{ name: "echo", versions: [] }],
    });
    expect(acceptsOrchestration(filter, "monitorJob")).toBe(true);
    expect(acceptsOrchestration(filter, "monitorJob", "7")).toBe(true);
    expect(acceptsOrchestration(filter, "monitor")).toBe(false);
    expect(acceptsOrchestration(filter, "pinned", "1.1")).toBe(true);
    expect(acceptsOrchestration(filter, "pinned", "2.0")).toBe(false);
    expect(acceptsOrchestration(filter, "pinned")).toBe(false);
    expect(acceptsActivity(filter, "echo")).toBe(true);
    expect(acceptsActivity(filter, "monitorJob")).toBe(false);
  });

  it("an empty list takes nothing of that kind; a name listed twice keeps the widest versions", () => {
    const activitiesOnly = createWorkFilter({ activities: [{ name: "a" }] });
    expect(acceptsOrchestration(activitiesOnly, "a")).toBe(false);
    const twice = createWorkFilter({ orchestrations: [{ name: "o", versions: ["1"] }, { name: "o" }] });
    expect(acceptsOrchestration(twice, "o", "9")).toBe(true);
    const union = createWorkFilter({ orchestrations: [{ name: "o", versions: ["1"] }, { name: "o", versions: ["2"] }] });
    expect([acceptsOrchestration(union, "o", "1"), acceptsOrchestration(union, "o", "2"), acceptsOrchestration(union, "o", "3")]).toEqual([true, true, false]);
  });
});
