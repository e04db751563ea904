// esbuild plugin: commander loads node:child_process when it loads (for executable subcommands, which this CLI has
// none of), and child_process brings dgram and net's socket list: ~2 ms of every command's start-up. Here commander
// requires it the first time it uses it. The build fails if commander no longer imports it as this expects.
import { readFile } from "node:fs/promises";

const IMPORT = "import childProcess from 'node:child_process';";
const LAZY =
  "let childProcessModule; const childProcess = new Proxy({}, { get: (_, key) => (childProcessModule ??= require('node:child_process'))[key] });";

export function lazyChildProcessPlugin() {
  return {
    name: "lazy-child-process",
    setup(b) {
      b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
        const source = await readFile(args.path, "utf8");
        if (!source.includes(IMPORT)) throw new Error(`commander/lib/command.js no longer contains "${IMPORT}": look at scripts/lazy-child-process-plugin.mjs again`);
        return { contents: source.replace(IMPORT, LAZY), loader: "js" };
      });
    },
  };
}
