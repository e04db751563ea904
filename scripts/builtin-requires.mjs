// The bundle's imports of Node's built-in modules become require() calls (the banner of bundle-options.mjs defines
// `require` in every output file). Node hands an ES module a built-in's namespace by reading every export once, which
// runs the built-in's lazy getters: `node:fs` then loads its promises API, readline and the REPL's history, `node:util`
// its diff, argument parser and worker_threads, `node:process` the report module — ~50 internal modules that no
// command uses, several ms of every start-up (bench:cli). A destructuring require() reads only the names it takes.
// This rewrites esbuild's output, whose import statements have a fixed shape and come first in each file (before any
// code, and the chunks import each other without cycles), so each require() runs where its import was evaluated.
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

/** `source` with each import of a built-in rewritten; line breaks kept, so the source map still lines up. */
export function requireBuiltins(source) {
  return source.replace(IMPORT, (statement, defaultName, namespaceName, named, specifier) => {
    if (!isBuiltin(specifier)) return statement;
    const lineBreaks = "\n".repeat(statement.split("\n").length - 1);
    return requireFor(defaultName, namespaceName, named, specifier) + lineBreaks;
  });
}
