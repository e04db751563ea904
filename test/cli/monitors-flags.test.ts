import { describe, expect, it } from "vitest";
import type { ResolvedProfile } from "../../src/engine/profile.js";
import { UsageError } from "../../src/errors.js";
import { parseDuration, specFromFlags } from "../../src/cli/start-flags.js";
import { specFields } from "../../src/engine/monitor/spec-fields.js";
import { runCli } from "../helpers/cli.js";

const profile = (over: Partial<ResolvedProfile> = {}): ResolvedProfile => ({
  name: "p",
  connection: { type: "embedded" },
  taskHub: "default",
  defaults: {},
  presets: {
    api: { kind: "http", target: { url: "https://jobs.example/1", progressPath: "pct" }, pollingIntervalSeconds: 10, alert: { webhookUrl: "https://hooks.example/a" } },
  },
  source: "builtin",
  ...over,
});

describe("start flags → spec", () => {
  it("maps kind flags onto the target, numbers as numbers", () => {
    expect(specFromFlags({ duration: "30", queued: "5", failAt: "80", interval: "2", timeout: "60", jobId: "x" }, profile())).toEqual({
      kind: "simulated",
      target: { durationSeconds: 30, queuedSeconds: 5, failAtPercent: 80 },
      pollingIntervalSeconds: 2,
      timeoutSeconds: 60,
      jobId: "x",
    });
    expect(specFromFlags({ kind: "command", cmd: "make check", cwd: "/src" }, profile())).toEqual({ kind: "command", target: { command: "make check", cwd: "/src" } });
    expect(specFromFlags({ kind: "github-issues", repo: "o/r", threshold: "7", alertWebhook: "https://h.example" }, profile())).toEqual({
      kind: "github-issues",
      target: { repo: "o/r", threshold: 7 },
      alert: { webhookUrl: "https://h.example" },
    });
    expect(specFromFlags({ kind: "http", url: "http://a/{jobId}", method: "post" }, profile()).target).toEqual({ url: "http://a/{jobId}", method: "POST" });
  });

  it("starts from a preset, flags win", () => {
    expect(specFromFlags({ preset: "api", interval: "3", statusPath: "state" }, profile())).toEqual({
      kind: "http",
      target: { url: "https://jobs.example/1", progressPath: "pct", statusPath: "state" },
      pollingIntervalSeconds: 3,
      alert: { webhookUrl: "https://hooks.example/a" },
      jobId: expect.stringMatching(/^api-[0-9a-f]{6}$/),
    });
    expect(specFromFlags({ preset: "api", alertOn: "met, failed" }, profile()).alert).toEqual({ webhookUrl: "https://hooks.example/a", on: ["met", "failed"] });
    expect(() => specFromFlags({ preset: "nope" }, profile())).toThrow(UsageError);
    expect(() => specFromFlags({ preset: "nope" }, profile())).toThrow(/presets: api/);
  });

  it("has a flag for every spec field (from the schema), each mapped onto its path", () => {
    const spec = specFromFlags(
      {
        kind: "http",
        url: "http://a/{jobId}",
        header: ["x-api-key=k1", "accept=text/plain"],
        successValues: ["ok,fine"],
        failureValues: ["bad"],
        startBody: '{"size":3}',
        jobIdPath: "data.id",
        doneOn2xx: true,
        requestTimeout: "4",
        maxFailures: "5",
        backoffMultiplier: "2",
        backoffMaxInterval: "60",
        alertOn: ["met,failed"],
      },
      profile(),
    );
    expect(spec).toEqual({
      kind: "http",
      target: {
        url: "http://a/{jobId}",
        headers: { "x-api-key": "k1", accept: "text/plain" },
        successValues: ["ok", "fine"],
        failureValues: ["bad"],
        startBody: { size: 3 },
        jobIdPath: "data.id",
        doneOn2xx: true,
        requestTimeoutSeconds: 4,
      },
      maxConsecutiveFailures: 5,
      backoff: { multiplier: 2, maxIntervalSeconds: 60 },
      alert: { on: ["met", "failed"] },
    });
    expect(specFromFlags({ kind: "command", cmd: "x", failOnExitCode: true, commandTimeout: "9" }, profile()).target).toEqual({ command: "x", failOnExitCode: true, timeoutSeconds: 9 });
    expect(specFromFlags({ kind: "github-issues", repo: "o/r", apiBaseUrl: "https://ghe/api/v3" }, profile()).target).toEqual({ repo: "o/r", apiBaseUrl: "https://ghe/api/v3" });
    expect(() => specFromFlags({ kind: "http", url: "http://a", header: ["novalue"] }, profile())).toThrow(/--header takes key=value/);
  });

  it("start --help lists a flag for every field of every kind's schema", async () => {
    const { stdout } = await runCli(["start", "--help"]);
    const fields = specFields();
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(["target.doneOn2xx", "target.headers", "backoff.multiplier", "alert.on", "maxConsecutiveFailures"]));
    for (const f of fields) expect(stdout, f.path).toContain(`${f.flag} `);
  });

  it("takes the kind from the profile's defaults, else simulated", () => {
    expect(specFromFlags({}, profile()).kind).toBe("simulated");
    expect(specFromFlags({}, profile({ defaults: { kind: "command" } })).kind).toBe("command");
  });

  it("refuses what cannot be right", () => {
    expect(() => specFromFlags({ kind: "ftp" }, profile())).toThrow(UsageError);
    expect(() => specFromFlags({ interval: "5s" }, profile())).toThrow(/--interval must be a number/);
    expect(() => specFromFlags({ repo: "o/r" }, profile())).toThrow(/--repo applies to --kind github-issues/);
  });

  it("parses ages", () => {
    expect(parseDuration("--older-than", "7d")).toBe(7 * 86_400_000);
    expect(parseDuration("--older-than", "90m")).toBe(90 * 60_000);
    expect(parseDuration("--older-than", "1.5h")).toBe(5_400_000);
    expect(() => parseDuration("--older-than", "7 days")).toThrow(UsageError);
  });
});
