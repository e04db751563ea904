import { describe, expect, it } from "vitest";
import type { OrchestrationStatus } from "@microsoft/durabletask-js";
import { Status } from "../../src/engine/hub/proto.js";
import { isTerminalStatus } from "../../src/engine/hub/store.js";
import { RUNTIME_STATUSES, isTerminal } from "../../src/engine/types.js";
import { runtimeStatusFromSdk } from "../../src/engine/snapshot.js";

describe("terminal statuses", () => {
  it("the hub's protocol numbers are exactly Completed, Failed and Terminated of the wire enum", () => {
    const terminal = Object.entries(Status)
      .filter(([, value]) => isTerminalStatus(value as number))
      .map(([name]) => name)
      .sort();
    expect(terminal).toEqual(["ORCHESTRATION_STATUS_COMPLETED", "ORCHESTRATION_STATUS_FAILED", "ORCHESTRATION_STATUS_TERMINATED"]);
  });

  it("the engine's words name the same three states as the hub's numbers", () => {
    const fromHub = Object.values(Status)
      .filter((value) => isTerminalStatus(value as number))
      // The SDK's enum has the protocol's numbers.
      .map((value) => runtimeStatusFromSdk(value as number as OrchestrationStatus))
      .sort();
    expect(fromHub).toEqual(RUNTIME_STATUSES.filter(isTerminal).sort());
  });

  it("the protocol's deprecated CANCELED (older backends' data) reads as Terminated, not as Running", () => {
    expect(runtimeStatusFromSdk(Status.ORCHESTRATION_STATUS_CANCELED as number as OrchestrationStatus)).toBe("Terminated");
  });
});
