import { describe, expect, it } from "vitest";
import { MONITOR_KINDS } from "../../src/engine/monitor/spec.js";
import { presetSpec } from "../../src/ui/components/PresetPicker.js";
import { specFields } from "../../src/engine/monitor/spec-fields.js";
import { formFields, formReducer, initialFormState, initialValues, validateForm, type FormState } from "../../src/ui/state/form.js";

describe("new-monitor form (validated by the engine's schema)", () => {
  const sim = (over: Record<string, string>) => ({ ...initialValues("simulated"), ...over });
  const http = (over: Record<string, string>) => ({ ...initialValues("http"), ...over });

  it("accepts the defaults and produces a spec", () => {
    const v = validateForm("simulated", initialValues("simulated"));
    expect(v.errors).toEqual({});
    expect(v.spec).toMatchObject({ kind: "simulated", pollingIntervalSeconds: 5, timeoutSeconds: 30, target: { durationSeconds: 20 } });
  });

  it("fills in the profile's defaults", () => {
    const values = initialValues("simulated", { pollingIntervalSeconds: 2, timeoutSeconds: 90, maxConsecutiveFailures: 5 });
    expect(values).toMatchObject({ pollingIntervalSeconds: "2", timeoutSeconds: "90", maxConsecutiveFailures: "5" });
    const v = validateForm("simulated", values, { alert: { webhookUrl: "http://127.0.0.1:9/hook" } });
    expect(v.spec).toMatchObject({ pollingIntervalSeconds: 2, timeoutSeconds: 90, alert: { webhookUrl: "http://127.0.0.1:9/hook" } });
  });

  it("has every spec field of the kind (from the schema), the alert webhook and outcomes among the advanced ones", () => {
    for (const kind of MONITOR_KINDS) {
      expect(formFields(kind).map((f) => f.path).sort()).toEqual(specFields(kind).map((f) => f.path).sort());
    }
    const advanced = formFields("http").filter((f) => f.advanced).map((f) => f.path);
    expect(advanced).toEqual(expect.arrayContaining(["alert.webhookUrl", "alert.on", "target.headers", "target.doneOn2xx", "backoff.multiplier"]));
    expect(formFields("http").findIndex((f) => f.advanced)).toBeGreaterThan(formFields("http").findIndex((f) => f.path === "maxConsecutiveFailures"));
  });

  it("turns advanced text into typed values: headers k=v, lists, booleans, JSON bodies, alert outcomes", () => {
    const v = validateForm(
      "http",
      http({
        "target.url": "https://x.test/jobs/{jobId}",
        "target.headers": "x-api-key=k1, accept=application/json",
        "target.successValues": "ok, fine",
        "target.doneOn2xx": "yes",
        "target.startBody": '{"size":3}',
        "alert.webhookUrl": "https://hooks.test/a",
        "alert.on": "met, failed",
      }),
    );
    expect(v.errors).toEqual({});
    expect(v.spec).toMatchObject({
      target: { headers: { "x-api-key": "k1", accept: "application/json" }, successValues: ["ok", "fine"], doneOn2xx: true, startBody: { size: 3 } },
      alert: { webhookUrl: "https://hooks.test/a", on: ["met", "failed"] },
    });
    expect(validateForm("http", http({ "target.url": "https://x.test/1" })).spec).not.toHaveProperty("alert");
    expect(validateForm("http", http({ "target.url": "https://x.test/1", "target.headers": "novalue" })).errors["target.headers"]).toMatch(/key=value/);
    expect(validateForm("http", http({ "target.url": "https://x.test/1", "alert.on": "sometimes" })).errors["alert.on"]).toMatch(/alert.on takes completed, failed, met, timeout/);
  });

  it("refuses a negative interval", () => {
    const v = validateForm("simulated", sim({ pollingIntervalSeconds: "-5" }));
    expect(v.spec).toBeUndefined();
    expect(v.errors.pollingIntervalSeconds).toMatch(/must be at least 0.01 s/);
  });

  it("refuses a timeout shorter than the interval, on the timeout field", () => {
    const v = validateForm("simulated", sim({ pollingIntervalSeconds: "10", timeoutSeconds: "5" }));
    expect(v.errors.timeoutSeconds).toMatch(/must not be shorter than pollingIntervalSeconds/);
  });

  it("refuses a non-numeric value, naming the field", () => {
    const v = validateForm("simulated", sim({ pollingIntervalSeconds: "5s" }));
    expect(v.errors.pollingIntervalSeconds).toMatch(/pollingIntervalSeconds must be a number/);
    expect(validateForm("simulated", sim({ "target.durationSeconds": "abc" })).errors["target.durationSeconds"]).toMatch(/number/);
  });

  it("refuses an empty URL and a URL that is not http(s)", () => {
    expect(validateForm("http", http({ "target.url": "" })).errors["target.url"]).toBe("url is required");
    expect(validateForm("http", http({ "target.url": "ftp://x" })).errors["target.url"]).toMatch(/http:\/\/ or https:\/\//);
    expect(validateForm("http", http({ "target.url": "https://example.com/job/1" })).spec).toBeDefined();
  });

  it("treats an emptied required number as an error, an emptied optional one as 'leave it out'", () => {
    expect(validateForm("simulated", sim({ timeoutSeconds: "" })).errors.timeoutSeconds).toMatch(/required/);
    expect(validateForm("simulated", sim({ "target.failAtPercent": "" })).spec).toBeDefined();
    expect(validateForm("simulated", sim({ "target.failAtPercent": "150" })).errors["target.failAtPercent"]).toMatch(/between 0 and 100/);
  });

  it("steps: choose a kind, type, erase, move between fields, go back", () => {
    let s: FormState = initialFormState();
    expect(s).toEqual({ step: "kind", kindIndex: 0 });
    s = formReducer(s, { type: "moveKind", delta: 1 });
    s = formReducer(s, { type: "chooseKind" });
    expect(s.step === "fields" && s.kind).toBe("http");
    s = formReducer(s, { type: "typeText", text: "https://x.test/1\r" });
    expect(s.step === "fields" && s.values["target.url"]).toBe("https://x.test/1");
    s = formReducer(s, { type: "erase" });
    expect(s.step === "fields" && s.values["target.url"]).toBe("https://x.test/");
    s = formReducer(s, { type: "focus", delta: -1 });
    expect(s.step === "fields" && s.focus).toBe(formFields("http").length - 1);
    s = formReducer(s, { type: "back" });
    expect(s).toEqual({ step: "kind", kindIndex: 1 });
    expect(initialFormState({ kind: "command" })).toEqual({ step: "kind", kindIndex: 3 });
  });

  it("command: a working directory, and fail-on-exit-code answered with y/n", () => {
    let s: FormState = formReducer(initialFormState({ kind: "command" }), { type: "chooseKind" });
    const focusOn = (path: string) => {
      while (s.step === "fields" && formFields("command")[s.focus]!.path !== path) s = formReducer(s, { type: "focus", delta: 1 });
    };
    focusOn("target.command");
    s = formReducer(s, { type: "typeText", text: "./check.sh" });
    focusOn("target.cwd");
    s = formReducer(s, { type: "typeText", text: "/srv/jobs" });
    focusOn("target.failOnExitCode");
    expect(s.step === "fields" && s.values["target.failOnExitCode"]).toBe("no");
    s = formReducer(s, { type: "typeText", text: "x" });
    expect(s.step === "fields" && s.values["target.failOnExitCode"]).toBe("no");
    s = formReducer(s, { type: "typeText", text: "Y" });
    expect(s.step === "fields" && s.values["target.failOnExitCode"]).toBe("yes");
    const values = s.step === "fields" ? s.values : {};
    expect(validateForm("command", values).spec).toMatchObject({ kind: "command", target: { command: "./check.sh", cwd: "/srv/jobs", failOnExitCode: true } });
    s = formReducer(s, { type: "typeText", text: "n" });
    expect(s.step === "fields" && validateForm("command", s.values).spec?.target).toMatchObject({ failOnExitCode: false });
    // Erased: left out of the spec, so the engine applies the schema's default (no).
    s = formReducer(s, { type: "erase" });
    expect(s.step === "fields" && s.values["target.failOnExitCode"]).toBe("");
    expect(s.step === "fields" && validateForm("command", s.values).spec?.target).not.toHaveProperty("failOnExitCode");
  });

  it("command: the first field names a command the worker's profile defines; a command line is the alternative", () => {
    expect(formFields("command")[0]!.path).toBe("target.commandName");
    const values = initialValues("command");
    expect(validateForm("command", values).errors["target.command"]).toMatch(/command is required \(or commandName/);
    expect(validateForm("command", { ...values, "target.commandName": "backup-status" }).spec).toMatchObject({ target: { commandName: "backup-status" } });
    expect(validateForm("command", { ...values, "target.commandName": "backup-status", "target.command": "true" }).errors["target.command"]).toMatch(/not both/);
  });

  it("http: an optional start URL (POST first, then poll), validated as a URL", () => {
    const http = (over: Record<string, string>) => ({ ...initialValues("http"), "target.url": "https://x.test/jobs/{jobId}", ...over });
    expect(validateForm("http", http({})).spec?.target).not.toHaveProperty("startUrl");
    expect(validateForm("http", http({ "target.startUrl": "https://x.test/jobs" })).spec?.target).toMatchObject({ startUrl: "https://x.test/jobs" });
    expect(validateForm("http", http({ "target.startUrl": "x.test/jobs" })).errors["target.startUrl"]).toMatch(/startUrl must be an http/);
  });
});

describe("presets launched from the dashboard", () => {
  it("get a job id prefixed with the preset's name, unless the preset names one", () => {
    expect(presetSpec("nightly", { kind: "simulated", target: {} }, {}).jobId).toMatch(/^nightly-[0-9a-f]{6}$/);
    expect(presetSpec("nightly", { kind: "simulated", target: {}, jobId: "fixed" }, {}).jobId).toBe("fixed");
  });
});
