import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../src/config/redact.js";

describe("redactSecrets", () => {
  it("masks secret-looking keys, auth headers, URL query secrets and webhook paths; keeps the rest", () => {
    const presets = {
      build: {
        kind: "http",
        target: {
          url: "https://ci.example/job?id=3&token=abc",
          headers: { Authorization: "Bearer xyz", "X-Api-Key": "k", Accept: "application/json" },
          successValues: ["Done"],
        },
        alert: { webhookUrl: "https://hooks.slack.com/services/T0/B0/SECRET" },
      },
      gh: { kind: "github-issues", target: { repo: "a/b", threshold: 3 } },
    };
    const before = structuredClone(presets);
    expect(redactSecrets(presets)).toEqual({
      build: {
        kind: "http",
        target: {
          url: "https://ci.example/job?id=3&token=***",
          headers: { Authorization: "***", "X-Api-Key": "***", Accept: "application/json" },
          successValues: ["Done"],
        },
        alert: { webhookUrl: "https://hooks.slack.com/***" },
      },
      gh: { kind: "github-issues", target: { repo: "a/b", threshold: 3 } },
    });
    expect(presets).toEqual(before);
  });

  it("leaves non-secret scalars alone", () => {
    expect(redactSecrets({ pollingIntervalSeconds: 5, kind: "http", alert: { webhookUrl: "http://localhost:9/" } })).toEqual({
      pollingIntervalSeconds: 5,
      kind: "http",
      alert: { webhookUrl: "http://localhost:9/" },
    });
  });
});
