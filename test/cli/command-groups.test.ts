/**
 * The CLI registers only the command group a command line names (cli.tsx, COMMAND_GROUPS): the table must name every
 * top-level command its register function defines, or that command would be unknown when named.
 */
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_GROUPS } from "../../src/cli.js";
import { processIO } from "../../src/cli/output.js";

describe("COMMAND_GROUPS", () => {
  it("names exactly the top-level commands each register function defines, each command in one group", () => {
    const ctx = { io: processIO(), globals: () => ({}), setExitCode: () => {} };
    const seen: string[] = [];
    for (const group of COMMAND_GROUPS) {
      const program = new Command();
      group.register(program, ctx);
      const defined = program.commands.map((c) => c.name());
      expect(defined.sort()).toEqual([...group.names].sort());
      seen.push(...defined);
    }
    expect(new Set(seen).size).toBe(seen.length);
  });
});
