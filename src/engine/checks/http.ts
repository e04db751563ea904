/**
 * The `http` check: polls a job's status endpoint. Supports `{jobId}` in the URL and the asynchronous request-reply
 * pattern (202 + Location moves polling, Retry-After sets the next wait). A 2xx without a value at `statusPath` is a
 * failed check naming the keys it saw, unless the monitor says `doneOn2xx`. Every failure is a failed check (status
 * Unknown) with a message. Starting the job (`startUrl`) is a separate step: see http-start.ts.
 */
import type { HttpTarget } from "../monitor/spec.js";
import type { CheckStatus } from "../types.js";
import { guardedFetch } from "./guarded-fetch.js";
import { fetchFailure, fetchText, parseJsonText, parseRetryAfter, snippet } from "./http-util.js";
import { describeMissing, getPath, toProgress } from "./json-path.js";
import type { CheckDeps, CheckInput, CheckOutcome } from "./types.js";

const QUEUED_VALUES = ["queued", "pending", "notstarted", "not_started", "waiting", "accepted"];

/** `url` with every `{jobId}` replaced by the (URL-encoded) id. */
export function substituteJobId(url: string, jobId: string): string {
  return url.replaceAll("{jobId}", encodeURIComponent(jobId));
}

/**
 * The `checkHttp` activity: polls `pollUrl` (where the started job or a 202 moved polling), else `url` with the
 * monitor's jobId substituted. Never POSTs `startUrl` and never throws.
 */
export async function checkHttp(input: CheckInput<HttpTarget>, deps: CheckDeps = {}): Promise<CheckOutcome> {
  const target = input.target;
  const fetchFn = guardedFetch(deps, { what: "http check", trustedOrigins: trustedOrigins(target) });
  const url = input.pollUrl ?? substituteJobId(target.url, input.jobId);
  const got = await fetchText(fetchFn, url, requestInit(target, target.method), target.requestTimeoutSeconds * 1000);
  if (!got.ok) return fetchFailure(got);
  return readStatusResponse(target, url, got.response, got.text);
}

/**
 * The origins the monitor's own headers may go to: those of `url` and `startUrl` (a 202's or a start's Location on
 * another host is polled without them).
 */
export function trustedOrigins(target: HttpTarget): string[] {
  return [target.url, target.startUrl]
    .filter((u): u is string => u !== undefined)
    .flatMap((u) => {
      try {
        return [new URL(substituteJobId(u, "x")).origin];
      } catch {
        return [];
      }
    });
}

/** Reads one status response (exported for tests). */
function readStatusResponse(target: HttpTarget, url: string, response: Response, text: string): CheckOutcome {
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  const withRetry = (outcome: CheckOutcome): CheckOutcome => (retryAfterSeconds === undefined ? outcome : { ...outcome, retryAfterSeconds });
  if (response.status < 200 || response.status > 299) {
    return withRetry({ status: "Unknown", message: `HTTP ${response.status} ${response.statusText} from ${url}${text ? `: ${snippet(text)}` : ""}` });
  }
  const location = response.headers.get("location");
  const pollUrl = response.status === 202 && location ? new URL(location, url).toString() : undefined;
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    if (response.status === 202) return withRetry({ status: "Running", message: "Accepted (in progress)", ...(pollUrl ? { pollUrl } : {}) });
    return withRetry({ status: "Unknown", message: `Invalid JSON from ${url}: ${snippet(text)}` });
  }
  const body = parsed.value;
  const progress = target.progressPath ? toProgress(getPath(body, target.progressPath)) : undefined;
  const rawStatus = getPath(body, target.statusPath);
  const bodyMessage = getPath(body, "message");
  const extra = (outcome: CheckOutcome): CheckOutcome => {
    const result: CheckOutcome = { ...outcome };
    if (progress !== undefined) result.progress = progress;
    if (pollUrl) result.pollUrl = pollUrl;
    return withRetry(result);
  };
  if (rawStatus === undefined || rawStatus === null || rawStatus === "") {
    if (response.status === 202) return extra({ status: "Running", message: pollUrl ? `Accepted; polling ${pollUrl}` : "Accepted (in progress)" });
    if (target.doneOn2xx) return extra({ status: "Completed", progress: 100, message: `HTTP ${response.status} without a ${target.statusPath} value: done` });
    return extra({
      status: "Unknown",
      message: `no value at \`${target.statusPath}\` in the response (HTTP ${response.status}); ${describeMissing(body, target.statusPath)}`,
    });
  }
  const value = String(rawStatus);
  const status = classify(target, value);
  const message = typeof bodyMessage === "string" && bodyMessage !== "" ? `${value}: ${bodyMessage}` : value;
  const outcome = extra({ status, message });
  if (status === "Completed" && outcome.progress === undefined) outcome.progress = 100;
  return outcome;
}

function classify(target: HttpTarget, value: string): CheckStatus {
  const lower = value.toLowerCase();
  if (target.successValues.some((v) => v.toLowerCase() === lower)) return "Completed";
  if (target.failureValues.some((v) => v.toLowerCase() === lower)) return "Failed";
  if (QUEUED_VALUES.includes(lower)) return "Queued";
  return "Running";
}

/** The request options every http call of a monitor shares: its headers, JSON accepted. */
export function requestInit(target: HttpTarget, method: string): RequestInit {
  return { method, headers: { accept: "application/json", ...(target.headers ?? {}) } };
}
