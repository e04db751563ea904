/**
 * The `http` monitor's start: one POST to `startUrl`, done once per monitor as its own durable step (the orchestrator
 * records the result and reuses it for every check; it never POSTs again). The answer must say where to poll: a job
 * id (for `{jobId}` in `url`; it wins over `Location`) or a `Location`; otherwise the monitor fails with the reason.
 * A `url` without `{jobId}` needs neither: it is polled as given when the answer has no `Location`.
 */
import type { HttpTarget } from "../monitor/spec.js";
import { fetchText, parseJsonText, parseRetryAfter, snippet } from "./http-util.js";
import { guardedFetch } from "./guarded-fetch.js";
import { substituteJobId, requestInit, trustedOrigins } from "./http.js";
import { IDEMPOTENCY_HEADER } from "./idempotency.js";
import { describeMissing, getPath } from "./json-path.js";
import type { CheckDeps } from "./types.js";

/** Where a start response's job id is looked for when `jobIdPath` is not given (the usual spellings). */
const DEFAULT_JOB_ID_PATHS = ["id", "jobId", "JobId", "job_id", "Id", "job.id"] as const;

export interface HttpStartInput {
  /** The monitor's job id (substituted in `startUrl`). */
  jobId: string;
  target: HttpTarget;
  /** Sent as `Idempotency-Key` (see idempotency.ts): the orchestrator's `<instance>:start-job@<run start>`. */
  idempotencyKey?: string;
}

/** What the start recorded: the started job's id (when the answer had one), where to poll, and Retry-After. */
export type HttpStartResult =
  | { ok: true; jobId?: string; pollUrl: string; retryAfterSeconds?: number; message: string }
  | { ok: false; message: string };

/** The `startHttpJob` activity: POSTs once and reads the answer. Never throws; never retries. */
export async function startHttpJob(input: HttpStartInput, deps: CheckDeps = {}): Promise<HttpStartResult> {
  const target = input.target;
  const startUrl = substituteJobId(target.startUrl ?? "", input.jobId);
  const init = requestInit(target, "POST");
  if (input.idempotencyKey) init.headers = { ...(init.headers as Record<string, string>), [IDEMPOTENCY_HEADER]: input.idempotencyKey };
  if (target.startBody !== undefined) {
    init.body = typeof target.startBody === "string" ? target.startBody : JSON.stringify(target.startBody);
    init.headers = { "content-type": "application/json", ...(init.headers as Record<string, string>) };
  }
  const notRetried = "(not retried: a second POST could start a second job)";
  const got = await fetchText(guardedFetch(deps, { what: "http check", trustedOrigins: trustedOrigins(target) }), startUrl, init, target.requestTimeoutSeconds * 1000);
  if (!got.ok) return { ok: false, message: `The job was not started: ${got.message} ${notRetried}` };
  const { response, text } = got;
  if (response.status < 200 || response.status > 299) {
    return {
      ok: false,
      message: `The job was not started: HTTP ${response.status} ${response.statusText} from ${startUrl}${text ? `: ${snippet(text)}` : ""} ${notRetried}`,
    };
  }
  const parsed = parseJsonText(text);
  const body = parsed.ok ? parsed.value : undefined;
  const paths = target.jobIdPath ? [target.jobIdPath] : DEFAULT_JOB_ID_PATHS;
  const idValue = paths.map((p) => getPath(body, p)).find((v) => (typeof v === "string" && v !== "") || typeof v === "number");
  const jobId = idValue === undefined ? undefined : String(idValue);
  const location = response.headers.get("location");
  const needsId = target.url.includes("{jobId}");
  let pollUrl: string;
  if (needsId && jobId !== undefined) pollUrl = substituteJobId(target.url, jobId);
  else if (location) pollUrl = new URL(location, startUrl).toString();
  else if (!needsId) pollUrl = target.url;
  else {
    const where = paths.map((p) => `\`${p}\``).join(", ");
    return {
      ok: false,
      message: `The start answer from ${startUrl} has no job id (looked at ${where}; ${describeMissing(body, paths[0]!)}) and no Location header ${notRetried}`,
    };
  }
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  const result: HttpStartResult = { ok: true, pollUrl, message: `Started job${jobId !== undefined ? ` ${jobId}` : ""}; polling ${pollUrl}` };
  if (jobId !== undefined) result.jobId = jobId;
  if (retryAfterSeconds !== undefined) result.retryAfterSeconds = retryAfterSeconds;
  return result;
}
