import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkGithubIssues, openIssuesSearchUrl } from "../../src/engine/checks/github-issues.js";
import { resolveCheckPolicy } from "../../src/engine/checks/policy.js";
import { targetSchema } from "../../src/engine/monitor/spec.js";
import { sendJson, startFakeServer, type FakeServer } from "./fake-http-server.js";

let github: FakeServer;
let openIssues = 2;
beforeAll(async () => {
  // Answers the search API like GitHub: total_count of open issues matching the query.
  github = await startFakeServer((req, res) => {
    if (req.path !== "/search/issues") return sendJson(res, 404, { message: "Not Found" });
    sendJson(res, 200, { total_count: openIssues, incomplete_results: false, items: [] });
  });
});
afterAll(() => github.close());
beforeEach(() => {
  github.requests.length = 0;
});

const input = (threshold: number) => ({
  jobId: "gh",
  instanceId: "i",
  startedAt: new Date().toISOString(),
  target: targetSchema("github-issues").parse({ repo: "octo/widgets", threshold, apiBaseUrl: github.url }),
});

describe("checkGithubIssues", () => {
  it("asks the search API for open issues only (not pull requests) of the repo", async () => {
    await checkGithubIssues(input(3), { env: {} });
    const q = github.requests[0].query.get("q");
    expect(q).toBe("repo:octo/widgets is:issue is:open");
    expect(github.requests[0].headers).not.toHaveProperty("authorization");
    expect(openIssuesSearchUrl("a/b")).toBe("https://api.github.com/search/issues?q=repo%3Aa%2Fb%20is%3Aissue%20is%3Aopen&per_page=1");
  });

  it("is Running at or under the threshold and ConditionMet over it", async () => {
    openIssues = 3;
    expect(await checkGithubIssues(input(3), { env: {} })).toMatchObject({ status: "Running", message: expect.stringContaining("3 open issues") });
    openIssues = 4;
    expect(await checkGithubIssues(input(3), { env: {} })).toMatchObject({ status: "ConditionMet", message: expect.stringContaining("4 open issues") });
  });

  it("sends GITHUB_TOKEN as a bearer token only to the GitHub API the worker's profile names", async () => {
    const policy = { ...resolveCheckPolicy("p", {}, true), githubApiUrl: github.url };
    await checkGithubIssues(input(3), { env: { GITHUB_TOKEN: "ghp_test" }, policy });
    expect(github.requests[0].headers.authorization).toBe("Bearer ghp_test");
    // The issue's attack: apiBaseUrl in the monitor's input points elsewhere (here: the default https://api.github.com
    // is the profile's, and the input says the fake server). The request goes, without the token.
    const out = await checkGithubIssues(input(3), { env: { GITHUB_TOKEN: "ghp_test" } });
    expect(out.message).toContain("open issue");
    expect(github.requests[1].headers).not.toHaveProperty("authorization");
  });

  it("off the embedded hub, an apiBaseUrl the profile does not allow is refused (the configured GitHub API is)", async () => {
    const shared = resolveCheckPolicy("shared", { githubApiUrl: github.url }, false);
    expect((await checkGithubIssues(input(3), { env: {}, policy: shared })).message).toContain("open issue");
    const elsewhere = resolveCheckPolicy("shared", {}, false);
    const refused = await checkGithubIssues(input(3), { env: { GITHUB_TOKEN: "ghp_test" }, policy: elsewhere });
    expect(refused).toMatchObject({ status: "Unknown", message: expect.stringContaining("profiles.shared.allowedHosts") });
    expect(github.requests).toHaveLength(1);
  });

  it("is a failed check with GitHub's wait when rate limited, and on unexpected answers", async () => {
    github.setHandler((_req, res) => sendJson(res, 403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 30) }));
    const limited = await checkGithubIssues(input(3), { env: {} });
    expect(limited).toMatchObject({ status: "Unknown", message: expect.stringContaining("rate limited: set GITHUB_TOKEN") });
    expect(limited.retryAfterSeconds).toBeGreaterThan(20);
    github.setHandler((_req, res) => sendJson(res, 200, { weird: true }));
    expect(await checkGithubIssues(input(3), { env: {} })).toMatchObject({ status: "Unknown", message: expect.stringContaining("Unexpected") });
  });
});
