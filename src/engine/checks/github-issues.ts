/**
 * The `github-issues` check: counts a repository's open issues (pull requests excluded) with GitHub's search API
 * (one request, exact `total_count`) and meets its condition when the count goes over the threshold.
 */
import type { GithubIssuesTarget } from "../monitor/spec.js";
import { guardedFetch } from "./guarded-fetch.js";
import { DEFAULT_GITHUB_API_URL, EMBEDDED_DEFAULT_POLICY } from "./policy.js";
import { fetchFailure, fetchText, parseJsonText, parseRetryAfter, snippet } from "./http-util.js";
import type { CheckDeps, CheckInput, CheckOutcome } from "./types.js";

const REQUEST_TIMEOUT_MS = 10_000;

/** The search URL that counts open issues (not pull requests) of `owner/name`. */
export function openIssuesSearchUrl(repo: string, apiBaseUrl: string = DEFAULT_GITHUB_API_URL): string {
  const q = encodeURIComponent(`repo:${repo} is:issue is:open`);
  return `${apiBaseUrl.replace(/\/+$/, "")}/search/issues?q=${q}&per_page=1`;
}

/**
 * The `checkGithubIssues` activity: more than `threshold` open issues → ConditionMet; otherwise Running. Sends
 * `Authorization: Bearer $GITHUB_TOKEN` when the variable is set, and only to the profile's `githubApiUrl` (default
 * https://api.github.com); an `apiBaseUrl` elsewhere is asked without it (and must be an allowed host off the embedded hub). Rate limits (403/429) and other errors are failed
 * checks (Unknown) with a message, and a retryAfterSeconds when GitHub says when to come back. Never throws.
 */
export async function checkGithubIssues(input: CheckInput<GithubIssuesTarget>, deps: CheckDeps = {}): Promise<CheckOutcome> {
  const { repo, threshold } = input.target;
  const policy = deps.policy ?? EMBEDDED_DEFAULT_POLICY;
  const apiOrigin = new URL(policy.githubApiUrl).origin;
  const url = openIssuesSearchUrl(repo, input.target.apiBaseUrl ?? policy.githubApiUrl);
  // The token goes only to the GitHub API the worker's profile names (https): never to an apiBaseUrl from the input.
  const token = new URL(url).origin === apiOrigin ? (deps.env ?? process.env).GITHUB_TOKEN : undefined;
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    "x-github-api-version": "2022-11-28",
    "user-agent": "durable-monitor-tui",
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const allowed = policy.allowedHosts ? { ...policy, allowedHosts: [...policy.allowedHosts, new URL(apiOrigin).host] } : policy;
  const fetchFn = guardedFetch({ ...deps, policy: allowed }, { what: "github-issues check", trustedOrigins: [apiOrigin] });
  const got = await fetchText(fetchFn, url, { method: "GET", headers }, REQUEST_TIMEOUT_MS);
  if (!got.ok) return fetchFailure(got);
  const { response, text } = got;
  if (response.status !== 200) {
    const retryAfterSeconds = rateLimitWait(response);
    const hint =
      response.status === 422 || response.status === 404
        ? ` (does ${repo} exist${token ? " and can the token read it" : ""}?)`
        : response.status === 403 || response.status === 429
          ? token
            ? " (rate limited)"
            : " (rate limited: set GITHUB_TOKEN for a higher limit)"
          : "";
    return {
      status: "Unknown",
      message: `GitHub answered HTTP ${response.status}${hint}${text ? `: ${snippet(text, 100)}` : ""}`,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  const parsed = parseJsonText(text);
  const count = parsed.ok ? (parsed.value as { total_count?: unknown } | undefined)?.total_count : undefined;
  if (typeof count !== "number") return { status: "Unknown", message: `Unexpected GitHub search response: ${snippet(text, 100)}` };
  if (count > threshold) {
    return { status: "ConditionMet", message: `${repo} has ${count} open issues (over the threshold of ${threshold})` };
  }
  return { status: "Running", message: `${repo} has ${count} open issue${count === 1 ? "" : "s"} (alert above ${threshold})` };
}

/** Seconds until GitHub lets us in again: Retry-After, else x-ratelimit-reset when the remaining quota is 0. */
function rateLimitWait(response: Response): number | undefined {
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  if (retryAfter !== undefined) return retryAfter;
  if (response.headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(1, reset - Date.now() / 1000);
  }
  return undefined;
}
