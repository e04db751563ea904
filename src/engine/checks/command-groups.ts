/**
 * The process groups of running command checks, written down so that a worker that dies (kill -9, a crash, a power
 * cut of the terminal) does not leave them running: the next worker on this machine kills them before it runs
 * checks, so the check it runs again never runs twice at the same time.
 *
 * One file per worker process, `<dir>/<pid>.json`: the owner (pid and start time) and its groups (pgid, the leader's
 * start time, and a random mark put in the command's environment). Only groups whose owner is dead are killed, and only
 * when the group is still what was started: its leader has the recorded start time, or (Linux) a process of the group
 * carries the mark. A recycled pid or pgid is never killed. POSIX only (commands get no process group on Windows).
 */
import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { errorMessage } from "../../errors.js";
import type { AppLogger } from "../../logging.js";

/** The environment variable a command check runs with: its mark, for telling its processes from a recycled pid. */
export const RUN_MARK_VARIABLE = "DURABLE_MONITOR_TUI_CHECK_RUN";

interface RecordedGroup {
  pgid: number;
  /** The leader's start time when it was spawned (see processStartTime). */
  started: string;
  mark: string;
  label: string;
}

interface GroupsFile {
  owner: { pid: number; started: string };
  groups: RecordedGroup[];
}

/** Where a command's group goes while it runs. */
export interface CommandGroupRecord {
  /** A fresh mark for the next command's environment. */
  newMark(): string;
  add(pgid: number, mark: string, label: string): void;
  remove(pgid: number): void;
}

const PROC = "/proc";
const linux = process.platform === "linux";

/** The start time of a live process (not a zombie), or undefined: with the pid, what tells it from a recycled pid. */
export function processStartTime(pid: number): string | undefined {
  return processInfo(pid)?.started;
}

function processInfo(pid: number): { pgid: number; started: string } | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (linux) {
    try {
      const stat = readFileSync(`${PROC}/${pid}/stat`, "utf8");
      // After the command name (in parentheses, may contain anything): state ppid pgrp session ... starttime (field 22).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z" || fields[0] === "X") return undefined;
      return { pgid: Number(fields[2]), started: fields[19]! };
    } catch {
      return undefined;
    }
  }
  try {
    const out = execFileSync("ps", ["-o", "stat=,pgid=,lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const match = /^(\S+)\s+(\d+)\s+(.+)$/.exec(out);
    if (!match || match[1]!.startsWith("Z")) return undefined;
    return { pgid: Number(match[2]), started: match[3]! };
  } catch {
    return undefined;
  }
}

/** Linux: a live process of group `pgid` runs with `mark` in its environment. */
function markedMemberOf(pgid: number, mark: string): boolean {
  if (!linux) return false;
  const needle = `${RUN_MARK_VARIABLE}=${mark}\0`;
  for (const entry of readdirSync(PROC)) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (processInfo(pid)?.pgid !== pgid) continue;
    try {
      if (readFileSync(`${PROC}/${pid}/environ`, "utf8").includes(needle)) return true;
    } catch {
      // gone, or not ours to read
    }
  }
  return false;
}

/** The group is still the one that was recorded (and something of it runs). */
function stillOurs(group: RecordedGroup): boolean {
  const leader = processInfo(group.pgid);
  if (leader && leader.pgid === group.pgid && leader.started === group.started) return true;
  return markedMemberOf(group.pgid, group.mark);
}

class GroupsFileWriter implements CommandGroupRecord {
  private readonly groups = new Map<number, RecordedGroup>();
  private readonly file: string;
  private readonly owner: GroupsFile["owner"];

  constructor(
    private readonly dir: string,
    private readonly logger: AppLogger,
  ) {
    this.file = join(dir, `${process.pid}.json`);
    this.owner = { pid: process.pid, started: processStartTime(process.pid) ?? "" };
  }

  newMark(): string {
    return randomUUID();
  }

  add(pgid: number, mark: string, label: string): void {
    const started = processStartTime(pgid);
    if (started === undefined) return; // already gone
    this.groups.set(pgid, { pgid, started, mark, label });
    this.save();
  }

  remove(pgid: number): void {
    if (this.groups.delete(pgid)) this.save();
  }

  private save(): void {
    try {
      if (this.groups.size === 0) {
        rmSync(this.file, { force: true });
        return;
      }
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const body: GroupsFile = { owner: this.owner, groups: [...this.groups.values()] };
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (error) {
      this.logger.warn("cannot record running commands in %s: %s", this.dir, errorMessage(error));
    }
  }
}

const writers = new Map<string, GroupsFileWriter>();

/** This process's record in `dir` (one per process: engines in the same process share it). Undefined on Windows. */
export function commandGroupRecord(dir: string, logger: AppLogger): CommandGroupRecord | undefined {
  if (process.platform === "win32") return undefined;
  let writer = writers.get(dir);
  if (!writer) writers.set(dir, (writer = new GroupsFileWriter(dir, logger)));
  return writer;
}

/**
 * Kills (SIGKILL) the process groups recorded in `dir` by workers that are dead, when they are still what those
 * workers started, and removes their files. Leaves live workers' files alone. Returns the groups killed.
 * Never throws (an unreadable file is logged and removed).
 */
export function killOrphanedGroups(dir: string, logger: AppLogger): RecordedGroup[] {
  const killed: RecordedGroup[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  } catch {
    return killed;
  }
  for (const name of names) {
    const file = join(dir, name);
    const record = readRecord(file, logger);
    if (!record || processStartTime(record.owner?.pid) === record.owner?.started) continue;
    killed.push(...killRecorded(file, record, logger));
  }
  return killed;
}

/**
 * Kills the groups this process recorded, when its worker ran in a thread that died (engine-thread-runner.ts): that
 * thread's commands outlive it and nothing else would end them; its successor runs their checks again. Returns the
 * groups killed. Never throws.
 */
export function killThisProcessGroups(dir: string, logger: AppLogger): RecordedGroup[] {
  const file = join(dir, `${process.pid}.json`);
  const record = readRecord(file, logger);
  return record ? killRecorded(file, record, logger) : [];
}

function readRecord(file: string, logger: AppLogger): GroupsFile | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as GroupsFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    logger.warn("running commands: unreadable %s (%s); removed", file, errorMessage(error));
    rmSync(file, { force: true });
    return undefined;
  }
}

function killRecorded(file: string, record: GroupsFile, logger: AppLogger): RecordedGroup[] {
  const killed: RecordedGroup[] = [];
  for (const group of record.groups ?? []) {
    if (!stillOurs(group)) continue;
    try {
      process.kill(-group.pgid, "SIGKILL");
      killed.push(group);
      logger.warn("killed command '%s' (process group %d) left running by worker %d, which is gone", group.label, group.pgid, record.owner.pid);
    } catch (error) {
      logger.debug("process group %d: %s", group.pgid, errorMessage(error));
    }
  }
  rmSync(file, { force: true });
  return killed;
}
