import { describe, expect, it } from "vitest";
import React from "react";
import { ErrorBoundary } from "../../src/ui/components/ErrorBoundary.js";
import { colorEnabled } from "../../src/ui/theme.js";
import { renderInTerminal } from "../helpers/render.js";

function Boom(): React.ReactElement {
  throw new Error("kaboom in a panel");
}

describe("error boundary", () => {
  it("shows an error panel naming the log file, logs the stack, and tells the runner", async () => {
    const errors: string[] = [];
    let reported: Error | undefined;
    const logger = { error: (m: string, ...a: unknown[]) => errors.push([m, ...a].join(" ")), warn() {}, info() {}, debug() {} };
    const term = renderInTerminal(
      <ErrorBoundary logFile="/tmp/x/durable-monitor-tui.log" logger={logger} onError={(e) => (reported = e)}>
        <Boom />
      </ErrorBoundary>,
      { columns: 100, rows: 20 },
    );
    const frame = await term.waitFor("Details are in the log file: /tmp/x/durable-monitor-tui.log");
    expect(frame).toContain("kaboom in a panel");
    expect(reported?.message).toBe("kaboom in a panel");
    expect(errors.join("\n")).toContain("kaboom in a panel");
    term.unmount();
  });
});

describe("NO_COLOR", () => {
  it("turns colour off when set to anything non-empty", () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: "" })).toBe(true);
    expect(colorEnabled({ NO_COLOR: "1" })).toBe(false);
  });
});
