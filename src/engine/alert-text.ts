/**
 * The words for a monitor's alert outcome, shared by `status` and the details screen.
 */
import type { AlertRecord } from "./types.js";

/** "sent (Completed)", "failed: <why> (Timeout)", "not sent yet" (a webhook is set) or "none" (no webhook). */
export function alertText(alert: AlertRecord | undefined, webhookConfigured: boolean): string {
  if (alert?.outcome === "sent") return `sent (${alert.for})`;
  if (alert?.outcome === "failed") return `failed: ${alert.error ?? "unknown error"} (${alert.for})`;
  return webhookConfigured ? "not sent" : "none (no webhook)";
}
