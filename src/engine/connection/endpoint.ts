import { isLoopbackHost } from "../loopback.js";
import { ConnectionStringError } from "./connection-string-error.js";

const SECRET_QUERY = /([?&](?:sig|signature|token|access_token|code|key|secret|password|pwd)=)[^&;\s]*/gi;

/** A URL with secret-looking query parameters (sig=, token=, key= ...) replaced by `***`. */
export function redactUrl(value: string): string {
  return value.replace(SECRET_QUERY, "$1***");
}

/** Where a DTS endpoint is dialled and how. */
interface EndpointAddress {
  /** host:port for gRPC (default port 443 with TLS, 80 without). */
  address: string;
  useTls: boolean;
  /** The host, for messages and the loopback rule. */
  host: string;
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts a bearer token may reach without TLS (see engine/loopback.ts). */
export { isLoopbackHost };

const SCHEMELESS = /^[\w.-]+(:\d+)?(\/.*)?$|^\[[\d:a-f]+\](:\d+)?(\/.*)?$/i;

/**
 * How an endpoint is dialled, following `@microsoft/durabletask-js-azuremanaged` where it is safe:
 * - `https://` → TLS; no scheme with a credential → TLS (the official client's rule: TLS whenever there is one);
 * - no scheme without a credential (`Authentication=None`) → plaintext for localhost/loopback (the samples'
 *   `ENDPOINT=localhost:8080`, the emulator), TLS for any other host;
 * - `http://` → plaintext, but a bearer token (`bearer`: a credential or our `Token=`) is never sent over plaintext
 *   except to loopback: that is refused, where the official client would switch to TLS without a word.
 * Throws ConnectionStringError naming the endpoint (secret-looking query values redacted) and the remedy.
 */
export function endpointAddress(endpoint: string, bearer = false): EndpointAddress {
  const shown = redactUrl(endpoint);
  const hasScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(endpoint);
  if (/\s/.test(endpoint) || (!hasScheme && !SCHEMELESS.test(endpoint))) {
    throw new ConnectionStringError(`Endpoint '${shown}' is not a URL or host[:port] (e.g. https://my-scheduler.westus2.durabletask.io or localhost:8080)`);
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? endpoint : `https://${endpoint}`);
  } catch {
    throw new ConnectionStringError(`Endpoint '${shown}' is not a valid URL`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    throw new ConnectionStringError(`Endpoint '${shown}' must be https://…, http://… or a bare host[:port]`);
  }
  const host = url.hostname;
  const loopback = isLoopbackHost(host);
  let useTls: boolean;
  if (!hasScheme) useTls = bearer || !loopback;
  else useTls = url.protocol === "https:";
  if (!useTls && bearer && !loopback) {
    throw new ConnectionStringError(
      `Endpoint '${shown}' is plaintext http:// but the connection sends a bearer token, which is never sent without TLS ` +
        `except to localhost/loopback: use https:// (or no scheme), or Authentication=None for an endpoint without authentication`,
    );
  }
  const port = url.port || (useTls ? "443" : "80");
  return { address: `${host}:${port}`, useTls, host };
}
