/**
 * `--help` is printed by the bin from dist/help.json (rendered by the build) without loading the CLI. These tests
 * hold that text to what the CLI itself prints, for every command, and show the bin really skips the CLI.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { cliEnv, repoRoot, runCli, tempDir } from "../helpers/cli.js";

type Cli = { main(argv: string[], io: unknown): Promise<number>; renderHelpTexts(): Promise<Record<string, string>> };
const loadCli = async (): Promise<Cli> => createRequire(import.meta.url)(join(repoRoot, "dist", "cli.bundle.cjs")) as Cli;

/** What the built CLI prints for `argv` when its stdout is a terminal `columns` wide. */
async function liveOutput(cli: Cli, argv: string[], columns: number): Promise<string> {
  let out = "";
  const stdout = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((out += String(chunk)), done()) }), { isTTY: true, columns });
  const code = await cli.main(argv, { stdout, stderr: stdout, stdin: process.stdin, env: {} });
  expect(code).toBe(0);
  return out;
}

describe("the bin's pre-rendered --help", () => {
  it("is, for every command, what the CLI prints on a terminal of 80 columns or more", async () => {
    const cli = await loadCli();
    const shipped = JSON.parse(readFileSync(join(repoRoot, "dist", "help.json"), "utf8")) as Record<string, string>;
    const paths = Object.keys(await cli.renderHelpTexts());
    expect(Object.keys(shipped).sort()).toEqual([...paths].sort());
    expect(paths).toEqual(expect.arrayContaining(["", "start", "profiles add", "hub"]));
    const printed = await Promise.all(paths.map((path) => runCli([...(path ? path.split(" ") : []), "--help"])));
    for (const [i, path] of paths.entries()) {
      const argv = [...(path ? path.split(" ") : []), "--help"];
      expect(printed[i], argv.join(" ")).toMatchObject({ code: 0, stderr: "", stdout: await liveOutput(cli, argv, 200) });
      expect(printed[i]!.stdout).toBe(shipped[path]);
    }
  });

  it("is not used on a terminal narrower than 80 columns: the CLI wraps at that width", async () => {
    const cli = await loadCli();
    const narrow = await liveOutput(cli, ["list", "--help"], 64);
    const shipped = (JSON.parse(readFileSync(join(repoRoot, "dist", "help.json"), "utf8")) as Record<string, string>).list!;
    const longest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));
    expect(longest(shipped)).toBeGreaterThan(64);
    expect(longest(narrow)).toBeLessThanOrEqual(64);
  });

  it("needs no CLI: with only the bin and dist/help.json, --help works and a command says the program is not built", () => {
    const root = tempDir("dmt-help-only-");
    mkdirSync(join(root, "bin"));
    mkdirSync(join(root, "dist"));
    for (const file of readdirSync(join(repoRoot, "bin")).filter((f) => f.endsWith(".js"))) copyFileSync(join(repoRoot, "bin", file), join(root, "bin", file));
    copyFileSync(join(repoRoot, "dist", "help.json"), join(root, "dist", "help.json"));
    writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module", version: "0.0.0" }));
    const bin = join(root, "bin", "durable-monitor-tui.js");
    const help = spawnSync(process.execPath, [bin, "status", "-h"], { env: cliEnv(), encoding: "utf8" });
    expect(help).toMatchObject({ status: 0, stderr: "" });
    expect(help.stdout).toMatch(/^Usage: durable-monitor-tui status \[options\] <instanceId>\n/);
    for (const argv of [["list"], ["nosuch", "--help"], ["-p", "x", "--help"]]) {
      const r = spawnSync(process.execPath, [bin, ...argv], { env: cliEnv(), encoding: "utf8" });
      expect(r, argv.join(" ")).toMatchObject({ status: 1, stderr: "durable-monitor-tui is not built: run `npm run build` (or `npm start`) in its directory first.\n" });
    }
  });
});
