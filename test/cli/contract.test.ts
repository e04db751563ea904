import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliEnv, repoRoot, runCli, tempDir } from "../helpers/cli.js";

const COMMANDS = [
  "dashboard",
  "profiles",
  "config",
  "start",
  "list",
  "status",
  "terminate",
  "suspend",
  "resume",
  "raise",
  "purge",
  "history",
  "worker",
  "hub",
];

describe("the CLI contract (the built bin, in a child process)", () => {
  it("--help lists every command with a description, the exit codes and exits 0", async () => {
    const { code, stdout, stderr } = await runCli(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^Usage: durable-monitor-tui/);
    for (const name of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${name}\\b.*\\S\\s+\\S`, "m"));
    expect(stdout).toContain("--profile <name>");
    expect(stdout).toContain("Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 bad config, 4 backend unreachable.");
  });

  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) {
      const { code, stdout } = await runCli([flag]);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(pkg.version);
    }
  });

  it("an unknown flag is a usage error: exit 2, the error on stderr", async () => {
    const { code, stdout, stderr } = await runCli(["--nope"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("unknown option '--nope'");
  });

  it("an unknown flag on a subcommand is a usage error", async () => {
    const { code, stderr } = await runCli(["profiles", "list", "--jsn"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option '--jsn'[\s\S]*--json/);
  });

  it("an unknown command is a usage error that suggests the closest", async () => {
    const { code, stdout, stderr } = await runCli(["lsit"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("unknown command 'lsit' (did you mean 'list'?)");
    const afterOption = await runCli(["--profile", "x", "nope"]);
    expect(afterOption.code).toBe(2);
    expect(afterOption.stderr).toContain("unknown command 'nope'");
    const withValue = await runCli(["-p", "default", "config", "path"]);
    expect(withValue.code).toBe(0);
    const sub = await runCli(["profiles", "lst"]);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("unknown command 'lst'");
  });

  it("extra arguments and missing required options are usage errors", async () => {
    expect((await runCli(["config", "path", "extra"])).code).toBe(2);
    const missing = await runCli(["profiles", "add", "x"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-c, --connection <connection>' not specified");
  });

  it("with no command and no TTY, prints a one-line hint on stderr instead of drawing, and exits 2", async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("needs a terminal");
  });

  it("config path honours DURABLE_MONITOR_TUI_CONFIG_DIR", async () => {
    const { code, stdout } = await runCli(["config", "path"], { env: { DURABLE_MONITOR_TUI_CONFIG_DIR: "/tmp/somewhere-else" } });
    expect(code).toBe(0);
    expect(stdout).toBe("/tmp/somewhere-else/config.json\n");
  });

  it("config path defaults to the platform's config dir ($XDG_CONFIG_HOME on Linux)", async () => {
    const { stdout } = await runCli(["config", "path"], {
      env: { DURABLE_MONITOR_TUI_CONFIG_DIR: undefined, XDG_CONFIG_HOME: "/tmp/xdg" },
    });
    if (process.platform === "linux") expect(stdout).toBe("/tmp/xdg/durable-monitor-tui/config.json\n");
    else expect(stdout).toMatch(/durable-monitor-tui/);
  });

  it("config validate: 0 for a good file, 3 naming the problem for a bad one", async () => {
    const config = tempDir("dmt-config-");
    const env = { DURABLE_MONITOR_TUI_CONFIG_DIR: config };
    let r = await runCli(["config", "validate"], { env });
    expect(r).toMatchObject({ code: 0, stdout: `${join(config, "config.json")}: no file yet (only the built-in default profile)\n` });
    writeFileSync(join(config, "config.json"), JSON.stringify({ activeProfile: "emu", profiles: { emu: { connection: "embedded" } } }));
    r = await runCli(["config", "validate"], { env });
    expect(r).toMatchObject({ code: 0, stdout: `${join(config, "config.json")}: valid (1 profile; active: emu)\n` });
    writeFileSync(join(config, "config.json"), JSON.stringify({ activeProfile: "emu", profiles: { emu: { taskhub: "x" } } }));
    r = await runCli(["config", "validate"], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`Error: Config file ${join(config, "config.json")}: profiles.emu: unknown key 'taskhub' (did you mean 'taskHub'?)\n`);
  });

  it("the shim says so, in one line, when the program was never built", () => {
    const root = tempDir("dmt-unbuilt-");
    // The bin directory as the package ships it (every file the shim may import), without dist/.
    cpSync(join(repoRoot, "bin"), join(root, "bin"), { recursive: true });
    writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module" }));
    const r = spawnSync(process.execPath, [join(root, "bin", "durable-monitor-tui.js"), "--help"], { env: cliEnv(), encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("durable-monitor-tui is not built: run `npm run build` (or `npm start`) in its directory first.\n");
  });
});
