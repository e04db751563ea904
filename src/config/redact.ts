/**
 * Secret-free copies of profile data for display (`profiles show/list --json`): values under secret-looking keys
 * (ClientSecret, token, password, apiKey, Authorization, Cookie ...) become "***", URL query secrets (sig=, token= ...)
 * are masked, and a webhook URL keeps only its origin (the path of a Slack/Teams webhook is itself the secret).
 */
import { isSecretKey } from "../engine/connection/connection-string.js";
import { redactText, webhookHost } from "../secrets.js";

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$/i;

/** A deep copy of `value` with secrets replaced; never throws, never mutates its input. */
export function redactSecrets<T>(value: T, key = ""): T {
  if (typeof value === "string") {
    if (key && (isSecretKey(key) || SECRET_HEADER.test(key))) return "***" as T;
    if (/webhookurl$/i.test(key)) return webhookHost(value) as T;
    return redactText(value) as T;
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, key)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, k)])) as T;
  }
  return value;
}
