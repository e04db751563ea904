/**
 * Where a watch gets its instances, one refresh at a time, page by page: from our hub, list once then only the changes
 * since a cursor (the hub's change log, reached through QueryInstances with a watch token); from any other backend
 * (DTS, its emulator), the whole paged query every refresh.
 */
import type { OrchestrationState, TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { REMOVED_TAG, decodeWatchToken, encodeWatchToken, type WatchCursor } from "./hub/watch-token.js";
import { QUERY_PAGE_SIZE, instancesWithoutPayloads } from "./query.js";
import { runtimeStatusFromSdk } from "./snapshot.js";
import type { InstanceFilter } from "./types.js";

/** The first page of a first list: about a screen of rows, so the table draws them before the rest arrives. */
export const FIRST_PAGE_SIZE = 50;

interface FeedPage {
  /** Instances new or changed (in a list: every instance of the page). */
  states: OrchestrationState[];
  /** Instances gone (deleted, or no longer matching the filter). */
  removed: string[];
}

/**
 * "list": the refresh's pages named every matching instance (what they did not name is gone);
 * "changes": they carried only what changed since the previous refresh.
 */
type RefreshKind = "list" | "changes";

export interface InstanceFeed {
  /**
   * One refresh: calls `onPage` with each page as it arrives (and waits for it) and resolves with what the pages
   * were. Throws the SDK's gRPC error of a failed call (the next refresh starts over where this one stood).
   */
  refresh(onPage: (page: FeedPage) => Promise<void>): Promise<RefreshKind>;
}

/** True when the instance passes the filter (the same rules as the query's). */
function matchesFilter(state: OrchestrationState, filter: InstanceFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.statuses?.length && !filter.statuses.includes(runtimeStatusFromSdk(state.runtimeStatus))) return false;
  if (filter.instanceIdPrefix && !state.instanceId.startsWith(filter.instanceIdPrefix)) return false;
  if (filter.createdFrom && state.createdAt < filter.createdFrom) return false;
  if (filter.createdTo && state.createdAt > filter.createdTo) return false;
  return true;
}

/** A page that takes longer counts as failed (a silent network can hold a call for minutes). */
const PAGE_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 4 /* DEADLINE_EXCEEDED */ })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The client to call now (a connection may replace its client, e.g. when it takes a hub over). */
type ClientOf = () => TaskHubGrpcClient;

/** One page of QueryInstances without payloads, from `token` (fails after PAGE_TIMEOUT_MS). */
function queryPage(
  client: ClientOf,
  filter: InstanceFilter,
  pageSize: number,
  token: string | undefined,
): Promise<{ states: OrchestrationState[]; token?: string }> {
  return withTimeout(readOnePage(client(), filter, pageSize, token), PAGE_TIMEOUT_MS);
}

/** The SDK's pager, asked for one page only. */
async function readOnePage(
  client: TaskHubGrpcClient,
  filter: InstanceFilter,
  pageSize: number,
  token: string | undefined,
): Promise<{ states: OrchestrationState[]; token?: string }> {
  const pageable = instancesWithoutPayloads(client, filter, pageSize);
  const pages = pageable.asPages(token, pageSize)[Symbol.asyncIterator]();
  const first = await pages.next();
  await pages.return?.();
  if (first.done) return { states: [] };
  return { states: [...first.value.values], token: first.value.continuationToken || undefined };
}

/** Every refresh lists every matching instance, page by page (the first page of the first list is small). */
export function pagedQueryFeed(client: ClientOf, filter: InstanceFilter = {}): InstanceFeed {
  let listed = false;
  return {
    async refresh(onPage) {
      let token: string | undefined;
      let size = listed ? QUERY_PAGE_SIZE : FIRST_PAGE_SIZE;
      do {
        const page = await queryPage(client, filter, size, token);
        await onPage({ states: page.states, removed: [] });
        token = page.token;
        size = QUERY_PAGE_SIZE;
      } while (token);
      listed = true;
      return "list";
    },
  };
}

/**
 * List then watch, on our hub: the first refresh lists through the change log from cursor 0, later ones read only the
 * changes since the cursor. A hub that answers a watch token with anything but a watch token (an older hub, another
 * backend) is read with the paged query from then on. The filter is applied here: the hub sends every change.
 */
export function hubWatchFeed(client: ClientOf, filter: InstanceFilter = {}, onFallback?: (why: string) => void): InstanceFeed {
  let cursor: WatchCursor = { log: "", seq: 0 };
  /** A watch answer came: from now on an error is an error, not a sign that the backend does not know the token. */
  let confirmed = false;
  let fallback: InstanceFeed | undefined;
  const toPage = (states: OrchestrationState[]): FeedPage => {
    const page: FeedPage = { states: [], removed: [] };
    for (const s of states) {
      if (s.tags?.[REMOVED_TAG] || !matchesFilter(s, filter)) page.removed.push(s.instanceId);
      else page.states.push(s);
    }
    return page;
  };
  const fallBack = (why: string, onPage: (page: FeedPage) => Promise<void>) => {
    fallback = pagedQueryFeed(client, filter);
    onFallback?.(why);
    return fallback.refresh(onPage);
  };
  return {
    async refresh(onPage) {
      if (fallback) return fallback.refresh(onPage);
      let kind: RefreshKind = cursor.seq === 0 ? "list" : "changes";
      let size = cursor.seq === 0 ? FIRST_PAGE_SIZE : QUERY_PAGE_SIZE;
      try {
        for (;;) {
          let answer: { states: OrchestrationState[]; token?: string };
          try {
            answer = await queryPage(client, {}, size, encodeWatchToken(cursor));
          } catch (error) {
            if (!confirmed && refusesToken(error)) return await fallBack(`the backend refused a watch token (${(error as Error).message})`, onPage);
            throw error;
          }
          const next = answer.token ? decodeWatchToken(answer.token) : undefined;
          if (!next) return await fallBack("the backend answered a watch token with a plain page", onPage);
          confirmed = true;
          if (next.reset) kind = "list";
          const page = toPage(answer.states);
          cursor = { log: next.log, seq: next.seq };
          await onPage(kind === "list" ? { states: page.states, removed: [] } : page);
          if (!next.more) return kind;
          size = QUERY_PAGE_SIZE;
        }
      } catch (error) {
        // A list cut short is listed again from the start: only a whole list tells what is gone.
        if (kind === "list") cursor = { log: "", seq: 0 };
        throw error;
      }
    },
  };
}

/** gRPC codes that say "not this request" rather than "not now" (unavailable, deadline, auth): the token is unknown. */
function refusesToken(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  return code === 2 /* UNKNOWN */ || code === 3 /* INVALID_ARGUMENT */ || code === 9 /* FAILED_PRECONDITION */ || code === 11 /* OUT_OF_RANGE */ || code === 12 /* UNIMPLEMENTED */ || code === 13 /* INTERNAL */;
}
