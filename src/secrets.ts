/**
 * Free text made safe to show or log: secrets that may sit inside messages, URLs and JSON blobs are masked, and (for
 * terminals) escape sequences that came from data are removed. Structured data is redacted key by key instead (see
 * config/redact.ts); this is the net for everything that is already a string.
 */

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/@\s:]*):[^/@\s]*@/i;
const QUERY_SECRET =
  /([?&;](?:sig|signature|se|token|access_token|refresh_token|id_token|code|key|apikey|api_key|api-key|secret|client_secret|password|pwd|auth)=)[^&#;\s]*/gi;
const WEBHOOK_JSON = /("(?:webhookUrl|webhook)"\s*:\s*")(https?:\/\/[^/"\s?#]+)[^"]*("?)/gi;
const SECRET_JSON_FIELD =
  /("[^"]*(?:authorization|cookie|token|secret|password|passwd|api[-_]?key|signature|credential|x-[a-z-]*key)[^"]*"\s*:\s*")[^"]*("?)/gi;
const AUTH_SCHEME = /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{4,}/g;
const SECRET_ASSIGNMENT = /\b((?:Token|AccountKey|SharedAccessKey|SharedAccessSignature|ClientSecret|Password|sig)=)[^;&\s"]+/gi;

/** `url` with its password and query secrets (sig, token, code, key …) masked. */
export function redactUrlSecrets(url: string): string {
  return url.replace(URL_PASSWORD, "$1:***@").replace(QUERY_SECRET, "$1***");
}

/**
 * `text` with secrets masked: URL passwords and query secrets, `Authorization: Bearer …`-style credentials,
 * `Token=`/`AccountKey=`-style assignments, JSON fields named like secrets or headers that carry them, and webhook
 * URLs in JSON (host only). Never throws.
 */
export function redactText(text: string): string {
  return text
    .replace(WEBHOOK_JSON, "$1$2/***$3")
    .replace(SECRET_JSON_FIELD, "$1***$2")
    .replace(URL_IN_TEXT, redactUrlSecrets)
    .replace(AUTH_SCHEME, "$1 ***")
    .replace(SECRET_ASSIGNMENT, "$1***");
}

// CSI, OSC (ended by BEL or ST), other two-character escapes, then any remaining C0/C1 control but tab and newline.
const TERMINAL_ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without terminal escape sequences or control characters (newlines and tabs stay). */
export function stripTerminalEscapes(text: string): string {
  return text.replace(TERMINAL_ESCAPES, "");
}

/** A webhook URL as shown anywhere: its origin only (the path of a Slack or Teams webhook is itself the secret). */
export function webhookHost(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname === "/" && parsed.search === "" ? url : `${parsed.origin}/***`;
  } catch {
    return "***";
  }
}

/** What the CLI prints from data: secrets masked, escape sequences removed. */
export function safeText(text: string): string {
  return stripTerminalEscapes(redactText(text));
}
