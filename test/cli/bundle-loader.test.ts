/**
 * bin/bundle-loader.js: the code cache a command writes once it has run, which its next runs read. V8 runs a cache's
 * code without comparing it with the source (only the source's length), so a cache is read only from a directory and
 * a file that are this user's and writable by nobody else.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { cacheNameOf, COMMAND_GROUPS } from "../../bin/bundle-loader.js";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { cliEnv, repoRoot, tempDir } from "../helpers/cli.js";

const bin = join(repoRoot, "bin", "durable-monitor-tui.js");
const bundle = join(repoRoot, "dist", "cli.bundle.cjs");

function run(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [bin, ...args], { env, encoding: "utf8" });
}

/** The code caches under a compile cache directory (Node puts its own in a subdirectory per Node build). */
function cacheFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => /(^|[\\/])durable-monitor-tui[\\/][^\\/]+\.v8$/.test(file))
    .map((file) => join(root, file));
}

const loaderUrl = pathToFileURL(join(repoRoot, "bin", "bundle-loader.js")).href;

/** Runs `file` through the loader with the cache `name`, in a child process; what its main() returned. */
function runThroughLoader(file: string, name: string, env: NodeJS.ProcessEnv) {
  return spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import module from "node:module"; module.enableCompileCache();
       const { runBundle } = await import(${JSON.stringify(loaderUrl)});
       const out = await runBundle(${JSON.stringify(file)}, ${JSON.stringify(name)}).main(process.argv.slice(1));
       if (typeof out === "string") process.stdout.write(out); else process.exitCode = out;`,
      ...(name.startsWith("profiles") ? ["profiles", "list"] : []),
    ],
    { env, encoding: "utf8" },
  );
}

/**
 * A code cache made from a bundle of the same length as the shipped one, whose `profiles list` prints the heading
 * PLANTED!!! instead of CONNECTION: what someone else could leave where the cache is read.
 */
function plantedCache(env: NodeJS.ProcessEnv): string {
  const planted = join(repoRoot, "dist", `.planted-${process.pid}.cjs`);
  const plantedRoot = tempDir("dmt-code-cache-planted-");
  try {
    const source = readFileSync(bundle, "utf8");
    expect(source).toContain('"SOURCE","CONNECTION"]');
    writeFileSync(planted, source.replace('"SOURCE","CONNECTION"]', '"SOURCE","PLANTED!!!"]'));
    expect(runThroughLoader(planted, "profiles-list", { ...env, NODE_COMPILE_CACHE: plantedRoot }).stdout).toContain("PLANTED!!!");
    const [cache] = cacheFiles(plantedRoot);
    return cache!;
  } finally {
    rmSync(planted, { force: true });
  }
}

describe("the cache a command line runs with", () => {
  it("is its command, a group's subcommand, or the dashboard's; none for help and the version", () => {
    expect(cacheNameOf(["status", "0f3c-id", "--json"])).toBe("status");
    expect(cacheNameOf(["--profile", "emu", "list"])).toBe("list");
    expect(cacheNameOf(["profiles", "list"])).toBe("profiles-list");
    expect(cacheNameOf(["config", "path"])).toBe("config-path");
    expect(cacheNameOf(["start", "--duration", "2", "--wait"])).toBe("start-wait");
    expect(cacheNameOf(["--no-worker"])).toBe("dashboard");
    expect(cacheNameOf([])).toBe("dashboard");
    for (const args of [["list", "--help"], ["-h"], ["help", "list"], ["--version"], ["profiles", "-h"], ["profiles", "list", "--help"]]) expect(cacheNameOf(args), args.join(" ")).toBeUndefined();
  });

  it("knows every command group the CLI has (the words of dist/help.json's two-word commands)", () => {
    const help = JSON.parse(readFileSync(join(repoRoot, "dist", "help.json"), "utf8")) as Record<string, string>;
    const groups = new Set(Object.keys(help).filter((key) => key.includes(" ")).map((key) => key.split(" ")[0]));
    expect([...groups].sort()).toEqual([...COMMAND_GROUPS].sort());
  });
});

describe.skipIf(process.platform === "win32")("the bundle's code cache", () => {
  it("belongs to one build: a rebuilt bundle of the same length and path does not run the last one's code", () => {
    const dir = tempDir("dmt-loader-");
    const root = tempDir("dmt-code-cache-");
    const file = join(dir, "bundle.cjs");
    const bundleOf = (build: string, text: string) => `/*build:${build}*/\nexports.main = function () { return "${text}"; };\n`;
    const env = cliEnv({ NODE_COMPILE_CACHE: root });
    writeFileSync(file, bundleOf("a".repeat(16), "one"));
    expect(runThroughLoader(file, "probe", env).stdout).toBe("one");
    expect(cacheFiles(root)).toHaveLength(1);
    writeFileSync(file, bundleOf("b".repeat(16), "two"));
    expect(runThroughLoader(file, "probe", env).stdout).toBe("two");
    // The old build's cache went when the new one's was written.
    expect(cacheFiles(root)).toHaveLength(1);
    // The control: the same length under the old stamp (a bundle edited by hand) runs the cached code.
    writeFileSync(file, bundleOf("b".repeat(16), "new"));
    expect(runThroughLoader(file, "probe", env).stdout).toBe("two");
  });


  it("is written by a command's first successful run, then read and left as it is; a failed run writes none", () => {
    const root = tempDir("dmt-code-cache-");
    const env = cliEnv({ NODE_COMPILE_CACHE: root });
    expect(run(["profiles", "show", "nope"], env).status).toBe(3);
    expect(cacheFiles(root)).toEqual([]);

    const first = run(["profiles", "list"], env);
    expect(first.status).toBe(0);
    const files = cacheFiles(root);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/[\\/]profiles-list-[0-9a-f]+-[0-9a-f]{16}-\d+\.v8$/);
    expect(statSync(files[0]!).mode & 0o777).toBe(0o600);
    const written = statSync(files[0]!);

    const second = run(["profiles", "list"], env);
    expect(second.stdout).toBe(first.stdout);
    expect(cacheFiles(root)).toEqual(files);
    expect(statSync(files[0]!)).toMatchObject({ ino: written.ino, mtimeMs: written.mtimeMs });
  });

  it("is not read from a directory or a file that others can write (a planted cache would run its own code)", () => {
    const root = tempDir("dmt-code-cache-");
    const env = cliEnv({ NODE_COMPILE_CACHE: root });
    expect(run(["profiles", "list"], env).stdout).toContain("CONNECTION");
    const [cache] = cacheFiles(root);
    const dir = join(cache!, "..");

    // Someone else's cache for the same file name: made from a bundle of the same length that prints another heading.
    copyFileSync(plantedCache(env), cache!);

    chmodSync(dir, 0o777);
    expect(run(["profiles", "list"], env).stdout).toContain("CONNECTION");
    // The control: where the cache is this user's alone it is read, and its code runs. This is why the checks.
    chmodSync(dir, 0o700);
    expect(run(["profiles", "list"], env).stdout).toContain("PLANTED!!!");
    // A file others can write is not read, and the run replaces it with its own.
    chmodSync(cache!, 0o666);
    expect(run(["profiles", "list"], env).stdout).toContain("CONNECTION");
    expect(statSync(cache!).mode & 0o777).toBe(0o600);
    expect(run(["profiles", "list"], env).stdout).toContain("CONNECTION");
  });

  it("on a command's first run, is another one-shot command's of the same bundle, read as carefully; then its own", () => {
    const root = tempDir("dmt-code-cache-");
    const env = cliEnv({ NODE_COMPILE_CACHE: root });
    expect(run(["profiles", "list"], env).status).toBe(0);
    const [first] = cacheFiles(root);
    const dir = join(first!, "..");
    const tail = basename(first!).slice("profiles-list".length);
    const own = join(dir, `profiles-list${tail}`);
    const lender = join(dir, `config-path${tail}`);
    // Another command's cache of this bundle holds the planted code: `profiles list`, without its own, starts from it.
    // A symlink (the smallest candidate, tried first) is refused, and the next one is tried.
    rmSync(own);
    copyFileSync(plantedCache(env), lender);
    symlinkSync(lender, join(dir, `list${tail}`));
    const lent = statSync(lender);
    expect(run(["profiles", "list"], env).stdout).toContain("PLANTED!!!");
    expect(statSync(lender)).toMatchObject({ ino: lent.ino, mtimeMs: lent.mtimeMs });
    // Then its own, read by the next run and left as it is.
    const written = statSync(own);
    expect(run(["profiles", "list"], env).stdout).toContain("PLANTED!!!");
    expect(statSync(own)).toMatchObject({ ino: written.ino, mtimeMs: written.mtimeMs });

    // A lender others can write is not read.
    rmSync(own);
    chmodSync(lender, 0o666);
    expect(run(["profiles", "list"], env).stdout).toContain("CONNECTION");
    chmodSync(lender, 0o600);
    // A command that runs a worker or a hub holds far more than a one-shot command runs: not borrowed.
    rmSync(join(dir, `list${tail}`));
    for (const server of ["dashboard", "worker", "hub", "start-wait"]) {
      rmSync(own);
      const name = join(dir, `${server}${tail}`);
      renameSync(lender, name);
      expect(run(["profiles", "list"], env).stdout, server).toContain("CONNECTION");
      renameSync(name, lender);
    }
  });

  it("is off when Node's compile cache is (NODE_DISABLE_COMPILE_CACHE=1)", () => {
    const root = tempDir("dmt-code-cache-");
    const env = cliEnv({ NODE_COMPILE_CACHE: root, NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(run(["profiles", "list"], env).status).toBe(0);
    expect(cacheFiles(root)).toEqual([]);
  });
});
