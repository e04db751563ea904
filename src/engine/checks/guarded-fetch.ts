/**
 * The fetch every outgoing check request and alert goes through: it refuses hosts the worker's profile does not allow
 * (see policy.ts), follows redirects itself (at most 5, each hop checked against the same policy), and sends the
 * caller's own headers (Authorization, X-Api-Key, cookies, the GitHub token ...) only to the origins the caller trusts:
 * never to a redirect's other host, never to a downgraded http:// origin.
 */
import { EMBEDDED_DEFAULT_POLICY, PolicyRefusal, hostRefusal } from "./policy.js";
import type { CheckDeps } from "./types.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** Headers that carry no credential: kept on every hop. */
const PLAIN_HEADERS = new Set(["accept", "content-type", "user-agent", "x-github-api-version", "idempotency-key"]);

interface GuardOptions {
  /** Names the request in refusals ("http check", "alert webhook"). */
  what: string;
  /** Origins (`https://host:port`) that may receive the caller's headers; default: the first request's origin. */
  trustedOrigins?: string[];
}

function plainHeaders(headers: RequestInit["headers"]): Record<string, string> {
  const kept: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    if (PLAIN_HEADERS.has(name)) kept[name] = value;
  });
  return kept;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * A fetch with the worker's host policy and redirect rules. Rejects with PolicyRefusal (its message says how to allow
 * it) when a host is refused, with an Error when there are too many redirects; otherwise resolves with the final response, like fetch.
 */
export function guardedFetch(deps: CheckDeps, options: GuardOptions): typeof fetch {
  const fetchFn = deps.fetch ?? fetch;
  const policy = deps.policy ?? EMBEDDED_DEFAULT_POLICY;
  return async (input, init = {}) => {
    const firstUrl = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const trusted = new Set(options.trustedOrigins ?? [originOf(firstUrl)]);
    let url = firstUrl;
    let request: RequestInit = { ...init, redirect: "manual" };
    for (let hop = 0; ; hop++) {
      const refused = hostRefusal(policy, url, options.what);
      if (refused) throw new PolicyRefusal(refused);
      const origin = originOf(url);
      const sent = origin !== undefined && trusted.has(origin) ? request : { ...request, headers: plainHeaders(request.headers) };
      const response = await fetchFn(url, sent);
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || !location) return response;
      if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects (last to ${new URL(location, url).host})`);
      await response.body?.cancel().catch(() => {});
      const method = (request.method ?? "GET").toUpperCase();
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        const headers = new Headers(request.headers);
        headers.delete("content-type");
        request = { ...request, method: "GET", body: undefined, headers };
      }
      url = new URL(location, url).toString();
    }
  };
}
