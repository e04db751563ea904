import { Option, type Command } from "commander";
import { ExitCode, NotFoundError, UsageError } from "../../errors.js";
import { isTerminal, type MonitorSnapshot, type RuntimeStatus } from "../../engine/types.js";
import {
  DISPLAY_STATUS_INFO,
  displayStatusOf,
  parseDisplayStatus,
  runtimeStatusesFor,
  type DisplayStatus,
} from "../../engine/display-status.js";
import type { LocalEngine } from "../../engine/create-engine.js";
import { EVENT_POLL_NOW, EVENT_SET_INTERVAL, isOwnMonitorOrchestration } from "../../engine/monitor/names.js";
import { parseIntervalEventData } from "../../engine/monitor/status.js";
import type { CliContext } from "../context.js";
import { commandProfile, withEngine } from "../engine-session.js";
import { historyJson, monitorJson } from "../monitor-json.js";
import { historyText, monitorDetails, monitorTable, outcomeText } from "../monitor-text.js";
import { printError, printJson, printLine } from "../output.js";
import { redactSecrets } from "../../config/redact.js";
import { safeText } from "../../secrets.js";
import { flagSyntax, parseDuration, specFromFlags, startFlagFields, type StartFlags } from "../start-flags.js";
import { readSpecLines } from "../spec-lines.js";
import { forEachInFlight } from "../../engine/in-flight.js";

const NO_WORKER_HINT = "no worker is running for this hub: the monitor waits until one does — open the dashboard (`durable-monitor-tui`) or run `durable-monitor-tui worker`";

/** Exit code for a finished monitor: 0 for Completed/Met, 1 for Failed/Timed out/Terminated. */
export function exitCodeFor(s: MonitorSnapshot): number {
  const status = displayStatusOf(s);
  return status === "Completed" || status === "Met" ? ExitCode.Ok : ExitCode.Failure;
}

const STATUS_KEYS = Object.values(DISPLAY_STATUS_INFO).map((i) => i.key).join(", ");

function parseStatuses(text: string): DisplayStatus[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const match = parseDisplayStatus(s);
      if (!match) throw new UsageError(`--status: unknown status '${s}' (use ${STATUS_KEYS})`);
      return match;
    });
}

/** The listed snapshots with each instance's input and output, read one instance at a time (8 reads in flight). */
async function withPayloads(engine: LocalEngine, list: MonitorSnapshot[]): Promise<MonitorSnapshot[]> {
  const out = [...list];
  await forEachInFlight(list, 8, async (m, i) => {
    const full = await engine.get(m.instanceId);
    if (full) out[i] = { ...m, input: full.input, outputValue: full.outputValue, rawOutput: full.rawOutput, spec: m.spec ?? full.spec };
  });
  return out;
}

function parseNames(text: string): Set<string> {
  const names = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (!names.length) throw new UsageError("--name: give one or more orchestration names, comma-separated");
  return new Set(names);
}

function outcomeLine(s: MonitorSnapshot): string {
  if (s.output) return `${s.instanceId}: ${outcomeText(s.output)}`;
  const why = s.failure ? ` — ${s.failure.message}` : s.rawOutput ? ` — ${s.rawOutput}` : "";
  return `${s.instanceId}: ${s.runtimeStatus}${why}`;
}

/** Waits briefly for a worker to pick the instance up; true when it is still Pending. */
async function staysPending(engine: LocalEngine, id: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await engine.get(id);
    if (!s || s.runtimeStatus !== "Pending") return false;
    if (Date.now() >= deadline) return true;
    // A worker that is running picks a new instance up within tens of milliseconds: poll finely so `start` returns soon.
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface StartCommandFlags extends StartFlags {
  specs?: string;
  wait?: boolean;
  worker?: boolean;
  json?: boolean;
}

/** One option per spec field, from the schema (spec-fields.ts): the same list the dashboard's form shows. */
function addSpecFieldOptions(command: Command): void {
  for (const field of startFlagFields()) {
    const { usage, help } = flagSyntax(field);
    const option = new Option(usage, help);
    if (field.type === "map" || field.type === "list") option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    command.addOption(option);
  }
}

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
    .action(async (flags: StartCommandFlags) => {
      if (flags.specs !== undefined) return startFromSpecLines(ctx, flags);
      const profile = commandProfile(ctx);
      const spec = specFromFlags(flags, profile);
      const runWorker = Boolean(flags.wait) && flags.worker !== false;
      await withEngine(
        ctx,
        { withWorker: runWorker },
        async (engine) => {
          const id = await engine.start(spec);
          if (!flags.wait) {
            return printStarted(ctx, engine, id, flags.json ? redactSecrets({ instanceId: id, ...(await jobOf(engine, id)) }) : undefined);
          }
          if (!flags.json) printError(ctx.io, `started ${id}; waiting for it to finish${runWorker ? " (running a worker in this process)" : ""}…`);
          if (!runWorker && engine.connection.kind === "embedded" && engine.ownsHub) printError(ctx.io, `note: ${NO_WORKER_HINT}`);
          const started = await engine.get(id);
          const timeoutMs = ((started?.spec?.timeoutSeconds ?? 3600) + 120) * 1000;
          const done = await engine.waitForCompletion(id, timeoutMs);
          if (flags.json) printJson(ctx.io, redactSecrets(monitorJson(done)));
          else printLine(ctx.io, safeText(outcomeLine(done)));
          ctx.setExitCode(exitCodeFor(done));
        },
        profile,
      );
    });
}

/** `start --specs FILE`: every line's monitor, one connection; prints the ids (or JSON) in the file's order. */
async function startFromSpecLines(ctx: CliContext, flags: StartCommandFlags): Promise<void> {
  const { specs: path, json, worker, wait, ...specFlags } = flags;
  const mixed = Object.keys(specFlags).filter((key) => specFlags[key as keyof typeof specFlags] !== undefined);
  if (wait) throw new UsageError("--specs cannot be combined with --wait (start them, then watch them with list or the dashboard)");
  if (mixed.length) throw new UsageError(`--specs cannot be combined with spec flags (${mixed.join(", ")}): put those fields in each line`);
  const specs = await readSpecLines(path!, ctx.io.stdin);
  await withEngine(ctx, { withWorker: false }, async (engine) => {
    const ids = await engine.startMany(specs);
    if (json) printJson(ctx.io, ids.map((instanceId) => ({ instanceId })));
    else printLine(ctx.io, ids.join("\n"));
    if (engine.connection.kind === "embedded" && engine.ownsHub) printError(ctx.io, `note: ${NO_WORKER_HINT}`);
  });
}

async function jobOf(engine: LocalEngine, id: string): Promise<{ jobId: string | null; kind: string | null }> {
  const s = await engine.get(id);
  return { jobId: s?.spec?.jobId ?? null, kind: s?.spec?.kind ?? null };
}

function registerQueries(program: Command, ctx: CliContext): void {
  program
    .command("list")
    .description("list monitors (newest first)")
    .option("--status <statuses>", `only these statuses, comma-separated (${STATUS_KEYS})`)
    .option("--name <names>", "only these orchestrations, by name, comma-separated (any case)")
    .option("--json", "print JSON (an array of monitors)")
    .option("--payloads", "with --json: every instance's input and output too (one read per instance; lists carry none)")
    .action(async (flags: { status?: string; name?: string; json?: boolean; payloads?: boolean }) => {
      const statuses = flags.status ? parseStatuses(flags.status) : undefined;
      const names = flags.name ? parseNames(flags.name) : undefined;
      if (flags.payloads && !flags.json) throw new UsageError("--payloads goes with --json");
      await withEngine(ctx, {}, async (engine) => {
        const all = await engine.list(statuses ? { statuses: runtimeStatusesFor(statuses) } : {});
        let list = all.filter((m) => (!statuses || statuses.includes(displayStatusOf(m))) && (!names || names.has(m.name.toLowerCase())));
        if (flags.payloads) list = await withPayloads(engine, list);
        if (flags.json) printJson(ctx.io, redactSecrets(list.map(monitorJson)));
        else printLine(ctx.io, list.length ? safeText(monitorTable(list)) : "No monitors.");
      });
    });

  program
    .command("status <instanceId>")
    .description("show one monitor")
    .option("--json", "print JSON")
    .action(async (id: string, flags: { json?: boolean }) => {
      await withEngine(ctx, {}, async (engine) => {
        const s = await engine.get(id);
        if (!s) throw new NotFoundError(`No instance '${id}' in task hub '${engine.connection.taskHub}'`);
        if (flags.json) printJson(ctx.io, redactSecrets(monitorJson(s)));
        else printLine(ctx.io, safeText(monitorDetails(s)));
      });
    });

  program
    .command("history <instanceId>")
    .description("show a monitor's checks and history events")
    .option("--json", "print JSON ({ checks, events })")
    .action(async (id: string, flags: { json?: boolean }) => {
      await withEngine(ctx, {}, async (engine) => {
        const h = await engine.history(id);
        if (flags.json) printJson(ctx.io, redactSecrets(historyJson(h)));
        else printLine(ctx.io, safeText(historyText(h)));
      });
    });
}

/** What an acting command prints: its line, or with --json one object saying what it did. */
function acted(ctx: CliContext, flags: { json?: boolean }, json: Record<string, unknown>, line: string): void {
  if (flags.json) printJson(ctx.io, { ok: true, ...json });
  else printLine(ctx.io, line);
}

/**
 * Our monitors take two events: an unknown name or data the monitor would ignore is a usage error naming what it
 * accepts (other orchestrations get whatever is sent).
 */
function checkMonitorEvent(event: string, data: unknown): void {
  const accepted = `${EVENT_POLL_NOW} (no data), ${EVENT_SET_INTERVAL} --data <seconds>`;
  if (event !== EVENT_POLL_NOW && event !== EVENT_SET_INTERVAL) {
    throw new UsageError(`A monitor does not know the event '${event}'; it accepts ${accepted}`);
  }
  if (event === EVENT_SET_INTERVAL && parseIntervalEventData(data) === undefined) {
    throw new UsageError(`${EVENT_SET_INTERVAL} needs --data with an interval in seconds (e.g. --data 30); got ${data === undefined ? "none" : JSON.stringify(data)}. A monitor accepts ${accepted}`);
  }
}

type StateAction = "terminate" | "suspend" | "resume";

/**
 * The actions that move an instance to a state. One already there is left alone: exit 0 with a note on stderr, the
 * same for each (a script can run them twice). A finished instance cannot be suspended or resumed (usage error).
 */
const STATE_ACTIONS: ReadonlyArray<{
  action: StateAction;
  description: string;
  reasonHelp: string;
  done: string;
  isAlready(status: RuntimeStatus): boolean;
}> = [
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

/** Prints the new instance's id (or JSON), with a note when no worker will run it. */
async function printStarted(ctx: CliContext, engine: LocalEngine, id: string, json: Record<string, unknown> | undefined): Promise<void> {
  if (json) printJson(ctx.io, json);
  else printLine(ctx.io, id);
  if (engine.connection.kind === "embedded" && (engine.ownsHub || (await staysPending(engine, id, 1500)))) {
    printError(ctx.io, `note: ${NO_WORKER_HINT}`);
  }
}

function registerControls(program: Command, ctx: CliContext): void {
  for (const { action, description, reasonHelp, done, isAlready } of STATE_ACTIONS) {
    program
      .command(`${action} <instanceId>`)
      .description(description)
      .option("--reason <text>", reasonHelp)
      .option("--json", "print JSON")
      .action(async (id: string, flags: { reason?: string; json?: boolean }) => {
        await withEngine(ctx, {}, async (engine) => {
          const s = await engine.get(id);
          if (!s) throw new NotFoundError(`No instance '${id}' in task hub '${engine.connection.taskHub}'`);
          if (isAlready(s.runtimeStatus)) {
            const status = DISPLAY_STATUS_INFO[displayStatusOf(s)];
            printError(ctx.io, `note: ${id} is ${status.word}: nothing to ${action}`);
            if (flags.json) printJson(ctx.io, { ok: true, action, instanceId: id, changed: false, status: status.key });
            return;
          }
          await engine[action](id, flags.reason);
          acted(ctx, flags, { action, instanceId: id, changed: true }, `${done} ${id}`);
        });
      });
  }

  program
    .command("restart <instanceId>")
    .description("start a monitor again from its spec under a new instance id (the old run is kept); prints the new id")
    .option("--json", "print JSON")
    .action(async (id: string, flags: { json?: boolean }) => {
      await withEngine(ctx, {}, async (engine) => {
        const newId = await engine.restart(id, { newInstanceId: true });
        await printStarted(ctx, engine, newId, flags.json ? { ok: true, action: "restart", instanceId: id, newInstanceId: newId } : undefined);
      });
    });

  program
    .command("raise <instanceId> <event>")
    .description("raise an external event (poll-now: check at once; set-interval --data 10: new interval)")
    .option("--data <json>", "the event's data, as JSON")
    .option("--json", "print JSON")
    .action(async (id: string, event: string, flags: { data?: string; json?: boolean }) => {
      let data: unknown;
      if (flags.data !== undefined) {
        try {
          data = JSON.parse(flags.data);
        } catch (error) {
          throw new UsageError(`--data must be JSON (${error instanceof Error ? error.message : String(error)}); quote strings: --data '"text"'`);
        }
      }
      await withEngine(ctx, {}, async (engine) => {
        const target = await engine.get(id);
        if (target && isOwnMonitorOrchestration(target.name)) checkMonitorEvent(event, data);
        await engine.raise(id, event, data);
        acted(ctx, flags, { action: "raise", instanceId: id, event }, `raised ${event} on ${id}`);
      });
    });

  program
    .command("purge [instanceId]")
    .description("delete a finished monitor, or every finished one with --completed")
    .option("--completed", "purge every finished monitor (Completed, Failed, Terminated)")
    .option("--older-than <age>", "with --completed: only those created before this age (30m, 12h, 7d)")
    .option("--json", "print JSON")
    .action(async (id: string | undefined, flags: { completed?: boolean; olderThan?: string; json?: boolean }) => {
      if (id && flags.completed) throw new UsageError("Give an instance id or --completed, not both");
      if (!id && !flags.completed) throw new UsageError("Give an instance id, or --completed [--older-than 7d]");
      if (id && flags.olderThan) throw new UsageError("--older-than goes with --completed");
      const createdBefore = flags.olderThan ? new Date(Date.now() - parseDuration("--older-than", flags.olderThan)) : undefined;
      await withEngine(ctx, {}, async (engine) => {
        const n = await engine.purge(id ?? { createdBefore });
        acted(ctx, flags, { action: "purge", ...(id ? { instanceId: id } : {}), purged: n }, `purged ${n} instance${n === 1 ? "" : "s"}`);
      });
    });
}

/** start, list, status, history, terminate, suspend, resume, restart, raise, purge. */
export function registerMonitorCommands(program: Command, ctx: CliContext): void {
  registerStart(program, ctx);
  registerQueries(program, ctx);
  registerControls(program, ctx);
}
