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

describe("redactText (free text: messages, errors, log lines)", () => {
  it("masks URL passwords, query secrets, bearer tokens, secret assignments and secret JSON fields", async () => {
    const { redactText, stripTerminalEscapes, webhookHost } = await import("../../src/secrets.js");
    const text = redactText(
      `GET https://u:pw@h.example/x?sig=S1&token=S2&code=S3&ok=1 failed; Authorization: Bearer abcdef123; Endpoint=x;Token=S4; ` +
        `{"headers":{"X-Api-Key":"S5","Cookie":"S6","Accept":"json"},"webhookUrl":"https://hooks.example/T/B/S7"}`,
    );
    for (const secret of ["pw", "S1", "S2", "S3", "abcdef123", "S4", "S5", "S6", "S7"]) expect(text).not.toContain(secret);
    expect(text).toContain("https://u:***@h.example/x?sig=***&token=***&code=***&ok=1");
    expect(text).toContain('"Accept":"json"');
    expect(text).toContain('"webhookUrl":"https://hooks.example/***"');
    expect(webhookHost("https://hooks.slack.com/services/T/B/X")).toBe("https://hooks.slack.com/***");
    expect(stripTerminalEscapes("a\u001b[31mred\u001b]0;title\u0007\u009bb\nc\td")).toBe("aredb\nc\td");
  });
});
