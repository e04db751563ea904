import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { addProfile, loadProfile, loadProfiles, readConfig, removeProfile, useProfile } from "../../src/config/index.js";
import { ConfigError, UsageError } from "../../src/errors.js";

const EMULATOR = "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default";

function setup() {
  const cwd = mkdtempSync(join(tmpdir(), "dmt-config-"));
  const env: NodeJS.ProcessEnv = { DURABLE_MONITOR_TUI_DATA_DIR: mkdtempSync(join(tmpdir(), "dmt-data-")) };
  return { cwd, env, file: join(cwd, "config.json") };
}

describe("profile edits", () => {
  it("add, use, remove: the file follows, written with mode 0600", async () => {
    const { cwd, env, file } = setup();
    await expect(addProfile({ name: "emu", connection: EMULATOR, taskHub: "h1" }, { cwd, env })).resolves.toEqual({ replaced: false });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ profiles: { emu: { connection: EMULATOR, taskHub: "h1" } } });

    await useProfile("emu", { cwd, env });
    expect(loadProfile({ cwd, env }).name).toBe("emu");
    expect(loadProfile({ cwd, env }).taskHub).toBe("h1");

    await addProfile({ name: "local", connection: "embedded", dbPath: "rel/hub.sqlite" }, { cwd, env });
    expect(loadProfile({ cwd, env, profile: "local" }).connection).toEqual({ type: "embedded", dbPath: resolve("rel/hub.sqlite") });
    expect(loadProfiles({ cwd, env }).profiles.map((p) => p.name)).toEqual(["default", "emu", "local"]);

    await expect(removeProfile("emu", { cwd, env })).resolves.toEqual({ wasActive: true });
    expect(loadProfile({ cwd, env }).name).toBe("default");
    await expect(removeProfile("local", { cwd, env })).resolves.toEqual({ wasActive: false });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ profiles: {} });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("rewrites a group/world-readable file with mode 0600", async () => {
    const { cwd, env, file } = setup();
    writeFileSync(file, JSON.stringify({ profiles: {} }), { mode: 0o644 });
    chmodSync(file, 0o644);
    await addProfile({ name: "emu", connection: EMULATOR }, { cwd, env });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.each([
    ["an empty file", ""],
    ["a file with a byte order mark", '\uFEFF{ "profiles": {} }'],
  ])("accepts and rewrites %s", async (_name, text) => {
    const { cwd, env, file } = setup();
    writeFileSync(file, text);
    expect(loadProfile({ cwd, env }).name).toBe("default");
    await addProfile({ name: "emu", connection: EMULATOR }, { cwd, env });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ profiles: { emu: { connection: EMULATOR } } });
  });

  it("keeps what the user wrote elsewhere in the file", async () => {
    const { cwd, env, file } = setup();
    const original = {
      profiles: { ci: { connection: "embedded", defaults: { pollingIntervalSeconds: 3 }, presets: { s: { kind: "simulated", target: {} } } } },
    };
    writeFileSync(file, JSON.stringify(original));
    await addProfile({ name: "emu", connection: EMULATOR }, { cwd, env });
    expect(JSON.parse(readFileSync(file, "utf8")).profiles.ci).toEqual(original.profiles.ci);
  });

  it("refuses to overwrite without force; force keeps defaults and presets", async () => {
    const { cwd, env } = setup();
    await addProfile({ name: "emu", connection: EMULATOR }, { cwd, env });
    await expect(addProfile({ name: "emu", connection: "embedded" }, { cwd, env })).rejects.toEqual(
      new UsageError("profile 'emu' already exists", "pass --force to replace it"),
    );
    await expect(addProfile({ name: "emu", connection: "embedded" }, { cwd, env })).rejects.toMatchObject({ tryMessage: "pass --force to replace it" });
    await expect(addProfile({ name: "default", connection: "embedded" }, { cwd, env })).rejects.toThrow(/already exists/);
    await expect(addProfile({ name: "emu", connection: "embedded", force: true }, { cwd, env })).resolves.toEqual({ replaced: true });
    expect(loadProfile({ cwd, env, profile: "emu" }).connection.type).toBe("embedded");
  });

  it.each([
    [{ name: "bad name", connection: "embedded" }, /profile name 'bad name' must start with a letter or digit/],
    [{ name: "env", connection: "embedded" }, /'env' is reserved/],
    [{ name: "x", connection: "embeded" }, /--connection must be "embedded" \(did you mean 'embedded'\?\)/],
    [{ name: "x", connection: "Endpoint=http://localhost:8080;Authentication=Nope" }, /--connection: unknown Authentication 'Nope'/],
    [{ name: "x", connection: EMULATOR, dbPath: "/tmp/x.sqlite" }, /--db only applies to an "embedded" connection/],
    [{ name: "x", connection: "embedded", taskHub: " " }, /--taskhub cannot be empty/],
  ])("rejects bad input with a UsageError: %o", async (input, message) => {
    const { cwd, env, file } = setup();
    await expect(addProfile(input, { cwd, env })).rejects.toThrow(UsageError);
    await expect(addProfile(input, { cwd, env })).rejects.toThrow(message);
    expect(readConfig({ cwd, env }).exists).toBe(false);
    expect(() => statSync(file)).toThrow();
  });

  it("remove/use of unknown names, 'default' and 'env' are clear errors", async () => {
    const { cwd, env } = setup();
    await addProfile({ name: "emu", connection: EMULATOR }, { cwd, env });
    await expect(removeProfile("emo", { cwd, env })).rejects.toThrow(new ConfigError("no profile named 'emo' (did you mean 'emu'?); known profiles: default, emu"));
    await expect(removeProfile("default", { cwd, env })).rejects.toThrow(new UsageError("the built-in 'default' profile cannot be removed"));
    await expect(removeProfile("env", { cwd, env })).rejects.toThrow(UsageError);
    await expect(useProfile("nope", { cwd, env })).rejects.toThrow(ConfigError);
    await expect(useProfile("env", { cwd, env })).rejects.toThrow(UsageError);
    await useProfile("default", { cwd, env });
    expect(loadProfiles({ cwd, env }).fileActive).toBe("default");
  });

  it("a customised 'default' can be removed, reverting to the built-in", async () => {
    const { cwd, env } = setup();
    await addProfile({ name: "default", connection: EMULATOR, force: true }, { cwd, env });
    expect(loadProfile({ cwd, env }).source).toBe("file");
    await removeProfile("default", { cwd, env });
    expect(loadProfile({ cwd, env }).source).toBe("builtin");
  });

  it("never writes over a malformed file", async () => {
    const { cwd, env, file } = setup();
    const text = '{ "profiles": { "prod": { "conection": "embedded" } } }\n';
    writeFileSync(file, text);
    await expect(addProfile({ name: "x", connection: "embedded" }, { cwd, env })).rejects.toThrow(ConfigError);
    await expect(useProfile("default", { cwd, env })).rejects.toThrow(ConfigError);
    await expect(removeProfile("prod", { cwd, env })).rejects.toThrow(ConfigError);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

describe("concurrent edits", () => {
  it("ten profiles added at once all persist (a lock around the read-modify-write)", async () => {
    const { cwd, env } = setup();
    const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
    await Promise.all(names.map((name) => addProfile({ name, connection: "embedded" }, { cwd, env })));
    expect(Object.keys(readConfig({ cwd, env }).config.profiles ?? {}).sort()).toEqual(names.sort());
  });
});
});
