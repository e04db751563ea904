/**
 * The endpoint file next to a hub database (`<db>.endpoint.json`: pid, host, port, token; mode 0600): whoever serves
 * the database (the embedded owner or a standalone `hub`) publishes where it listens, so every other process of ours
 * on this machine connects to it instead of opening the file a second time. The database's own lock (sqlite-store)
 * is what guarantees one server; this file is how the others find it.
 */
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";

export interface Endpoint {
  pid: number;
  host: string;
  port: number;
  /** The bearer token clients send; "" for a hub without one (`hub --insecure`). */
  token: string;
  /**
   * True when a standalone `hub` serves the database, or served it once (sharedMarkFor): its token is handed to SDK apps
   * (and maybe other users), so a worker joining it must not treat it as the private embedded hub. Absent (older files,
   * an embedded owner of a database no standalone hub served): false.
   */
  shared?: boolean;
}

export function endpointFileFor(dbPath: string): string {
  return `${dbPath}.endpoint.json`;
}

/**
 * The mark a standalone `hub` leaves next to a database it serves (`<db>.shared`), and does not remove: its token was
 * handed to SDK apps, so the database may hold their orchestrations (an app's own `monitor`) and monitors that anyone
 * with the token started (a command line). An embedded owner that takes such a database over keeps treating it as
 * shared (Endpoint.shared): no legacy names, the checks' policy of a shared hub. Deleting the file makes it private.
 */
export function sharedMarkFor(dbPath: string): string {
  return `${dbPath}.shared`;
}

export function markShared(dbPath: string): void {
  const mark = sharedMarkFor(dbPath);
  if (existsSync(mark)) return;
  writeFileSync(
    mark,
    "A standalone durable-monitor-tui hub served this database: other apps may have work in it. Dashboards and workers\n" +
      "that open it as their embedded hub treat it as shared. Delete this file to make the database private again.\n",
    { mode: 0o600 },
  );
}

export const servedShared = (dbPath: string): boolean => existsSync(sharedMarkFor(dbPath));

export function readEndpoint(file: string): Endpoint | undefined {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<Endpoint>;
    if (typeof value.pid === "number" && typeof value.port === "number" && typeof value.token === "string" && typeof value.host === "string") {
      return value as Endpoint;
    }
  } catch {
    // missing or unreadable: treated as absent
  }
  return undefined;
}

/** True while a process with this id exists (also when it is another user's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  // Loaded here: the CLI reads endpoint files before it knows whether it will dial (pre-dial-hub.ts).
  const { createConnection } = await import("node:net");
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** The published endpoint when its process is alive and its port answers; undefined otherwise. */
export async function liveEndpoint(file: string): Promise<Endpoint | undefined> {
  const endpoint = readEndpoint(file);
  if (!endpoint) return undefined;
  if (endpoint.pid !== process.pid && !pidAlive(endpoint.pid)) return undefined;
  return (await canConnect(endpoint.host, endpoint.port)) ? endpoint : undefined;
}

/**
 * Publishes this process's endpoint in place of whatever file is there. Call it only while holding the database's
 * lock: whoever wrote an earlier file no longer holds it, so that file is stale. Written to a temporary file and
 * renamed, so a reader never sees it half-written. Returns the replaced endpoint, if one was readable.
 */
export function claimEndpoint(file: string, endpoint: Omit<Endpoint, "pid">): Endpoint | undefined {
  const stale = readEndpoint(file);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ pid: process.pid, ...endpoint }), { mode: 0o600 });
  renameSync(temporary, file);
  return stale;
}

/** Removes the endpoint file if this process published it. Call it before releasing the lock (see claimEndpoint). */
export function withdrawEndpoint(file: string): void {
  if (readEndpoint(file)?.pid !== process.pid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** The host a local client dials for a hub bound to `bindHost` (an unspecified address is reached on loopback). */
/** `host:port` for a gRPC address, an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

export function dialHost(bindHost: string): string {
  return bindHost === "0.0.0.0" ? "127.0.0.1" : bindHost === "::" || bindHost === "[::]" ? "::1" : bindHost;
}
