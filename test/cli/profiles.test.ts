import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { runMain } from "../helpers/run-main.js";

const EMULATOR = "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default";

function dirs() {
  const config = tempDir("dmt-config-");
  const data = tempDir("dmt-data-");
  return { config, data, file: join(config, "config.json"), env: { DURABLE_MONITOR_TUI_CONFIG_DIR: config, DURABLE_MONITOR_TUI_DATA_DIR: data } };
}

describe("profiles (in-process main, a temp config dir)", () => {
  it("add / list / use / show / remove round trip", async () => {
    const { env, file, data } = dirs();
    const run = (...args: string[]) => runMain(args, { env });

    let r = await run("profiles", "list");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\*\s+default\s+builtin\s+embedded hub · .*hub\.sqlite$/m);

    r = await run("profiles", "add", "emu", "--connection", EMULATOR);
    expect(r).toMatchObject({ code: 0, stdout: "added profile 'emu'\n", stderr: "" });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    r = await run("profiles", "add", "emu", "--connection", "embedded");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Error: profile 'emu' already exists — pass --force to replace it");

    r = await run("profiles", "add", "local", "-c", "embedded", "--db", join(data, "other.sqlite"), "--taskhub", "mine");
    expect(r.code).toBe(0);

    r = await run("profiles", "use", "emu");
    expect(r).toMatchObject({ code: 0, stdout: "active profile: emu\n" });

    r = await run("profiles", "list");
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/NAME\s+SOURCE\s+CONNECTION/);
    expect(lines.find((l) => l.includes(" emu "))).toMatch(/^\*\s+emu\s+file\s+http:\/\/localhost:8080 · hub default$/);
    expect(lines.find((l) => l.includes(" local "))).toMatch(/^\s+local\s+file\s+embedded hub · .*other\.sqlite · hub mine$/);
    expect(lines.find((l) => l.includes(" default "))).toMatch(/^\s+default\s+builtin/);

    r = await run("profiles", "list", "--json");
    const listed = JSON.parse(r.stdout) as { active: string; inEffect: string; profiles: Array<{ name: string; inEffect: boolean }> };
    expect(listed.active).toBe("emu");
    expect(listed.profiles.map((p) => [p.name, p.inEffect])).toEqual([["default", false], ["emu", true], ["local", false]]);

    r = await run("profiles", "show");
    expect(r.stdout).toMatch(/^name:\s+emu \(in effect\)$/m);
    expect(r.stdout).toMatch(/^authentication:\s+None$/m);
    r = await run("--profile", "local", "profiles", "show");
    expect(r.stdout).toMatch(/^name:\s+local$/m);
    expect(r.stdout).toMatch(/^task hub:\s+mine$/m);

    r = await run("profiles", "remove", "emu");
    expect(r).toMatchObject({ code: 0, stdout: "removed profile 'emu'; the active profile is now 'default'\n" });
    r = await run("profiles", "remove", "emu");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no profile named 'emu'; known profiles: default, local");
    r = await run("profiles", "remove", "default");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the built-in 'default' profile cannot be removed");
    r = await run("profiles", "use", "nope");
    expect(r.code).toBe(3);
    r = await run("--profile", "nope", "profiles", "show");
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("Error: no profile named 'nope'; known profiles: default, local\n");

    r = await run("profiles", "list", "--json");
    expect(JSON.parse(r.stdout).active).toBe("default");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      profiles: { local: { connection: "embedded", taskHub: "mine", dbPath: join(data, "other.sqlite") } },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("a malformed config file: exit 3, the file path, the field and the problem; the file is never rewritten", () => {
  const cases: Array<[string, string, string]> = [
    ["bad JSON", '{ "profiles": { "prod": ', "not valid JSON"],
    ["not an object", "[1, 2]", "(top level): expected an object"],
    ["a wrong type", '{ "profiles": { "prod": { "connection": 5 } } }', "profiles.prod.connection: expected string, got number 5"],
    ["a wrong type deeper", '{ "profiles": { "p": { "defaults": { "pollingIntervalSeconds": "5" } } } }', "profiles.p.defaults.pollingIntervalSeconds: pollingIntervalSeconds must be a number of seconds"],
    [
      "an unknown Authentication value",
      '{ "profiles": { "prod": { "connection": "Endpoint=https://x.durabletask.io;Authentication=Kerberos" } } }',
      "profiles.prod.connection: unknown Authentication 'Kerberos' (valid: None, DefaultAzure, ManagedIdentity, WorkloadIdentity, Environment, AzureCli, AzurePowerShell, VisualStudioCode, InteractiveBrowser)",
    ],
    [
      "a misspelt connection-string key",
      '{ "profiles": { "prod": { "connection": "Endpont=https://x.durabletask.io;Authentication=None" } } }',
      "profiles.prod.connection: unknown key 'Endpont' (did you mean 'Endpoint'?)",
    ],
    ["a misspelt profile key", '{ "profiles": { "prod": { "conection": "embedded" } } }', "profiles.prod: unknown key 'conection' (did you mean 'connection'?)"],
    ["a misspelt top-level key", '{ "profile": {} }', "(top level): unknown key 'profile' (did you mean 'profiles'?)"],
    ["a misspelt defaults key", '{ "profiles": { "p": { "defaults": { "pollingInterval": 5 } } } }', "profiles.p.defaults: unknown key 'pollingInterval' (did you mean 'pollingIntervalSeconds'?)"],
    [
      "a bad preset target (the kind's schema)",
      '{ "profiles": { "p": { "presets": { "build": { "kind": "http", "target": { "url": "ftp://x" } } } } } }',
      "profiles.p.presets.build.target.url: url must be an http:// or https:// URL",
    ],
    ["an unknown preset kind", '{ "profiles": { "p": { "presets": { "b": { "kind": "htp", "target": {} } } } } }', "profiles.p.presets.b.kind: 'htp' is not one of simulated, http, github-issues, command (did you mean 'http'?)"],
    ["an active profile that does not exist", '{ "activeProfile": "prd", "profiles": { "prod": {} } }', "activeProfile: no profile named 'prd' (did you mean 'prod'?)"],
    ["a bad profile name", '{ "profiles": { "my prod": {} } }', "profiles.my prod: profile name 'my prod' must start with a letter or digit"],
    ["a connection that is neither", '{ "profiles": { "p": { "connection": "embeded" } } }', `profiles.p.connection: 'embeded' is neither "embedded" (did you mean 'embedded'?)`],
  ];

  it.each(cases)("%s", async (_name, text, problem) => {
    const { env, file } = dirs();
    writeFileSync(file, text, { mode: 0o644 });
    const before = readFileSync(file);
    for (const args of [["profiles", "list"], ["profiles", "add", "x", "-c", "embedded"]]) {
      const r = await runMain(args, { env });
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`Config file ${file}`);
      expect(r.stderr).toContain(problem);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});

describe("environment overrides and redaction through the CLI", () => {
  it("DURABLE_TASK_SCHEDULER_CONNECTION_STRING wins over the active profile unless --profile is given", async () => {
    const { env } = dirs();
    expect((await runMain(["profiles", "add", "emu", "-c", EMULATOR, "--use"], { env })).code).toBe(0);
    const withEnv = {
      ...env,
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=https://s.durabletask.io/?sig=SuperSecret123;Authentication=DefaultAzure",
      TASKHUB_NAME: "samples",
    };
    let r = await runMain(["profiles", "list"], { env: withEnv });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\*\s+env\s+env\s+https:\/\/s\.durabletask\.io\/\?sig=\*\*\* · hub samples · DefaultAzure$/m);
    expect(r.stdout).toMatch(/^\s+emu\s+file/m);
    expect(r.stdout).toContain("DURABLE_TASK_SCHEDULER_CONNECTION_STRING is set");

    r = await runMain(["profiles", "show"], { env: withEnv });
    expect(r.stdout).toMatch(/^name:\s+env \(in effect\)$/m);
    expect(r.stdout).toMatch(/^connection:\s+Endpoint=https:\/\/s\.durabletask\.io\/\?sig=\*\*\*;Authentication=DefaultAzure$/m);
    expect(r.stdout).toMatch(/^task hub:\s+samples$/m);
    r = await runMain(["profiles", "show", "--json"], { env: withEnv });
    expect(JSON.parse(r.stdout).connection.connectionString).toBe("Endpoint=https://s.durabletask.io/?sig=***;Authentication=DefaultAzure");
    for (const out of [r.stdout, r.stderr]) expect(out).not.toContain("SuperSecret123");

    r = await runMain(["--profile", "emu", "profiles", "show"], { env: withEnv });
    expect(r.stdout).toMatch(/^name:\s+emu$/m);
  });

  it("profiles show/list --json redact secrets in presets and defaults", async () => {
    const { env, file } = dirs();
    writeFileSync(
      file,
      JSON.stringify({
        profiles: {
          ci: {
            connection: "embedded",
            defaults: { alert: { webhookUrl: "https://hooks.example.com/services/SuperSecret123" } },
            presets: { build: { kind: "http", target: { url: "https://ci.example/j", headers: { Authorization: "Bearer SuperSecret123" } } } },
          },
        },
      }),
    );
    for (const args of [["profiles", "show", "ci"], ["profiles", "show", "ci", "--json"], ["profiles", "list", "--json"]]) {
      const r = await runMain(args, { env });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain("SuperSecret123");
    }
    const shown = JSON.parse((await runMain(["profiles", "show", "ci", "--json"], { env })).stdout);
    expect(shown.presets.build.target.headers.Authorization).toBe("***");
    expect(shown.defaults.alert.webhookUrl).toBe("https://hooks.example.com/***");
  });

  it("ENDPOINT + TASKHUB give an emulator profile", async () => {
    const r = await runMain(["profiles", "show", "--json"], { env: { ENDPOINT: "http://localhost:8080", TASKHUB: "hub2" } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: "env",
      source: "env",
      taskHub: "hub2",
      connection: { type: "dts", endpoint: "http://localhost:8080", authentication: "None" },
    });
  });
});

describe("through the real bin: exit codes and stderr as a shell sees them", () => {
  it("a bad --connection is a usage error and writes nothing", async () => {
    const { env, file } = dirs();
    const r = await runCli(["profiles", "add", "x", "--connection", "Endpont=http://localhost:8080;Authentication=None"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("Error: --connection: unknown key 'Endpont' (did you mean 'Endpoint'?)\n");
    expect(() => statSync(file)).toThrow();
  });

  it("a malformed config file: exit 3, the path and the problem, no stack trace, the file untouched", async () => {
    const { env, file } = dirs();
    writeFileSync(file, '{ "profiles": { "prod": ', { mode: 0o644 });
    const r = await runCli(["profiles", "list"], { env });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`Config file ${file}`);
    expect(r.stderr).toContain("not valid JSON");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, "utf8")).toBe('{ "profiles": { "prod": ');
  });

  it("a malformed override exits 3 naming the variable, without echoing a secret", async () => {
    const r = await runCli(["profiles", "list"], {
      env: { DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=https://x.io;Authentication=None;ClientSecret=SuperSecret123" },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("Environment variable DURABLE_TASK_SCHEDULER_CONNECTION_STRING: unknown key 'ClientSecret'");
    expect(r.stderr).not.toContain("SuperSecret123");
  });
});
