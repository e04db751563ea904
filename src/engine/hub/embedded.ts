/**
 * One owner per database file. The process that owns the embedded hub publishes its endpoint next to the database
 * (endpoint-file.ts). Another process asking for the same database finds it and connects as a client; an endpoint
 * file is replaced only by the process that got the database's lock, so a live owner's file is never removed (its
 * writer may be slow to answer, or still writing it). The database's SQLite lock makes a second server impossible: a
 * process that finds the file locked but no live endpoint (a hub of an older release, or one whose endpoint file
 * was removed) waits briefly for the endpoint to appear, then refuses with DatabaseLockedError.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { silentLogger, type AppLogger } from "../../logging.js";
import { claimEndpoint, endpointFileFor, hostPort, liveEndpoint, servedShared, withdrawEndpoint } from "./endpoint-file.js";
import { HubStartError, startHub, type RunningHub } from "./server.js";
import { DatabaseLockedError } from "./store.js";

export { endpointFileFor } from "./endpoint-file.js";

export interface EmbeddedHub {
  address: string;
  token: string;
  /** True when this process runs the hub (and must release it). */
  owned: boolean;
  /** True when a standalone `hub` serves it, or once served it (shared with other apps): see Endpoint.shared, sharedMarkFor. */
  shared: boolean;
  dbPath: string;
  /** Owned only: asks the database directly (see Store.hasInstanceNamed). */
  hasInstanceNamed?: RunningHub["hasInstanceNamed"];
  /** Stops the hub if owned (and removes the endpoint file); no-op otherwise. */
  release(): Promise<void>;
}

const ATTEMPTS = 10;
const LOCKED_RETRY_MS = 300;

/**
 * Returns the embedded hub for `dbPath`: the live one another process serves (embedded owner or standalone `hub`),
 * or a new one this process starts (127.0.0.1, ephemeral port, random token).
 * Throws DatabaseLockedError when another process holds the database but publishes no endpoint; HubStartError if a
 * new hub cannot start.
 */
export async function acquireEmbeddedHub(options: { dbPath: string; logger?: AppLogger }): Promise<EmbeddedHub> {
  const logger = options.logger ?? silentLogger;
  const file = endpointFileFor(options.dbPath);
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const live = await liveEndpoint(file);
    if (live) {
      logger.info("hub: using the hub of process %d on %s:%d", live.pid, live.host, live.port);
      return { address: hostPort(live.host, live.port), token: live.token, owned: false, shared: live.shared === true, dbPath: options.dbPath, release: async () => {} };
    }
    const token = randomBytes(24).toString("base64url");
    let hub: RunningHub;
    try {
      hub = await startHub({ dbPath: options.dbPath, token, logger });
    } catch (error) {
      if (!(error instanceof HubStartError && error.reason === "locked")) throw error;
      // Its owner may be starting (endpoint not written yet), busy (its port slow to answer) or stopping (lock not yet
      // released): look again. Its endpoint file is left alone: only the lock's holder may replace it.
      if (attempt === ATTEMPTS - 1) throw error.cause instanceof DatabaseLockedError ? error.cause : error;
      logger.info("hub: the database is held by another process that does not answer yet; looking again");
      await sleep(LOCKED_RETRY_MS);
      continue;
    }
    // A database a standalone hub served stays shared: those who join this owner are told so too.
    const shared = servedShared(options.dbPath);
    const stale = claimEndpoint(file, { host: hub.host, port: hub.port, token, ...(shared ? { shared } : {}) });
    if (stale) logger.info("hub: taking over from process %d, which no longer holds the database", stale.pid);
    let released = false;
    return {
      address: hub.address,
      token,
      owned: true,
      shared,
      dbPath: options.dbPath,
      hasInstanceNamed: hub.hasInstanceNamed,
      async release() {
        if (released) return;
        released = true;
        withdrawEndpoint(file);
        await hub.stop();
      },
    };
  }
  throw new Error(`Could not acquire the embedded hub for ${options.dbPath}: the endpoint file ${file} keeps changing.`);
}
