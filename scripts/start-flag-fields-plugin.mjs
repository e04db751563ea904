// esbuild plugin: src/cli/start-flag-fields.ts becomes its value (the `start` flags, read from the spec's zod schema),
// computed now by running that module, so the CLI's start-up and `--help` do not load zod. One source of truth: the
// schema, read at each build.
import { build } from "esbuild";

const MODULE = /[\\/]src[\\/]cli[\\/]start-flag-fields\.ts$/;

/** Runs the module (bundled with its dependencies, in memory) and returns what it exports. */
async function evaluate(path) {
  const result = await build({ entryPoints: [path], bundle: true, format: "esm", platform: "node", target: "node22", write: false, logLevel: "warning" });
  const source = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
}

export function startFlagFieldsPlugin() {
  return {
    name: "start-flag-fields",
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: MODULE }, async (args) => {
        const { START_FLAG_FIELDS } = await evaluate(args.path);
        return { contents: `export const START_FLAG_FIELDS = ${JSON.stringify(START_FLAG_FIELDS)};\n`, loader: "js" };
      });
    },
  };
}
