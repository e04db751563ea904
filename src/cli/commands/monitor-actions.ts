/** What the monitor commands do (their options and help are in monitors.ts; this module loads when one runs). */
import { ExitCode, NotFoundError, UsageError } from "../../errors.js";
import type { MonitorSnapshot, RuntimeStatus } from "../../engine/types.js";
import { DISPLAY_STATUS_INFO, displayStatusOf, parseDisplayStatus, runtimeStatusesFor, type DisplayStatus } from "../../engine/display-status.js";
import type { LocalEngine } from "../../engine/create-engine.js";
import { EVENT_POLL_NOW, EVENT_SET_INTERVAL, isOwnMonitorOrchestration } from "../../engine/monitor/names.js";
import { parseIntervalEventData } from "../../engine/monitor/status.js";
import type { CliContext } from "../context.js";
import { commandProfile, withCommandEngine, withEngine } from "../engine-session.js";
import type { CommandEngine } from "../../engine/lean-engine.js";
import { historyJson, monitorJson } from "../monitor-json.js";
import { historyText, monitorDetails, monitorTable, outcomeText } from "../monitor-text.js";
import { printError, printJson, printLine } from "../output.js";
import { redactSecrets } from "../../config/redact.js";
import { safeText } from "../../secrets.js";
import { parseDuration, specFromFlags, type StartFlags } from "../start-flags.js";
import { readSpecLines } from "../spec-lines.js";
import { forEachInFlight } from "../../engine/in-flight.js";
import { prepareMonitorInput } from "../../engine/monitor/input.js";

const NO_WORKER_HINT = "no worker is running for this hub: the monitor waits until one does — open the dashboard (`durable-monitor-tui`) or run `durable-monitor-tui worker`";

/** How long `start` waits for a worker to pick its monitor up before it says none is running (a running one takes tens of ms). */
const WORKER_PICKUP_MS = 1500;

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
async function withPayloads(engine: CommandEngine, list: MonitorSnapshot[]): Promise<MonitorSnapshot[]> {
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

export interface StartCommandFlags extends StartFlags {
  specs?: string;
  wait?: boolean;
  worker?: boolean;
  json?: boolean;
}

export async function start(ctx: CliContext, flags: StartCommandFlags): Promise<void> {
  if (flags.specs !== undefined) return startFromSpecLines(ctx, flags);
  const profile = commandProfile(ctx);
  const spec = specFromFlags(flags, profile);
  if (!flags.wait) {
    // The job id the engine would draw, drawn here: --json prints it without reading the new instance back.
    const { jobId, kind } = prepareMonitorInput(spec, profile.defaults).spec;
    return withCommandEngine(
      ctx,
      async (engine) => {
        const id = await engine.start({ ...spec, jobId });
        await printStarted(ctx, engine, id, flags.json ? redactSecrets({ instanceId: id, jobId, kind }) : undefined);
      },
      profile,
    );
  }
  const runWorker = flags.worker !== false;
  await withEngine(
    ctx,
    { withWorker: runWorker },
    async (engine) => {
      const id = await engine.start(spec);
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

export async function list(ctx: CliContext, flags: { status?: string; name?: string; json?: boolean; payloads?: boolean }): Promise<void> {
  const statuses = flags.status ? parseStatuses(flags.status) : undefined;
  const names = flags.name ? parseNames(flags.name) : undefined;
  if (flags.payloads && !flags.json) throw new UsageError("--payloads goes with --json");
  await withCommandEngine(ctx, async (engine) => {
    // The table's columns need no payloads of ours (their custom status tells them); --json carries spec and output.
    const all = await engine.list(statuses ? { statuses: runtimeStatusesFor(statuses) } : {}, { tableOnly: !flags.json });
    let list = all.filter((m) => (!statuses || statuses.includes(displayStatusOf(m))) && (!names || names.has(m.name.toLowerCase())));
    if (flags.payloads) list = await withPayloads(engine, list);
    if (flags.json) printJson(ctx.io, redactSecrets(list.map(monitorJson)));
    else printLine(ctx.io, list.length ? safeText(await monitorTable(list)) : "No monitors.");
  });
}

export async function status(ctx: CliContext, id: string, flags: { json?: boolean }): Promise<void> {
  await withCommandEngine(ctx, async (engine) => {
    const s = await engine.get(id);
    if (!s) throw new NotFoundError(`No instance '${id}' in task hub '${engine.connection.taskHub}'`);
    if (flags.json) printJson(ctx.io, redactSecrets(monitorJson(s)));
    else printLine(ctx.io, safeText(monitorDetails(s)));
  });
}

export async function history(ctx: CliContext, id: string, flags: { json?: boolean }): Promise<void> {
  await withEngine(ctx, {}, async (engine) => {
    const h = await engine.history(id);
    if (flags.json) printJson(ctx.io, redactSecrets(historyJson(h)));
    else printLine(ctx.io, safeText(await historyText(h)));
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

/** terminate, suspend, resume: what each is called, says, and counts as already done. */
export interface StateAction {
  action: "terminate" | "suspend" | "resume";
  description: string;
  reasonHelp: string;
  done: string;
  isAlready(status: RuntimeStatus): boolean;
}

export async function moveToState(ctx: CliContext, { action, done, isAlready }: StateAction, id: string, flags: { reason?: string; json?: boolean }): Promise<void> {
  await withCommandEngine(ctx, async (engine) => {
    const s = await engine.get(id);
    if (!s) throw new NotFoundError(`No instance '${id}' in task hub '${engine.connection.taskHub}'`);
    if (isAlready(s.runtimeStatus)) {
      const status = DISPLAY_STATUS_INFO[displayStatusOf(s)];
      printError(ctx.io, `note: ${id} is ${status.word}: nothing to ${action}`);
      if (flags.json) printJson(ctx.io, { ok: true, action, instanceId: id, changed: false, status: status.key });
      return;
    }
    await engine[action](id, flags.reason, s);
    acted(ctx, flags, { action, instanceId: id, changed: true }, `${done} ${id}`);
  });
}

/** Prints the new instance's id (or JSON), with a note when no worker will run it. */
async function printStarted(ctx: CliContext, engine: CommandEngine, id: string, json: Record<string, unknown> | undefined): Promise<void> {
  if (json) printJson(ctx.io, json);
  else printLine(ctx.io, id);
  if (engine.connection.kind === "embedded" && (engine.ownsHub || !(await engine.waitUntilStarted(id, WORKER_PICKUP_MS)))) {
    printError(ctx.io, `note: ${NO_WORKER_HINT}`);
  }
}

export async function restart(ctx: CliContext, id: string, flags: { json?: boolean }): Promise<void> {
  await withCommandEngine(ctx, async (engine) => {
    const newId = await engine.restart(id, { newInstanceId: true });
    await printStarted(ctx, engine, newId, flags.json ? { ok: true, action: "restart", instanceId: id, newInstanceId: newId } : undefined);
  });
}

export async function raise(ctx: CliContext, id: string, event: string, flags: { data?: string; json?: boolean }): Promise<void> {
  let data: unknown;
  if (flags.data !== undefined) {
    try {
      data = JSON.parse(flags.data);
    } catch (error) {
      throw new UsageError(`--data must be JSON (${error instanceof Error ? error.message : String(error)}); quote strings: --data '"text"'`);
    }
  }
  await withCommandEngine(ctx, async (engine) => {
    const target = await engine.get(id);
    if (target && isOwnMonitorOrchestration(target.name)) checkMonitorEvent(event, data);
    await engine.raise(id, event, data, target);
    acted(ctx, flags, { action: "raise", instanceId: id, event }, `raised ${event} on ${id}`);
  });
}

export async function purge(ctx: CliContext, id: string | undefined, flags: { completed?: boolean; olderThan?: string; json?: boolean }): Promise<void> {
  if (id && flags.completed) throw new UsageError("Give an instance id or --completed, not both");
  if (!id && !flags.completed) throw new UsageError("Give an instance id, or --completed [--older-than 7d]");
  if (id && flags.olderThan) throw new UsageError("--older-than goes with --completed");
  const createdBefore = flags.olderThan ? new Date(Date.now() - parseDuration("--older-than", flags.olderThan)) : undefined;
  await withCommandEngine(ctx, async (engine) => {
    const n = await engine.purge(id ?? { createdBefore });
    acted(ctx, flags, { action: "purge", ...(id ? { instanceId: id } : {}), purged: n }, `purged ${n} instance${n === 1 ? "" : "s"}`);
  });
}
