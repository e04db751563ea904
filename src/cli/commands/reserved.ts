import type { Command } from "commander";
import { FatalError } from "../../errors.js";
import type { CliContext } from "../context.js";

/** Command names the next pieces of work fill in; each says so rather than pretending. */
const RESERVED: Array<[string, string]> = [
  ["start", "start a monitor"],
  ["list", "list monitors"],
  ["status <instanceId>", "show one monitor"],
  ["terminate <instanceId>", "terminate a monitor"],
  ["suspend <instanceId>", "suspend a monitor"],
  ["resume <instanceId>", "resume a suspended monitor"],
  ["raise <instanceId> <event>", "raise an external event"],
  ["purge [instanceId]", "purge finished monitors"],
  ["history <instanceId>", "show a monitor's history"],
  ["worker", "run a headless worker for the profile's backend"],
  ["hub", "run the local hub alone"],
];

export function registerReservedCommands(program: Command, _ctx: CliContext): void {
  const taken = new Set(program.commands.map((c) => c.name()));
  for (const [usage, description] of RESERVED) {
    const name = usage.split(" ")[0]!;
    if (taken.has(name)) continue;
    program
      .command(usage)
      .description(`${description} (not available in this build)`)
      .allowUnknownOption(true)
      .action(() => {
        throw new FatalError(`'${name}' is not available in this build yet.`);
      });
  }
}
