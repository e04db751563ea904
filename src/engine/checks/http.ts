/**
 * The `http` check: polls a job's status endpoint. Supports starting the job first (`startUrl`), `{jobId}` in the
 * URL, and the asynchronous request-reply pattern (202 + Location moves polling, Retry-After sets the next wait,
 * a 200/201 without a status value means done). Every failure is a failed check (status Unknown) with a message.
 */
import type { HttpTarget } from "../monitor/spec.js";
import type { CheckStatus } from "../types.js";
import { fetchText, parseJsonText, parseRetryAfter, snippet } from "./http-util.js";
import { getPath, toProgress } from "./json-path.js";
import type { CheckDeps, CheckInput, CheckOutcome } from "./types.js";

const QUEUED_VALUES = ["queued", "pending", "notstarted", "not_started", "waiting", "accepted"];
/** Where a start response's job id is looked for when `jobIdPath` is not given. */
const DEFAULT_JOB_ID_PATHS = ["jobId", "id", "job.id"];

/** `url` with every `{jobId}` replaced by the (URL-encoded) id. */
export function substituteJobId(url: string, jobId: string): string {
  return url.replaceAll("{jobId}", encodeURIComponent(jobId));
}

/**
 * The `checkHttp` activity. With `startUrl` and no `pollUrl` yet, it starts the job (POST) and returns the URL to
 * poll in `pollUrl`; otherwise it polls `pollUrl` (or `url` with the monitor's jobId substituted). Never throws.
 */
export async function checkHttp(input: CheckInput<HttpTarget>, deps: CheckDeps = {}): Promise<CheckOutcome> {
  const fetchFn = deps.fetch ?? fetch;
  const target = input.target;
  if (target.startUrl && !input.pollUrl) return startJob(input, fetchFn);
  const url = input.pollUrl ?? substituteJobId(target.url, input.jobId);
  const got = await fetchText(fetchFn, url, requestInit(target, target.method), target.requestTimeoutSeconds * 1000);
  if (!got.ok) return { status: "Unknown", message: got.message };
  return readStatusResponse(target, url, got.response, got.text);
}

/** Reads one status response (exported for tests). */
export function readStatusResponse(target: HttpTarget, url: string, response: Response, text: string): CheckOutcome {
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
    if (response.status === 204 || response.status === 200 || response.status === 201) {
      return extra({ status: "Completed", progress: 100, message: `HTTP ${response.status} without a ${target.statusPath} value: done` });
    }
    return extra({ status: "Running", message: `HTTP ${response.status}` });
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

async function startJob(input: CheckInput<HttpTarget>, fetchFn: typeof fetch): Promise<CheckOutcome> {
  const target = input.target;
  const startUrl = substituteJobId(target.startUrl!, input.jobId);
  const init = requestInit(target, "POST");
  if (target.startBody !== undefined) {
    init.body = typeof target.startBody === "string" ? target.startBody : JSON.stringify(target.startBody);
    init.headers = { "content-type": "application/json", ...(init.headers as Record<string, string>) };
  }
  const got = await fetchText(fetchFn, startUrl, init, target.requestTimeoutSeconds * 1000);
  if (!got.ok) return { status: "Unknown", message: `Could not start the job: ${got.message}` };
  const { response, text } = got;
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  if (response.status < 200 || response.status > 299) {
    return {
      status: "Unknown",
      message: `Could not start the job: HTTP ${response.status} ${response.statusText} from ${startUrl}${text ? `: ${snippet(text)}` : ""}`,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  const parsed = parseJsonText(text);
  const body = parsed.ok ? parsed.value : undefined;
  const paths = target.jobIdPath ? [target.jobIdPath] : DEFAULT_JOB_ID_PATHS;
  const idValue = paths.map((p) => getPath(body, p)).find((v) => typeof v === "string" || typeof v === "number");
  const location = response.headers.get("location");
  let pollUrl: string;
  if (target.url.includes("{jobId}")) {
    if (idValue === undefined) {
      if (!location) {
        return { status: "Unknown", message: `The start response from ${startUrl} has no job id at ${paths.join(" or ")}` };
      }
      pollUrl = new URL(location, startUrl).toString();
    } else {
      pollUrl = substituteJobId(target.url, String(idValue));
    }
  } else if (location) {
    pollUrl = new URL(location, startUrl).toString();
  } else {
    pollUrl = target.url;
  }
  const outcome: CheckOutcome = {
    status: "Queued",
    message: `Started job${idValue !== undefined ? ` ${String(idValue)}` : ""}; polling ${pollUrl}`,
    pollUrl,
  };
  if (retryAfterSeconds !== undefined) outcome.retryAfterSeconds = retryAfterSeconds;
  return outcome;
}

function requestInit(target: HttpTarget, method: string): RequestInit {
  return { method, headers: { accept: "application/json", ...(target.headers ?? {}) } };
}
