// Kept free of modern syntax, like the rest of bin/: it is loaded before the version check.
//
// Runs the CommonJS bundle (dist/cli.bundle.cjs) with a V8 code cache of our own. Node's compile cache is written
// when a file is compiled, before it runs, so it holds the top level only, and every run compiled again each function
// it called. This cache is written when a command has run, one per command ("list", "status", the dashboard...): it
// holds what that command called, and its next runs compile almost nothing (bench/cli-startup measures both). A
// command's first run starts from another one-shot command's cache, when there is one.
//
// Where: a `durable-monitor-tui` directory in Node's compile cache directory (NODE_COMPILE_CACHE, else the OS temp dir);
// none when Node's cache is off (NODE_DISABLE_COMPILE_CACHE=1), before Node 22.8 (no module.getCompileCacheDir), and on
// Windows. V8 runs a cache's code without checking it against the source (only its length), so a cache is only read
// from a directory and a file that are this user's and writable by nobody else (checked on the open file), and only
// for the same bundle: the build stamps its content hash on the bundle's first line, and the cache's name holds it,
// with the Node build, the flags and the command.
import module from "node:module";
import { commandWords } from "./command-words.js";

var require = module.createRequire(import.meta.url);
var fs = require("node:fs");
var path = require("node:path");
var vm = require("node:vm");

var APP_DIR = "durable-monitor-tui";
var posix = process.platform !== "win32";

/** The commands whose first word is a group: `profiles list` and `profiles show` run different code. */
export var COMMAND_GROUPS = ["profiles", "config"];

/**
 * The cache a command line runs with: its command ("dashboard" when none), with the group's subcommand
 * ("profiles-list"). None for help or the version, which run little of the command: a cache is written once.
 */
export function cacheNameOf(args) {
  var words = commandWords(args);
  var options = args.indexOf("--") < 0 ? args : args.slice(0, args.indexOf("--"));
  if (words[0] === "help" || options.some(isHelpOrVersion)) return undefined;
  if (words.length === 0) return "dashboard";
  // `start --wait` runs a worker and the embedded hub itself: it runs far more than `start`.
  if (words[0] === "start" && options.indexOf("--wait") >= 0) return "start-wait";
  return COMMAND_GROUPS.indexOf(words[0]) >= 0 && words[1] ? words[0] + "-" + words[1] : words[0];
}

function isHelpOrVersion(arg) {
  return arg === "--help" || arg === "-h" || arg === "--version" || arg === "-V";
}

/** Runs the bundle at `file` and returns its exports; `command` names its cache (undefined: no cache). */
export function runBundle(file, command) {
  var source = fs.readFileSync(file, "utf8");
  var cache = command ? cacheFile(file, source, command) : undefined;
  var cached = cache ? readCache(cache) : undefined;
  var options = { filename: file, cachedData: cached && cached.data };
  if (vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER) options.importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  // The wrapper shares the first line with the build's stamp, a comment: the code's lines and columns are its own.
  var script = new vm.Script("(function (exports, require, module, __filename, __dirname) { " + source + "\n})", options);
  if (cache && (!cached || cached.borrowed || script.cachedDataRejected)) {
    process.once("exit", function (code) {
      if (code === 0) writeCache(cache, script);
    });
  }
  var bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, module.createRequire(file), bundle, file, path.dirname(file));
  return bundle.exports;
}

function cacheFile(file, source, command) {
  var build = /^\/\*build:([0-9a-f]{16})\*\//.exec(source.slice(0, 32));
  if (!build || !posix || !/^[a-z][a-z-]{0,40}$/.test(command) || typeof module.getCompileCacheDir !== "function") return undefined;
  var root = module.getCompileCacheDir();
  if (!root) return undefined;
  var dir = path.join(root, APP_DIR);
  var env = hash([file, process.version, process.arch, process.execArgv.join(" ")].join("\0"));
  // <command>-<env>-<build>-<length>.v8: the tail names the bundle and the Node it is for, whatever the command.
  var tail = "-" + env + "-" + build[1] + "-" + source.length + ".v8";
  return { root: root, dir: dir, prefix: command + "-" + env + "-", tail: tail, path: path.join(dir, command + tail) };
}

/** Only this user's: owned by us and writable by nobody else. */
function ours(stat) {
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** Our directory, and the one it is in (Node's, per Node build), are this user's alone. */
function safeDirs(cache) {
  var dir = fs.lstatSync(cache.dir);
  return dir.isDirectory() && ours(dir) && ours(fs.lstatSync(cache.root));
}

/** The commands that run a worker or a hub: their caches hold far more than a one-shot command runs. */
var SERVERS = ["dashboard", "worker", "hub", "start-wait"];

/**
 * This command's cache; else, on its first run, another one-shot command's cache of the same bundle (`borrowed`):
 * it holds the CLI's start-up, and this run then writes its own (which keeps what it borrowed: the smallest is taken,
 * so that caches do not grow from one borrower to the next).
 */
function readCache(cache) {
  try {
    if (!safeDirs(cache)) return undefined;
    var own = readOurs(cache.path);
    if (own) return { data: own, borrowed: false };
    var lenders = fs.readdirSync(cache.dir).filter(function (name) {
      return name.slice(-cache.tail.length) === cache.tail && SERVERS.indexOf(name.slice(0, -cache.tail.length)) < 0;
    });
    var sizes = {};
    lenders.forEach(function (name) {
      try {
        sizes[name] = fs.lstatSync(path.join(cache.dir, name)).size;
      } catch (error) {
        sizes[name] = Infinity; // gone meanwhile
      }
    });
    lenders.sort(function (a, b) {
      return sizes[a] - sizes[b];
    });
    for (var i = 0; i < lenders.length; i++) {
      var borrowed = readOurs(path.join(cache.dir, lenders[i]));
      if (borrowed) return { data: borrowed, borrowed: true };
    }
    return undefined;
  } catch (error) {
    return undefined; // none yet (or unreadable): this run writes one
  }
}

/** The file's bytes when it is a file of ours that nobody else can write (checked on the open file); else undefined. */
function readOurs(file) {
  var fd;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0));
    var stat = fs.fstatSync(fd);
    return stat.isFile() && ours(stat) ? fs.readFileSync(fd) : undefined;
  } catch (error) {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeCache(cache, script) {
  var temp = cache.path + "." + process.pid + ".tmp";
  try {
    fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    if (!safeDirs(cache)) return;
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: "wx" });
    fs.renameSync(temp, cache.path);
    // The same command's cache of an earlier build goes.
    fs.readdirSync(cache.dir).forEach(function (name) {
      if (name.indexOf(cache.prefix) === 0 && name !== path.basename(cache.path) && !/\.tmp$/.test(name)) fs.rmSync(path.join(cache.dir, name), { force: true });
    });
  } catch (error) {
    // A cache that cannot be written only costs the next run its compile time.
    try {
      fs.rmSync(temp, { force: true });
    } catch (ignored) {
      // nothing to remove
    }
  }
}

/** FNV-1a, 32 bits: tells checkouts, Node builds and flags apart in a file name (V8 also refuses another V8's cache). */
function hash(text) {
  var h = 0x811c9dc5;
  for (var i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}
