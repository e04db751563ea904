/**
 * The `sendAlert` activity: POSTs `{ text, jobId, kind, status, instanceId }` to a webhook. `text` is what Slack and
 * Teams incoming webhooks display; the other fields are for programs. Throws on failure so the orchestrator's
 * retry policy can try again (the orchestrator catches the final failure: an alert never fails a monitor).
 */
import { webhookHost } from "../../secrets.js";
import { guardedFetch } from "./guarded-fetch.js";
import { fetchText, snippet } from "./http-util.js";
import { IDEMPOTENCY_HEADER, idempotencyKey } from "./idempotency.js";
import type { CheckDeps } from "./types.js";

export interface AlertInput {
  webhookUrl: string;
  jobId: string;
  kind: string;
  /** The monitor's final status (Completed, Failed, ConditionMet, Timeout). */
  status: string;
  instanceId: string;
  /** The last check's message, added to the text. */
  message?: string;
  /** When the monitor's run started (ISO): part of the Idempotency-Key. */
  startedAt?: string;
}

interface AlertPayload {
  text: string;
  jobId: string;
  kind: string;
  status: string;
  instanceId: string;
}

const TIMEOUT_MS = 10_000;

/** The JSON body an alert posts. */
export function alertPayload(input: AlertInput): AlertPayload {
  const detail = input.message ? `: ${input.message}` : "";
  return {
    text: `Monitor ${input.jobId} (${input.kind}) finished with ${input.status}${detail} [instance ${input.instanceId}]`,
    jobId: input.jobId,
    kind: input.kind,
    status: input.status,
    instanceId: input.instanceId,
  };
}

/** Delivers one alert, with an Idempotency-Key that is the same on every attempt (a retry, a re-run after a crash). Throws Error naming the webhook's answer when it is not 2xx (or unreachable). */
export async function sendAlert(input: AlertInput, deps: CheckDeps = {}): Promise<{ delivered: true; httpStatus: number }> {
  const got = await fetchText(
    guardedFetch(deps, { what: "alert webhook" }),
    input.webhookUrl,
    {
      method: "POST",
      headers: { "content-type": "application/json", [IDEMPOTENCY_HEADER]: idempotencyKey(input.instanceId, "alert", input.startedAt ?? "") },
      body: JSON.stringify(alertPayload(input)),
    },
    TIMEOUT_MS,
  );
  // A webhook's path is its secret (Slack, Teams): messages name the host only.
  const shown = webhookHost(input.webhookUrl);
  if (!got.ok) throw new Error(`Alert not delivered: ${got.message.replaceAll(input.webhookUrl, shown)}`);
  if (got.response.status < 200 || got.response.status > 299) {
    throw new Error(`Alert not delivered: ${shown} answered HTTP ${got.response.status}${got.text ? `: ${snippet(got.text, 100)}` : ""}`);
  }
  return { delivered: true, httpStatus: got.response.status };
}
