/**
 * Durable Task Scheduler connection strings: `Endpoint=...;Authentication=...;TaskHub=...[;ClientID=...][;TenantId=...]`.
 *
 * Rules (shared by the config file, the env override and `profiles add`):
 * - segments are separated by `;`; one trailing `;` is allowed, an empty segment anywhere else is an error;
 * - each segment is `Key=Value`; keys are matched case-insensitively, values are trimmed and may contain `=`;
 * - `Endpoint` (an http:// or https:// URL) and `Authentication` are required;
 * - `Authentication` is matched case-insensitively and normalised to the Scheduler's spelling (`defaultazure` → `DefaultAzure`);
 * - `TaskHub` is optional and defaults to "default" (what the emulator and the samples use);
 * - a key given twice, an unknown key (the closest valid one is suggested) or a secret-looking key is an error.
 * Error messages never repeat a value that could be a secret.
 */
import { ConfigError } from "../../errors.js";
import { AUTHENTICATION_TYPES, type AuthenticationType, type DtsConnection } from "../../config/types.js";
import { didYouMean } from "../../config/suggest.js";

/** The keys a connection string may hold, spelled as the Durable Task Scheduler spells them. */
export const CONNECTION_STRING_KEYS = ["Endpoint", "Authentication", "TaskHub", "ClientID", "TenantId"] as const;
export type ConnectionStringKey = (typeof CONNECTION_STRING_KEYS)[number];

/** The task hub used when a connection string has no TaskHub. */
export const DEFAULT_TASK_HUB = "default";

/** A malformed connection string. `problem` is the bare reason, without any prefix, for embedding in other messages. */
export class ConnectionStringError extends ConfigError {
  constructor(readonly problem: string) {
    super(`invalid connection string: ${problem}`);
  }
}

const SECRET_KEY = /secret|key|token|password|passwd|pwd|signature|^sig$|credential/i;
const SECRET_QUERY = /([?&](?:sig|signature|token|access_token|code|key|secret|password|pwd)=)[^&;\s]*/gi;

/** True for a key whose value should never be shown (ClientSecret, AccountKey, SharedAccessKey, Token, Password, sig ...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.trim());
}

/** Parses and validates a connection string. Throws ConnectionStringError naming the bad part. */
export function parseConnectionString(input: string): DtsConnection {
  const values = new Map<ConnectionStringKey, string>();
  const segments = input.split(";");
  if (segments.length > 1 && segments[segments.length - 1]!.trim() === "") segments.pop();
  if (segments.length === 1 && segments[0]!.trim() === "") {
    throw new ConnectionStringError("it is empty (expected Endpoint=...;Authentication=...;TaskHub=...)");
  }
  segments.forEach((segment, index) => {
    if (segment.trim() === "") throw new ConnectionStringError(`segment ${index + 1} is empty (two ';' in a row)`);
    const eq = segment.indexOf("=");
    if (eq < 0) {
      throw new ConnectionStringError(`segment ${index + 1} is not Key=Value (its text is not shown: it may be a secret)`);
    }
    const rawKey = segment.slice(0, eq).trim();
    const value = segment.slice(eq + 1).trim();
    if (rawKey === "") throw new ConnectionStringError(`segment ${index + 1} has no key before '='`);
    const key = CONNECTION_STRING_KEYS.find((k) => k.toLowerCase() === rawKey.toLowerCase());
    if (!key) {
      if (isSecretKey(rawKey)) {
        throw new ConnectionStringError(
          `unknown key '${rawKey}': a Durable Task Scheduler connection string holds no secrets; ` +
            `use Authentication=Environment (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET) or another identity instead`,
        );
      }
      const suggestion = didYouMean(rawKey, CONNECTION_STRING_KEYS);
      throw new ConnectionStringError(
        `unknown key '${rawKey}'${suggestion || ` (valid keys: ${CONNECTION_STRING_KEYS.join(", ")})`}`,
      );
    }
    if (values.has(key)) throw new ConnectionStringError(`duplicate key '${key}'`);
    if (value === "") throw new ConnectionStringError(`'${key}' has no value`);
    values.set(key, value);
  });

  const endpoint = values.get("Endpoint");
  if (endpoint === undefined) throw new ConnectionStringError("missing Endpoint (e.g. Endpoint=http://localhost:8080)");
  checkEndpoint(endpoint);

  const auth = values.get("Authentication");
  if (auth === undefined) {
    throw new ConnectionStringError(`missing Authentication (one of ${AUTHENTICATION_TYPES.join(", ")}; the emulator uses None)`);
  }
  const authentication = AUTHENTICATION_TYPES.find((t) => t.toLowerCase() === auth.toLowerCase());
  if (!authentication) {
    throw new ConnectionStringError(
      `unknown Authentication '${auth}'${didYouMean(auth, AUTHENTICATION_TYPES)} (valid: ${AUTHENTICATION_TYPES.join(", ")})`,
    );
  }

  const parsed: DtsConnection = {
    endpoint,
    authentication: authentication as AuthenticationType,
    taskHub: values.get("TaskHub") ?? DEFAULT_TASK_HUB,
  };
  const clientId = values.get("ClientID");
  const tenantId = values.get("TenantId");
  if (clientId !== undefined) parsed.clientId = clientId;
  if (tenantId !== undefined) parsed.tenantId = tenantId;
  return parsed;
}

function checkEndpoint(endpoint: string): void {
  const shown = redactUrl(endpoint);
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || /\s/.test(endpoint) || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    const hint = /^[\w.-]+(:\d+)?(\/.*)?$/.test(endpoint) ? ` (did you mean 'https://${shown}'?)` : "";
    throw new ConnectionStringError(`Endpoint '${shown}' is not an http:// or https:// URL${hint}`);
  }
}

/** Formats a parsed connection back into its canonical string (keys in the Scheduler's order and spelling). */
export function formatConnectionString(connection: DtsConnection): string {
  const parts = [`Endpoint=${connection.endpoint}`, `Authentication=${connection.authentication}`, `TaskHub=${connection.taskHub}`];
  if (connection.clientId !== undefined) parts.push(`ClientID=${connection.clientId}`);
  if (connection.tenantId !== undefined) parts.push(`TenantId=${connection.tenantId}`);
  return parts.join(";");
}

/** A URL with secret-looking query parameters (sig=, token=, key= ...) replaced by `***`. */
export function redactUrl(value: string): string {
  return value.replace(SECRET_QUERY, "$1***");
}

function redactSegment(segment: string): string {
  const eq = segment.indexOf("=");
  if (eq < 0) return redactUrl(segment);
  const key = segment.slice(0, eq);
  return isSecretKey(key) ? `${key}=***` : `${key}=${redactUrl(segment.slice(eq + 1))}`;
}

/**
 * The connection string with every secret-looking value replaced by `***`: values of keys such as ClientSecret,
 * AccountKey, SharedAccessKey, Token or Password, and URL query parameters such as `sig=` or `token=`.
 * Never throws, whatever the input; the structure (keys, separators) is kept so the user recognises it.
 */
export function redactConnectionString(input: string): string {
  return input
    .split(";")
    .map((segment) => (segment.includes("=") ? redactSegment(segment) : segment))
    .join(";");
}
