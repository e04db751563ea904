import type { Command } from "commander";
import type { CliIO } from "./output.js";

/** Options every command sees (declared on the root program). */
export interface GlobalOptions {
  profile?: string;
}

/** What each command group's register function receives. */
export interface CliContext {
  io: CliIO;
  /** The root program's parsed global options (valid once a command's action runs). */
  globals(): GlobalOptions;
  /** Set by an action: the process exit code (default 0). */
  setExitCode(code: number): void;
}

export type RegisterCommands = (program: Command, ctx: CliContext) => void;
