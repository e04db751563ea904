/**
 * One owner per database file. The process that owns the embedded hub writes an endpoint file next to the database
 * (`<db>.endpoint.json`: pid, host, port, token; mode 0600). Another process asking for the same database finds it
 * and connects as a client; an endpoint file left by a dead process is taken over.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { dirname } from "node:path";
import { silentLogger, type AppLogger } from "../../logging.js";
import { startHub, type RunningHub } from "./server.js";

export interface EmbeddedHub {
  address: string;
  token: string;
  /** True when this process runs the hub (and must release it). */
  owned: boolean;
  dbPath: string;
  /** Stops the hub if owned (and removes the endpoint file); no-op otherwise. */
  release(): Promise<void>;
}

interface Endpoint {
  pid: number;
  host: string;
  port: number;
  token: string;
}

export function endpointFileFor(dbPath: string): string {
  return `${dbPath}.endpoint.json`;
}

function readEndpoint(file: string): Endpoint | undefined {
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

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
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

async function liveEndpoint(file: string): Promise<Endpoint | undefined> {
  const endpoint = readEndpoint(file);
  if (!endpoint) return undefined;
  if (endpoint.pid !== process.pid && !pidAlive(endpoint.pid)) return undefined;
  return (await canConnect(endpoint.host, endpoint.port)) ? endpoint : undefined;
}

/**
 * Returns the embedded hub for `dbPath`: the live one another process owns, or a new one this process starts
 * (127.0.0.1, ephemeral port, random token). Throws HubStartError if a new hub cannot start.
 */
export async function acquireEmbeddedHub(options: { dbPath: string; logger?: AppLogger }): Promise<EmbeddedHub> {
  const logger = options.logger ?? silentLogger;
  const file = endpointFileFor(options.dbPath);
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    const live = await liveEndpoint(file);
    if (live) {
      logger.info("hub: using the embedded hub of process %d on %s:%d", live.pid, live.host, live.port);
      return { address: `${live.host}:${live.port}`, token: live.token, owned: false, dbPath: options.dbPath, release: async () => {} };
    }
    const stale = readEndpoint(file);
    if (stale) {
      logger.info("hub: taking over a stale endpoint file of process %d", stale.pid);
      try {
        unlinkSync(file);
      } catch {
        // someone else removed it
      }
    }
    const token = randomBytes(24).toString("base64url");
    const hub: RunningHub = await startHub({ dbPath: options.dbPath, token, logger });
    const endpoint: Endpoint = { pid: process.pid, host: hub.host, port: hub.port, token };
    try {
      writeFileSync(file, JSON.stringify(endpoint), { flag: "wx", mode: 0o600 });
    } catch (error) {
      // Another process won the race: use its hub.
      await hub.stop();
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      continue;
    }
    let released = false;
    return {
      address: hub.address,
      token,
      owned: true,
      dbPath: options.dbPath,
      async release() {
        if (released) return;
        released = true;
        await hub.stop();
        if (readEndpoint(file)?.pid === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      },
    };
  }
  throw new Error(`Could not acquire the embedded hub for ${options.dbPath}: the endpoint file ${file} keeps changing.`);
}
