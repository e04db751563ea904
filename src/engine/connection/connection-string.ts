/**
 * Durable Task Scheduler connection strings: `Endpoint=...;Authentication=...;TaskHub=...[;ClientID=...][;TenantId=...]
 * [;TokenFilePath=...][;AdditionallyAllowedTenants=a,b]` — every key the official parser
 * (`DurableTaskAzureManagedConnectionString` of `@microsoft/durabletask-js-azuremanaged`) knows — plus our `Token=`,
 * the local hub's token (sent as `authorization: Bearer <token>`; only with `Authentication=None`, since a credential
 * brings its own token; like any bearer token, never over plaintext to a host that is not loopback).
 *
 * Rules (shared by the config file, the env override and `profiles add`):
 * - segments are separated by `;`; one trailing `;` is allowed, an empty segment anywhere else is an error;
 * - each segment is `Key=Value`; keys are matched case-insensitively, values are trimmed and may contain `=`;
 * - `Endpoint` and `Authentication` are required; `Endpoint` is an https:// or http:// URL or a bare host[:port]
 *   (see endpointAddress for TLS);
 * - `Authentication` is matched case-insensitively and normalised to the Scheduler's spelling (`defaultazure` → `DefaultAzure`);
 * - `TaskHub` may come from outside the string (a profile's `taskHub`, `TASKHUB_NAME`, `--taskhub`), which wins;
 *   without either it is an error with a credential (the official client always requires it) and "default" with
 *   `Authentication=None` (the local hub and the emulator serve "default");
 * - an empty optional value (`ClientID=`) means "not set", as in the official parser;
 * - unlike the official parser (which ignores them), a key given twice and an unknown key (the closest valid one is
 *   suggested) are errors, so a typo never silently changes which identity or hub is used.
 * Error messages never repeat a value that could be a secret.
 */
import { AUTHENTICATION_TYPES, type AuthenticationType, type DtsConnection } from "../profile.js";
import { didYouMean } from "../suggest.js";
import { ConnectionStringError } from "./connection-string-error.js";
import { endpointAddress, redactUrl } from "./endpoint.js";
import { DEFAULT_TASK_HUB } from "../task-hub.js";

export { ConnectionStringError } from "./connection-string-error.js";
export { redactUrl } from "./endpoint.js";

/** The keys a connection string may hold, spelled as the Durable Task Scheduler spells them. */
const CONNECTION_STRING_KEYS = [
  "Endpoint",
  "Authentication",
  "TaskHub",
  "ClientID",
  "TenantId",
  "TokenFilePath",
  "AdditionallyAllowedTenants",
  "Token",
] as const;
type ConnectionStringKey = (typeof CONNECTION_STRING_KEYS)[number];

interface ParseOptions {
  /** The task hub given outside the string (profile `taskHub`, `TASKHUB_NAME`, `--taskhub`): it wins over `TaskHub`. */
  taskHub?: string;
}

const SECRET_KEY = /secret|key|token|password|passwd|pwd|signature|^sig$|credential/i;
/** Keys that look secret by name but hold none (a path to a token file is not the token). */
const NOT_SECRET_KEYS = new Set(["tokenfilepath"]);

/** True for a key whose value should never be shown (ClientSecret, AccountKey, SharedAccessKey, Token, Password, sig ...). */
export function isSecretKey(key: string): boolean {
  const k = key.trim();
  return !NOT_SECRET_KEYS.has(k.toLowerCase()) && SECRET_KEY.test(k);
}

function readSegments(input: string): Map<ConnectionStringKey, string> {
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
    if (rawKey === "") throw new ConnectionStringError(`segment ${index + 1} has no key before '='`);
    const key = CONNECTION_STRING_KEYS.find((k) => k.toLowerCase() === rawKey.toLowerCase());
    if (!key) {
      const suggestion = didYouMean(rawKey, CONNECTION_STRING_KEYS);
      if (!suggestion && isSecretKey(rawKey)) {
        throw new ConnectionStringError(
          `unknown key '${rawKey}': a Durable Task Scheduler connection string takes no client secret; ` +
            `use Authentication=Environment (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET) or another identity instead`,
        );
      }
      throw new ConnectionStringError(`unknown key '${rawKey}'${suggestion || ` (valid keys: ${CONNECTION_STRING_KEYS.join(", ")})`}`);
    }
    if (values.has(key)) throw new ConnectionStringError(`duplicate key '${key}'`);
    values.set(key, segment.slice(eq + 1).trim());
  });
  return values;
}

function readAuthentication(auth: string | undefined): AuthenticationType {
  if (!auth) {
    throw new ConnectionStringError(`missing Authentication (one of ${AUTHENTICATION_TYPES.join(", ")}; the emulator uses None)`);
  }
  const authentication = AUTHENTICATION_TYPES.find((t) => t.toLowerCase() === auth.toLowerCase());
  if (!authentication) {
    throw new ConnectionStringError(
      `unknown Authentication '${auth}'${didYouMean(auth, AUTHENTICATION_TYPES)} (valid: ${AUTHENTICATION_TYPES.join(", ")})`,
    );
  }
  return authentication;
}

/** Parses and validates a connection string. Throws ConnectionStringError naming the bad part. */
export function parseConnectionString(input: string, options: ParseOptions = {}): DtsConnection {
  const values = readSegments(input);
  const optional = (key: ConnectionStringKey) => values.get(key) || undefined;

  const endpoint = optional("Endpoint");
  if (endpoint === undefined) throw new ConnectionStringError("missing Endpoint (e.g. Endpoint=http://localhost:8080)");
  const authentication = readAuthentication(optional("Authentication"));
  const token = optional("Token");
  if (token !== undefined && authentication !== "None") {
    throw new ConnectionStringError(
      `Token= is the local hub's token and goes with Authentication=None; with Authentication=${authentication} the credential supplies the token (remove Token=)`,
    );
  }
  endpointAddress(endpoint, authentication !== "None" || token !== undefined);

  const taskHub = options.taskHub?.trim() || optional("TaskHub");
  if (taskHub === undefined && authentication !== "None") {
    throw new ConnectionStringError(
      `missing TaskHub (TaskHub=<name>): with a credential the scheduler's task hub must be named; ` +
        `only Authentication=None (the local hub, the emulator) defaults to '${DEFAULT_TASK_HUB}'`,
    );
  }
  const parsed: DtsConnection = { endpoint, authentication, taskHub: taskHub ?? DEFAULT_TASK_HUB };
  const clientId = optional("ClientID");
  const tenantId = optional("TenantId");
  const tokenFilePath = optional("TokenFilePath");
  const tenants = optional("AdditionallyAllowedTenants")
    ?.split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (clientId !== undefined) parsed.clientId = clientId;
  if (tenantId !== undefined) parsed.tenantId = tenantId;
  if (tokenFilePath !== undefined) parsed.tokenFilePath = tokenFilePath;
  if (tenants?.length) parsed.additionallyAllowedTenants = tenants;
  if (token !== undefined) parsed.token = token;
  return parsed;
}

/** Formats a parsed connection back into its canonical string (keys in the Scheduler's order and spelling). */
export function formatConnectionString(connection: DtsConnection): string {
  const parts = [`Endpoint=${connection.endpoint}`, `Authentication=${connection.authentication}`, `TaskHub=${connection.taskHub}`];
  if (connection.clientId !== undefined) parts.push(`ClientID=${connection.clientId}`);
  if (connection.tenantId !== undefined) parts.push(`TenantId=${connection.tenantId}`);
  if (connection.tokenFilePath !== undefined) parts.push(`TokenFilePath=${connection.tokenFilePath}`);
  if (connection.additionallyAllowedTenants?.length) parts.push(`AdditionallyAllowedTenants=${connection.additionallyAllowedTenants.join(",")}`);
  if (connection.token !== undefined) parts.push(`Token=${connection.token}`);
  return parts.join(";");
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
