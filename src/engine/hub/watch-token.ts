/**
 * The watch cursor of the hub's list-then-watch (see change-log.ts), carried as a QueryInstances continuation token so
 * that the SDK's own client reaches it: `dmt-watch:1:<log>:<seq>[:more][:reset]`.
 *
 * - `log` names the hub's change log (a new database is a new log: a cursor of another log makes the hub list again);
 * - `seq` is the last change the caller has seen (0: none, list everything);
 * - `more` (answers only): more changes follow at once; `reset` (answers only): the cursor was not usable, this answer
 *   starts a full list again (the caller forgets what the list does not name).
 * A token without the prefix is an ordinary continuation token.
 */
export const WATCH_TOKEN_PREFIX = "dmt-watch:1:";

export interface WatchCursor {
  log: string;
  seq: number;
}

export interface WatchToken extends WatchCursor {
  more: boolean;
  reset: boolean;
}

/** The token a caller sends to read the changes after `cursor` (`{ log: "", seq: 0 }`: list everything). */
export function encodeWatchToken(token: WatchCursor & Partial<WatchToken>): string {
  return `${WATCH_TOKEN_PREFIX}${token.log}:${token.seq}${token.more ? ":more" : ""}${token.reset ? ":reset" : ""}`;
}

export function isWatchToken(token: string | undefined): token is string {
  return token !== undefined && token.startsWith(WATCH_TOKEN_PREFIX);
}

/** The token's parts, or undefined when it is not a well-formed watch token. */
export function decodeWatchToken(token: string): WatchToken | undefined {
  if (!isWatchToken(token)) return undefined;
  const [log, seqText, ...flags] = token.slice(WATCH_TOKEN_PREFIX.length).split(":");
  const seq = Number(seqText);
  if (log === undefined || !/^[0-9a-f]*$/.test(log) || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  if (flags.some((f) => f !== "more" && f !== "reset")) return undefined;
  return { log, seq, more: flags.includes("more"), reset: flags.includes("reset") };
}

/** The tag a watch answer puts on a placeholder state: that instance was deleted (purged) since the cursor. */
export const REMOVED_TAG = "durable-monitor-tui.removed";
