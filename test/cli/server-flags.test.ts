/**
 * The bin's shebang gives every command the dashboard's small young generation; `worker` and `hub` start again without
 * it (bin/server-flags.js): which commands do, and that a hub started as an installed bin runs under V8's defaults.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { DASHBOARD_FLAG, withoutDashboardFlags } from "../../bin/server-flags.js";
import { binPath, cliEnv, tempDir } from "../helpers/cli.js";

describe("which commands start again without the dashboard's flag", () => {
  it("worker and hub, wherever the profile option puts them; other Node flags are kept", () => {
    const flags = [DASHBOARD_FLAG, "--enable-source-maps"];
    for (const args of [["worker"], ["hub", "--port", "0"], ["-p", "prod", "worker"], ["--profile", "prod", "hub"], ["--", "worker"]]) {
      expect(withoutDashboardFlags(flags, args), args.join(" ")).toEqual(["--enable-source-maps"]);
    }
  });

  it("not the dashboard or a one-shot command, not a profile named worker, and not when the flag is absent", () => {
    for (const args of [[], ["list"], ["start", "--wait"], ["--profile", "worker", "list"], ["-p", "hub"]]) {
      expect(withoutDashboardFlags([DASHBOARD_FLAG], args), args.join(" ")).toBeNull();
    }
    expect(withoutDashboardFlags([], ["worker"])).toBeNull();
  });
});

describe.runIf(process.platform === "linux")("a hub started as an installed bin (through its shebang)", () => {
  it("runs under V8's defaults in the same process, and serves", async () => {
    const dir = tempDir("dmt-server-flags-");
    const env = cliEnv({ DURABLE_MONITOR_TUI_DATA_DIR: dir, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}` });
    const hub = spawn(binPath, ["hub", "--port", "0", "--insecure", "--db", join(dir, "hub.sqlite")], { env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      let err = "";
      hub.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
      hub.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
      await new Promise<void>((resolve, reject) => {
        hub.stdout.on("data", () => out.includes("Address:") && resolve());
        hub.once("exit", (code) => reject(new Error(`the hub exited (${code}): ${out}`)));
      });
      const commandLine = readFileSync(`/proc/${hub.pid}/cmdline`, "utf8").split("\0");
      expect(commandLine).toContain("hub");
      expect(commandLine).not.toContain(DASHBOARD_FLAG);
      expect(err).toBe(""); // no warning about the experimental process.execve
    } finally {
      hub.kill("SIGTERM");
      await new Promise((resolve) => (hub.exitCode === null ? hub.once("exit", resolve) : resolve(undefined)));
    }
  });
});
