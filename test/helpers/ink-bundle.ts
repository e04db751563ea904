/**
 * A module bundled with Ink (React's production build, no devtools), with or without the shipped build's render
 * plugins, written into `dir` and imported: tests compare Ink's rendering as shipped with Ink as published. An ES
 * module, unlike the shipped CommonJS bundle (scripts/bundle.mjs): the format changes how the code is loaded, not what
 * it draws.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
// @ts-expect-error: a build script without type declarations
import { NODE_BUNDLE_OPTIONS, noDevtoolsPlugin } from "../../scripts/bundle-options.mjs";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** Bundles `contents` (a module resolved from the repository's root) and imports it; `source` is the bundle's text. */
export async function importBundled<T>(dir: string, name: string, contents: string, plugins: Plugin[], loader: "js" | "ts" = "js"): Promise<T & { source: string }> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader },
    ...(NODE_BUNDLE_OPTIONS as BuildOptions),
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [noDevtoolsPlugin as Plugin, ...plugins],
    write: false,
    logLevel: "silent",
  });
  const source = result.outputFiles[0]!.text;
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, source);
  return { ...((await import(pathToFileURL(file).href)) as T), source };
}
