// Kept free of modern syntax, like the rest of bin/: it runs before the version check.
import { commandWords } from "./command-words.js";

/** The flag the shebang gives every command: a small young generation, for the dashboard's memory. */
export var DASHBOARD_FLAG = "--max-semi-space-size=2";

/**
 * Node's flags without the dashboard's, when `args` run the `worker` or `hub` command under it (the shim then starts
 * the command again with these); otherwise null. The command is the first word that is not an option (the value of
 * `-p`/`--profile` skipped).
 */
export function withoutDashboardFlags(execArgv, args) {
  if (execArgv.indexOf(DASHBOARD_FLAG) < 0) return null;
  var command = commandWords(args)[0];
  if (command !== "worker" && command !== "hub") return null;
  return execArgv.filter(function (flag) {
    return flag !== DASHBOARD_FLAG;
  });
}
