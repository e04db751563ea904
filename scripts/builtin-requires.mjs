// The bundle's imports of Node's built-in modules become require() calls (the banner of bundle-options.mjs defines
// `require` in every output file). Node hands an ES module a built-in's namespace by reading every export once, which
// runs the built-in's lazy getters: `node:fs` then loads its promises API, readline and the REPL's history, `node:util`
// its diff, argument parser and worker_threads, `node:process` the report module — ~50 internal modules that no
// command uses, several ms of every start-up (bench:cli). A destructuring require() reads only the names it takes.
// This rewrites esbuild's output, whose import statements have a fixed shape. esbuild leaves them inside each module's
// section of a file, but an import binding exists before any code runs (a cycle between modules may call into one
// early), so the require()s go first: onto the banner's line, which keeps every other line where it was for the source
// map. Their names are unique in the file (one scope, as esbuild made it), and a built-in depends on nothing of ours.
import { isBuiltin } from "node:module";

/**
 * Built-ins whose default import is required on first use instead: commander imports child_process (and with it net
 * and dgram, ~2 ms) for executable subcommands, which this CLI has none of. Their functions do not use `this`, so a
 * proxy that forwards property reads stands in for the module.
 */
const ON_FIRST_USE = new Set(["child_process"]);

const IMPORT = /^import\s+(?:([\w$]+)\s*,?\s*)?(?:\*\s+as\s+([\w$]+)|\{([^}]*)\})?\s*(?:from\s+)?"([^"]+)";$/gm;

function requireFor(defaultName, namespaceName, named, specifier) {
  const call = `require(${JSON.stringify(specifier)})`;
  const parts = [];
  if (defaultName && ON_FIRST_USE.has(specifier.replace(/^node:/, ""))) {
    parts.push(`let ${defaultName}$module; const ${defaultName} = new Proxy({}, { get: (_, key) => (${defaultName}$module ??= ${call})[key] });`);
  } else if (defaultName) parts.push(`const ${defaultName} = ${call};`);
  if (namespaceName) parts.push(`const ${namespaceName} = ${call};`);
  if (named !== undefined) {
    const bindings = [];
    for (const binding of named.split(",").map((b) => b.trim()).filter(Boolean)) {
      const [name, local = name] = binding.split(/\s+as\s+/);
      // A built-in's default export is the module itself.
      if (name === "default") parts.push(`const ${local} = ${call};`);
      else bindings.push(name === local ? name : `${name}: ${local}`);
    }
    if (bindings.length) parts.push(`const { ${bindings.join(", ")} } = ${call};`);
  }
  if (!parts.length) parts.push(`${call};`);
  return parts.join(" ");
}

const BANNER_END = "const require = __bundleRequire(import.meta.url);";

/** `source` with each import of a built-in turned into a require() on the first line; line breaks kept. */
export function requireBuiltins(source) {
  const requires = [];
  const rest = source.replace(IMPORT, (statement, defaultName, namespaceName, named, specifier) => {
    if (!isBuiltin(specifier)) return statement;
    requires.push(requireFor(defaultName, namespaceName, named, specifier));
    return "\n".repeat(statement.split("\n").length - 1);
  });
  if (!requires.length) return source;
  const firstLineEnd = rest.indexOf("\n");
  const firstLine = rest.slice(0, firstLineEnd === -1 ? undefined : firstLineEnd);
  if (!firstLine.endsWith(BANNER_END)) throw new Error(`builtin-requires: a file with built-in imports does not start with the banner: ${firstLine.slice(0, 120)}`);
  return `${firstLine} ${requires.join(" ")}${firstLineEnd === -1 ? "" : rest.slice(firstLineEnd)}`;
}
