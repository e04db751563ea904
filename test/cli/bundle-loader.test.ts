/**
 * bin/bundle-loader.js: the code cache a command writes once it has run, which its next runs read. V8 runs a cache's
 * code without comparing it with the source (only the source's length), so a cache is read only from a directory and
 * a file that are this user's and writable by nobody else.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

describe.skipIf(process.platform === "win32")("the bundle's code cache", () => {
  it("is written by a command's first successful run, then read and left as it is; a failed run writes none", () => {
    const root = tempDir("dmt-code-cache-");
    const env = cliEnv({ NODE_COMPILE_CACHE: root });
    expect(run(["profiles", "show", "nope"], env).status).toBe(3);
    expect(cacheFiles(root)).toEqual([]);

    const first = run(["profiles", "list"], env);
    expect(first.status).toBe(0);
    const files = cacheFiles(root);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/[\\/]profiles-[0-9a-f]+-\d+-\d+-\d+\.v8$/);
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
    const planted = join(repoRoot, "dist", `.planted-${process.pid}.cjs`);
    const plantedRoot = tempDir("dmt-code-cache-planted-");
    try {
      const source = readFileSync(bundle, "utf8");
      expect(source).toContain('"SOURCE","CONNECTION"]');
      writeFileSync(planted, source.replace('"SOURCE","CONNECTION"]', '"SOURCE","PLANTED!!!"]'));
      const loader = pathToFileURL(join(repoRoot, "bin", "bundle-loader.js")).href;
      const make = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `import module from "node:module"; module.enableCompileCache();
           const { runBundle } = await import(${JSON.stringify(loader)});
           process.exitCode = await runBundle(${JSON.stringify(planted)}, "profiles").main(["profiles", "list"]);`,
        ],
        { env: { ...env, NODE_COMPILE_CACHE: plantedRoot }, encoding: "utf8" },
      );
      expect(make.stdout).toContain("PLANTED!!!");
      const [plantedCache] = cacheFiles(plantedRoot);
      copyFileSync(plantedCache!, cache!);
    } finally {
      rmSync(planted, { force: true });
    }

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

  it("is off when Node's compile cache is (NODE_DISABLE_COMPILE_CACHE=1)", () => {
    const root = tempDir("dmt-code-cache-");
    const env = cliEnv({ NODE_COMPILE_CACHE: root, NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(run(["profiles", "list"], env).status).toBe(0);
    expect(cacheFiles(root)).toEqual([]);
  });
});
