#!/usr/bin/env -S node --max-semi-space-size=2
// --max-semi-space-size=2: a small V8 young generation keeps the dashboard's RSS low while it decodes every instance
// once a refresh (bench/tui-render: about 100 MB less at 1,000 monitors, for a few % of one core). The `worker` and
// `hub` commands are started again without it (below).
// The published entry point. Kept free of modern syntax before the version check, so an old Node refuses politely.
import module from "node:module";
import { fileURLToPath } from "node:url";
import { nodeVersionProblem } from "./node-version-check.js";
import { cacheNameOf, runBundle } from "./bundle-loader.js";
import { withoutDashboardFlags } from "./server-flags.js";

// require(), not `import … from "node:fs"`: an ES module's import of a built-in reads all its exports, and reading
// fs's loads its promises API and readline (a few ms of every command's start-up).
var readFileSync = module.createRequire(import.meta.url)("node:fs").readFileSync;

var problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(problem + "\n");
  process.exit(1);
}
if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";
// Node caches the compiled code of every module it loads (in the OS temp dir, or NODE_COMPILE_CACHE): later starts skip
// parsing and compiling the CLI and its dependencies (bench/cli-startup measures the difference).
if (typeof module.enableCompileCache === "function") module.enableCompileCache();

// `durable-monitor-tui ... | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error && error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// `--version` alone is answered from package.json without loading the CLI: scripts call it to check what is installed.
var args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  process.stdout.write(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version + "\n");
  process.exit(0);
}

// `--help`, for the CLI or one of its commands, is printed from what the build rendered (dist/help.json) without loading
// the CLI, whenever it is the same text: commander wraps help at 80 columns, or at a narrower terminal's width.
var help = prerenderedHelp(args);
if (help !== undefined) {
  process.stdout.write(help);
  process.exit(0);
}

// `worker` and `hub` run for hours and pay 10–20 % more CPU per check under the dashboard's small young generation
// (bench:checks): this process becomes the same command under V8's defaults (same pid; once, at start-up). Where
// process.execve is missing (Node before 22.15) or refused (Windows), the command keeps the flag and runs as it is.
// (process.execve is experimental; its warning is queued, and the process is replaced before it would print.)
var serverArgv = withoutDashboardFlags(process.execArgv, args);
if (serverArgv && typeof process.execve === "function" && process.platform !== "win32") {
  try {
    process.execve(process.execPath, [process.execPath, ...serverArgv, fileURLToPath(import.meta.url), ...args], process.env);
  } catch {
    // not available here: go on under the shebang's flags
  }
}

function prerenderedHelp(words) {
  var last = words[words.length - 1];
  if (last !== "--help" && last !== "-h") return undefined;
  var path = words.slice(0, -1);
  if (path.some((word) => word.startsWith("-"))) return undefined;
  if (process.stdout.isTTY && !(process.stdout.columns >= 80)) return undefined;
  var texts;
  try {
    texts = JSON.parse(readFileSync(new URL("../dist/help.json", import.meta.url), "utf8"));
  } catch {
    return undefined; // not built: the import below says so
  }
  var key = path.join(" ");
  return Object.hasOwn(texts, key) ? texts[key] : undefined;
}

var bundleFile = fileURLToPath(new URL("../dist/cli.bundle.cjs", import.meta.url));
var cli;
try {
  cli = runBundle(bundleFile, cacheNameOf(args));
} catch (error) {
  if (error && error.code === "ENOENT" && error.path === bundleFile) {
    process.stderr.write("durable-monitor-tui is not built: run `npm run build` (or `npm start`) in its directory first.\n");
    process.exit(1);
  }
  throw error;
}
process.exitCode = await cli.main(args);
