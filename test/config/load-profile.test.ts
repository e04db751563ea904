import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir, homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configFilePath, describeConnection, loadProfile, loadProfiles } from "../../src/config/index.js";
import { ConfigError, ExitCode } from "../../src/errors.js";
import { emptyConfig, validateConfig } from "../../src/config/file.js";

const EMULATOR = "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default";

function setup(config?: unknown) {
  const cwd = mkdtempSync(join(tmpdir(), "dmt-config-"));
  const data = mkdtempSync(join(tmpdir(), "dmt-data-"));
  const env: NodeJS.ProcessEnv = { DURABLE_MONITOR_TUI_DATA_DIR: data };
  if (config !== undefined) writeFileSync(join(cwd, "config.json"), typeof config === "string" ? config : JSON.stringify(config));
  return { cwd, data, env };
}

describe("loadProfile", () => {
  it("gives the built-in embedded default when there is no file", () => {
    const { cwd, data, env } = setup();
    const profile = loadProfile({ cwd, env });
    expect(profile).toEqual({
      name: "default",
      connection: { type: "embedded", dbPath: join(data, "hub.sqlite") },
      taskHub: "default",
      defaults: {},
      presets: {},
      source: "builtin",
    });
    expect(describeConnection(profile)).toBe(`embedded hub · ${join(data, "hub.sqlite")}`);
  });

  it("with no file, reads as an empty file would (what the schema makes of `{}`)", () => {
    expect(emptyConfig()).toEqual(validateConfig({}, "config.json"));
  });

  it("resolves the file's active profile, its task hub, defaults and presets", () => {
    const { cwd, env } = setup({
      activeProfile: "azure",
      profiles: {
        local: { connection: "embedded", dbPath: "hubs/local.sqlite" },
        home: { connection: "embedded", dbPath: "~/hub.sqlite", taskHub: "mine" },
        azure: {
          connection: "Endpoint=https://s.westus2.durabletask.io;Authentication=defaultazure;TaskHub=fromstring",
          taskHub: "override",
          defaults: { kind: "http", pollingIntervalSeconds: 10 },
          presets: { build: { kind: "http", target: { url: "https://ci.example/job/1" }, description: "CI build" } },
        },
      },
    });
    const azure = loadProfile({ cwd, env });
    expect(azure.name).toBe("azure");
    expect(azure.source).toBe("file");
    expect(azure.taskHub).toBe("override");
    expect(azure.connection).toEqual({
      type: "dts",
      connectionString: "Endpoint=https://s.westus2.durabletask.io;Authentication=defaultazure;TaskHub=fromstring",
      parsed: { endpoint: "https://s.westus2.durabletask.io", authentication: "DefaultAzure", taskHub: "override" },
    });
    expect(azure.defaults).toEqual({ kind: "http", pollingIntervalSeconds: 10 });
    expect(azure.presets.build).toEqual({ kind: "http", target: { url: "https://ci.example/job/1" }, description: "CI build" });
    expect(describeConnection(azure)).toBe("https://s.westus2.durabletask.io · hub override · DefaultAzure");

    const local = loadProfile({ cwd, env, profile: "local" });
    expect(local.connection).toEqual({ type: "embedded", dbPath: join(cwd, "hubs", "local.sqlite") });
    const home = loadProfile({ cwd, env, profile: "home" });
    expect(home.connection).toEqual({ type: "embedded", dbPath: join(homedir(), "hub.sqlite") });
    expect(describeConnection(home)).toBe(`embedded hub · ${join(homedir(), "hub.sqlite")} · hub mine`);
  });

  it("honours DURABLE_MONITOR_TUI_CONFIG_DIR when no cwd is given", () => {
    const { cwd, env } = setup({ activeProfile: "emu", profiles: { emu: { connection: EMULATOR } } });
    env.DURABLE_MONITOR_TUI_CONFIG_DIR = cwd;
    expect(configFilePath({ env })).toBe(join(cwd, "config.json"));
    expect(loadProfile({ env }).name).toBe("emu");
  });

  it("names the known profiles when asked for an unknown one", () => {
    const { cwd, env } = setup({ profiles: { emu: { connection: EMULATOR } } });
    expect(() => loadProfile({ cwd, env, profile: "emo" })).toThrow(
      new ConfigError("no profile named 'emo' (did you mean 'emu'?); known profiles: default, emu"),
    );
    expect(() => loadProfile({ cwd, env, profile: "nope" })).toThrow(expect.objectContaining({ exitCode: ExitCode.Config }));
  });
});

describe("environment overrides", () => {
  const file = {
    activeProfile: "emu",
    profiles: { emu: { connection: EMULATOR, defaults: { pollingIntervalSeconds: 7 } } },
  };

  it("DURABLE_TASK_SCHEDULER_CONNECTION_STRING + TASKHUB_NAME win over the active profile", () => {
    const { cwd, env } = setup(file);
    env.DURABLE_TASK_SCHEDULER_CONNECTION_STRING = "Endpoint=https://e.durabletask.io;Authentication=ManagedIdentity;ClientID=cid";
    env.TASKHUB_NAME = "samples";
    const profile = loadProfile({ cwd, env });
    expect(profile.name).toBe("env");
    expect(profile.source).toBe("env");
    expect(profile.taskHub).toBe("samples");
    expect(profile.connection).toMatchObject({
      type: "dts",
      parsed: { endpoint: "https://e.durabletask.io", authentication: "ManagedIdentity", clientId: "cid", taskHub: "samples" },
    });
    // the environment picks the backend; the active profile's monitor defaults still apply
    expect(profile.defaults).toEqual({ pollingIntervalSeconds: 7 });
    expect(describeConnection(profile)).toBe("https://e.durabletask.io · hub samples · ManagedIdentity");
  });

  it("ENDPOINT + TASKHUB give an emulator profile with Authentication=None", () => {
    const { cwd, env } = setup(file);
    env.ENDPOINT = "http://localhost:9090";
    env.TASKHUB = "hub9";
    const profile = loadProfile({ cwd, env });
    expect(profile).toMatchObject({
      name: "env",
      source: "env",
      taskHub: "hub9",
      connection: { type: "dts", parsed: { endpoint: "http://localhost:9090", authentication: "None", taskHub: "hub9" } },
    });
    // No credential to name: the header shows no cryptic "· None".
    expect(describeConnection(profile)).toBe("http://localhost:9090 · hub hub9");
    delete env.TASKHUB;
    expect(loadProfile({ cwd, env }).taskHub).toBe("default");
  });

  it("the connection string wins over ENDPOINT", () => {
    const { cwd, env } = setup();
    env.ENDPOINT = "http://localhost:9090";
    env.DURABLE_TASK_SCHEDULER_CONNECTION_STRING = EMULATOR;
    const profile = loadProfile({ cwd, env });
    expect(profile.connection.type === "dts" && profile.connection.parsed.endpoint).toBe("http://localhost:8080");
  });

  it("an explicit --profile wins over the environment; --profile env selects it", () => {
    const { cwd, env } = setup(file);
    env.ENDPOINT = "http://localhost:9090";
    expect(loadProfile({ cwd, env, profile: "emu" }).name).toBe("emu");
    expect(loadProfile({ cwd, env, profile: "default" }).source).toBe("builtin");
    expect(loadProfile({ cwd, env, profile: "env" }).source).toBe("env");
    const catalog = loadProfiles({ cwd, env });
    expect(catalog.inEffect).toBe("env");
    expect(catalog.fileActive).toBe("emu");
    expect(catalog.envVariable).toBe("ENDPOINT");
  });

  it("empty override variables count as unset; --profile env without them is a ConfigError", () => {
    const { cwd, env } = setup(file);
    env.ENDPOINT = "";
    env.DURABLE_TASK_SCHEDULER_CONNECTION_STRING = "  ";
    expect(loadProfile({ cwd, env }).name).toBe("emu");
    expect(() => loadProfile({ cwd, env, profile: "env" })).toThrow(/needs DURABLE_TASK_SCHEDULER_CONNECTION_STRING or ENDPOINT/);
  });

  it.each([
    [{ DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=https://x.io;Authentication=Magic" }, /^Environment variable DURABLE_TASK_SCHEDULER_CONNECTION_STRING: unknown Authentication 'Magic'/],
    [{ DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpont=https://x.io;Authentication=None" }, /DURABLE_TASK_SCHEDULER_CONNECTION_STRING: unknown key 'Endpont' \(did you mean 'Endpoint'\?\)/],
    [{ ENDPOINT: "ftp://localhost:8080" }, /^Environment variable ENDPOINT: Endpoint 'ftp:\/\/localhost:8080' must be https:\/\//],
    [{ ENDPOINT: "http://sched.example:8080" }, /^Environment variable ENDPOINT: .*never sent without TLS.* \(ENDPOINT means Authentication=DefaultAzure for a host that is not localhost\/loopback; for an emulator elsewhere set DURABLE_TASK_SCHEDULER_CONNECTION_STRING=/],
    [{ ENDPOINT: "http://localhost:8080", TASKHUB: "a;b" }, /^Environment variable TASKHUB: a task hub name cannot contain/],
  ])("a malformed override is a ConfigError naming the variable (%o)", (vars, message) => {
    const { cwd, env } = setup();
    Object.assign(env, vars);
    expect(() => loadProfile({ cwd, env })).toThrow(ConfigError);
    expect(() => loadProfile({ cwd, env })).toThrow(message);
  });
});

describe("check settings (what the profile's worker lets checks do)", () => {
  it("resolves commands, allowAdHocCommands, allowedHosts and githubApiUrl; the env profile inherits only the definitions", () => {
    const checks = {
      commands: { "backup-status": { command: "/usr/local/bin/backup-status --json", cwd: "/srv", timeoutSeconds: 30, env: ["BACKUP_TOKEN"] } },
      allowAdHocCommands: true,
      allowedHosts: ["ci.example.com", "*.example.org", "localhost:8080"],
      githubApiUrl: "https://ghe.example.com/api/v3",
    };
    const { cwd, env } = setup({ activeProfile: "p", profiles: { p: checks } });
    expect(loadProfile({ cwd, env }).checks).toEqual(checks);
    env.DURABLE_TASK_SCHEDULER_CONNECTION_STRING = EMULATOR;
    expect(loadProfile({ cwd, env }).checks).toEqual({ commands: checks.commands, githubApiUrl: checks.githubApiUrl });
  });

  it.each([
    [{ commands: { "bad name": { command: "true" } } }, "profiles.p.commands.bad name: command name 'bad name' must hold only"],
    [{ commands: { c: {} } }, "profiles.p.commands.c.command: command is required"],
    [{ commands: { c: { command: "true", env: ["A-B"] } } }, "profiles.p.commands.c.env.0: env holds variable names"],
    [{ allowedHosts: ["https://ci.example.com/x"] }, "profiles.p.allowedHosts.0: allowedHosts holds host names"],
    [{ githubApiUrl: "http://ghe.example.com/api/v3" }, "profiles.p.githubApiUrl: githubApiUrl must be an https:// URL"],
    [{ allowAdHocCommands: "yes" }, "profiles.p.allowAdHocCommands"],
  ])("%o", (profile, message) => {
    const { cwd, env } = setup({ profiles: { p: profile } });
    expect(() => loadProfile({ cwd, env, profile: "p" })).toThrow(`Config file ${join(cwd, "config.json")}: ${message}`);
  });
});

describe("defaults and presets follow the monitor's rules", () => {
  it.each([
    [{ defaults: { pollingIntervalSeconds: 10, timeoutSeconds: 5 } }, "profiles.p.defaults.timeoutSeconds: timeoutSeconds (5) must not be shorter than pollingIntervalSeconds (10)"],
    [{ defaults: { pollingIntervalSeconds: 0 } }, "profiles.p.defaults.pollingIntervalSeconds: pollingIntervalSeconds must be more than 0"],
    [{ defaults: { alert: { webhookUrl: "nope" } } }, "profiles.p.defaults.alert.webhookUrl: alert.webhookUrl must be an http:// or https:// URL"],
    [{ presets: { s: { kind: "simulated", target: {}, pollingIntervalSeconds: 9, timeoutSeconds: 3 } } }, "profiles.p.presets.s.timeoutSeconds: timeoutSeconds (3) must not be shorter"],
    [{ presets: { g: { kind: "github-issues", target: { repo: "nope" } } } }, "profiles.p.presets.g.target.repo: repo must look like owner/name"],
    [{ presets: { c: { kind: "command", target: {} } } }, "profiles.p.presets.c.target.command: command is required"],
    [{ presets: { c: { kind: "command" } } }, "profiles.p.presets.c.target: is required"],
  ])("%o", (profile, message) => {
    const { cwd, env } = setup({ profiles: { p: profile } });
    expect(() => loadProfile({ cwd, env })).toThrow(ConfigError);
    expect(() => loadProfile({ cwd, env })).toThrow(`Config file ${join(cwd, "config.json")}: ${message}`);
  });

  it("accepts presets of every kind", () => {
    const presets = {
      sim: { kind: "simulated", target: { durationSeconds: 30 } },
      web: { kind: "http", target: { url: "https://ci.example/job" }, pollingIntervalSeconds: 5, timeoutSeconds: 60, backoff: { multiplier: 2, maxIntervalSeconds: 60 } },
      gh: { kind: "github-issues", target: { repo: "microsoft/durabletask-js", threshold: 5 }, alert: { webhookUrl: "http://localhost:9/hook" } },
      cmd: { kind: "command", target: { command: "true" }, jobId: "cmd-1", maxConsecutiveFailures: 2 },
    };
    const { cwd, env } = setup({ profiles: { p: { presets } } });
    expect(loadProfile({ cwd, env, profile: "p" }).presets).toEqual(presets);
  });
});
