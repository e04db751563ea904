// esbuild plugin: the shipped bundle is CommonJS (the bin runs it with a code cache of its own, bin/bundle-loader.js),
// and CommonJS cannot wait at the top level. Two packages do:
// - yoga-layout, Ink's layout engine, compiles its WebAssembly with a top-level await in its entry. Here every import
//   of it gets scripts/yoga-layout-deferred.mjs instead: the same exports, loaded by `loaded()`, which the dashboard
//   awaits before its first render (src/ui/layout-engine.ts).
// - Ink's reconciler waits for React's devtools and its own package.json when DEV=true. Those blocks go: the devtools
//   are not installed with the package (react-devtools-core is not a dependency).
// The build fails if Ink's source no longer has the code this removes (an Ink upgrade must look at it again).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const DEFERRED_YOGA = fileURLToPath(new URL("./yoga-layout-deferred.mjs", import.meta.url));
// The constants object yoga-layout spreads into its default export (not in its package's exports map).
const YOGA_ENUMS = join(dirname(createRequire(import.meta.url).resolve("yoga-layout/load")), "generated", "YGEnums.js");

const DEV_BLOCKS = [
  /\nif \(process\.env\['DEV'\] === 'true'\) \{\n    \/\/ Intentionally no warning[\s\S]*?\n        await import\('\.\/devtools\.js'\);\n    \}\n\}\n/,
  /\nif \(process\.env\['DEV'\] === 'true'\) \{\n    try \{\n        const loaded = await loadPackageJson\(\);[\s\S]*?\n    \}\n\}\n/,
];

/** Ink's reconciler.js without its DEV-only top-level awaits; throws if Ink changed what it removes. */
export function withoutDevAwaits(source) {
  let out = source;
  for (const block of DEV_BLOCKS) {
    if (!block.test(out)) throw new Error(`ink/build/reconciler.js no longer matches ${block.source.slice(0, 60)}…: look at scripts/no-top-level-await-plugin.mjs again`);
    out = out.replace(block, "\n");
  }
  return out;
}

export function noTopLevelAwaitPlugin() {
  return {
    name: "no-top-level-await",
    setup(b) {
      b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: DEFERRED_YOGA }));
      b.onResolve({ filter: /^yoga-layout\/enums$/ }, () => ({ path: YOGA_ENUMS }));
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => ({
        contents: withoutDevAwaits(await readFile(args.path, "utf8")),
        loader: "js",
      }));
    },
  };
}
