import { describe, expect, it } from "vitest";
import type { ResolvedProfile } from "../../src/config/types.js";
import { NotFoundError, UsageError } from "../../src/errors.js";
import { parseDuration, specFromFlags } from "../../src/cli/start-flags.js";

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
    });
    expect(specFromFlags({ preset: "api", alertOn: "met, failed" }, profile()).alert).toEqual({ webhookUrl: "https://hooks.example/a", on: ["met", "failed"] });
    expect(() => specFromFlags({ preset: "nope" }, profile())).toThrow(NotFoundError);
    expect(() => specFromFlags({ preset: "nope" }, profile())).toThrow(/presets: api/);
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
