import { Option, type Command } from "commander";
import { isTerminal } from "../../engine/types.js";
import { DISPLAY_STATUS_INFO } from "../../engine/display-status.js";
import type { CliContext } from "../context.js";
import { addSpecFieldOptions } from "../start-options.js";
import type { StateAction } from "./monitor-actions.js";
import { preDialDefaultHub } from "../pre-dial-hub.js";

/**
 * The monitor commands' names, options and help. What they do is in monitor-actions.ts, loaded when one runs: `--help`
 * and the start-up of the other commands do without the engine, the config schema and zod.
 */
const actions = async () => (await import("./actions.js")).monitor;
/** The actions of the commands on the lean path (engine/lean-engine.ts): a connection to the hub opens meanwhile. */
const leanActions = (ctx: CliContext) => {
  preDialDefaultHub(ctx);
  return actions();
};

const STATUS_KEYS = Object.values(DISPLAY_STATUS_INFO).map((i) => i.key).join(", ");

function registerStart(program: Command, ctx: CliContext): void {
  const start = program
    .command("start")
    .description("start a monitor (prints its instance id)")
    .addOption(new Option("--kind <kind>", "simulated | http | github-issues | command (default simulated, or the preset's)"));
  addSpecFieldOptions(start);
  start
    .option("--preset <name>", "start from a preset of the profile (flags override it; job id prefixed with its name)")
    .option("--specs <file>", "start one monitor per line of this JSON Lines file (- reads stdin), all over one connection")
    .option("--wait", "wait until the monitor finishes; exit 0 for Completed/ConditionMet, 1 for Failed/Timeout")
    .option("--no-worker", "with --wait: do not run a worker in this process (another one will)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  durable-monitor-tui start --duration 10 --interval 1
  durable-monitor-tui start --kind http --url http://localhost:8080/jobs/42 --progress-path progress --wait
  durable-monitor-tui start --kind github-issues --repo octo/hello --threshold 10 --alert-webhook https://hooks.example/x`,
    )
    .action(async (flags) => (await leanActions(ctx)).start(ctx, flags));
}

function registerQueries(program: Command, ctx: CliContext): void {
  program
    .command("list")
    .description("list monitors (newest first)")
    .option("--status <statuses>", `only these statuses, comma-separated (${STATUS_KEYS})`)
    .option("--name <names>", "only these orchestrations, by name, comma-separated (any case)")
    .option("--json", "print JSON (an array of monitors)")
    .option("--payloads", "with --json: every instance's input and output too (one read per instance; lists carry none)")
    .action(async (flags) => (await leanActions(ctx)).list(ctx, flags));

  program
    .command("status <instanceId>")
    .description("show one monitor")
    .option("--json", "print JSON")
    .action(async (id: string, flags) => (await leanActions(ctx)).status(ctx, id, flags));

  program
    .command("history <instanceId>")
    .description("show a monitor's checks and history events")
    .option("--json", "print JSON ({ checks, events })")
    .action(async (id: string, flags) => (await actions()).history(ctx, id, flags));
}

/**
 * The actions that move an instance to a state. One already there is left alone: exit 0 with a note on stderr, the
 * same for each (a script can run them twice). A finished instance cannot be suspended or resumed (usage error).
 */
const STATE_ACTIONS: readonly StateAction[] = [
  { action: "terminate", description: "terminate a monitor", reasonHelp: "recorded as its output", done: "terminated", isAlready: isTerminal },
  {
    action: "suspend",
    description: "suspend a monitor (events wait until it resumes)",
    reasonHelp: "why (logged)",
    done: "suspended",
    isAlready: (status) => status === "Suspended",
  },
  {
    action: "resume",
    description: "resume a suspended monitor",
    reasonHelp: "why (logged)",
    done: "resumed",
    isAlready: (status) => status === "Pending" || status === "Running",
  },
];

function registerControls(program: Command, ctx: CliContext): void {
  for (const stateAction of STATE_ACTIONS) {
    program
      .command(`${stateAction.action} <instanceId>`)
      .description(stateAction.description)
      .option("--reason <text>", stateAction.reasonHelp)
      .option("--json", "print JSON")
      .action(async (id: string, flags) => (await leanActions(ctx)).moveToState(ctx, stateAction, id, flags));
  }

  program
    .command("restart <instanceId>")
    .description("start a monitor again from its spec under a new instance id (the old run is kept); prints the new id")
    .option("--json", "print JSON")
    .action(async (id: string, flags) => (await leanActions(ctx)).restart(ctx, id, flags));

  program
    .command("raise <instanceId> <event>")
    .description("raise an external event (poll-now: check at once; set-interval --data 10: new interval)")
    .option("--data <json>", "the event's data, as JSON")
    .option("--json", "print JSON")
    .action(async (id: string, event: string, flags) => (await leanActions(ctx)).raise(ctx, id, event, flags));

  program
    .command("purge [instanceId]")
    .description("delete a finished monitor, or every finished one with --completed")
    .option("--completed", "purge every finished monitor (Completed, Failed, Terminated)")
    .option("--older-than <age>", "with --completed: only those created before this age (30m, 12h, 7d)")
    .option("--json", "print JSON")
    .action(async (id: string | undefined, flags) => (await leanActions(ctx)).purge(ctx, id, flags));
}

/** start, list, status, history, terminate, suspend, resume, restart, raise, purge. */
export function registerMonitorCommands(program: Command, ctx: CliContext): void {
  registerStart(program, ctx);
  registerQueries(program, ctx);
  registerControls(program, ctx);
}
