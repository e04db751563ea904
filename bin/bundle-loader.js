// Kept free of modern syntax, like the rest of bin/: it is loaded before the version check.
//
// Runs the CommonJS bundle (dist/cli.bundle.cjs) with a V8 code cache of our own. Node's compile cache is written
// when a file is compiled, before it runs, so it holds the top level only, and every run compiled again each function
// it called. This cache is written when a command has run, one per command ("list", "status", the dashboard...): it
// holds what that command called, and its next runs compile almost nothing (bench/cli-startup measures both).
//
// Where: a `durable-monitor-tui` directory in Node's compile cache directory (NODE_COMPILE_CACHE, else the OS temp dir);
// none when Node's cache is off (NODE_DISABLE_COMPILE_CACHE=1). V8 runs a cache's code without checking it against
// the source, so a cache is only read from a directory and a file that are this user's and writable by nobody else,
// and only for the same bundle file (its size, time and inode in the name), Node and flags.
import module from "node:module";

var require = module.createRequire(import.meta.url);
var fs = require("node:fs");
var path = require("node:path");
var vm = require("node:vm");

var APP_DIR = "durable-monitor-tui";
var posix = process.platform !== "win32";

/** Runs the bundle at `file` and returns its exports; `command` names its cache (undefined: no cache). */
export function runBundle(file, command) {
  var fd = fs.openSync(file, "r");
  var source, stat;
  try {
    stat = fs.fstatSync(fd);
    source = fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
  var cache = command ? cacheFile(file, stat, command) : undefined;
  var cachedData = cache ? readCache(cache) : undefined;
  var options = { filename: file, cachedData: cachedData };
  if (vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER) options.importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  var script = new vm.Script("(function (exports, require, module, __filename, __dirname) { " + source + "\n})", options);
  if (cache && (!cachedData || script.cachedDataRejected)) {
    process.once("exit", function (code) {
      if (code === 0) writeCache(cache, script);
    });
  }
  var bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, module.createRequire(file), bundle, file, path.dirname(file));
  return bundle.exports;
}

function cacheFile(file, stat, command) {
  if (!/^[a-z][a-z-]{0,23}$/.test(command) || typeof module.getCompileCacheDir !== "function") return undefined;
  var root = module.getCompileCacheDir();
  if (!root) return undefined;
  var dir = path.join(root, APP_DIR);
  var prefix = command + "-" + hash([file, process.version, process.arch, process.execArgv.join(" ")].join("\0")) + "-";
  return { dir: dir, prefix: prefix, path: path.join(dir, prefix + stat.size + "-" + Math.floor(stat.mtimeMs) + "-" + stat.ino + ".v8") };
}

/** Only this user's: owned by us and writable by nobody else (POSIX; Windows keeps the temp dir per user). */
function ours(stat) {
  return !posix || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0);
}

function readCache(cache) {
  var fd;
  try {
    if (!ours(fs.lstatSync(cache.dir))) return undefined;
    fd = fs.openSync(cache.path, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0));
    var stat = fs.fstatSync(fd);
    return stat.isFile() && ours(stat) ? fs.readFileSync(fd) : undefined;
  } catch (error) {
    return undefined; // none yet (or unreadable): this run writes one
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeCache(cache, script) {
  try {
    fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    var dir = fs.lstatSync(cache.dir);
    if (!dir.isDirectory() || !ours(dir)) return;
    var temp = cache.path + "." + process.pid + ".tmp";
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: "wx" });
    fs.renameSync(temp, cache.path);
    // The same command's cache of an earlier build goes.
    fs.readdirSync(cache.dir).forEach(function (name) {
      if (name.indexOf(cache.prefix) === 0 && name !== path.basename(cache.path) && !/\.tmp$/.test(name)) fs.rmSync(path.join(cache.dir, name), { force: true });
    });
  } catch (error) {
    // A cache that cannot be written only costs the next run its compile time.
  }
}

/** FNV-1a, 32 bits: tells bundles and Node builds apart in a file name (V8 also refuses another V8's cache). */
function hash(text) {
  var h = 0x811c9dc5;
  for (var i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}
