// Bundles the CLI into dist/cli.bundle.cjs, which the bin runs, and the dashboard's engine thread into
// dist/engine-thread.bundle.cjs: start-up reads one file instead of hundreds. The SDK, gRPC and Azure identity stay
// external packages: they load only in commands that talk to a backend, and the SDK reads its generated protobuf files
// from its own directory. tsc's dist/ output (same sources) stays for the benches and for type declarations.
//
// CommonJS, not ES modules: the bin compiles the bundle itself (bin/bundle-loader.js) with a V8 code cache written
// after a command ran, which holds every function the command called. Node's own compile cache is written before the
// code runs and holds only the top level, so each run compiled again every function it called (~10 ms of `status`).
// Code a command does not use stays uninitialised: esbuild turns each dynamic import into a lazy initialiser.
//
// A program already running from this checkout (a dashboard, a worker) keeps working through a rebuild: it has read
// its bundle whole, and each output replaces the old one by a rename (never half-written or missing).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { build } from "esbuild";
import { CJS_BUNDLE_OPTIONS, stampBuildId } from "./bundle-options.mjs";
import { inkRenderCachesPlugin } from "./ink-render-caches-plugin.mjs";
import { lazyChildProcessPlugin } from "./lazy-child-process-plugin.mjs";
import { noTopLevelAwaitPlugin } from "./no-top-level-await-plugin.mjs";
import { startFlagFieldsPlugin } from "./start-flag-fields-plugin.mjs";

const DIST = "dist";
/**
 * What the bundle is made of: each source with what it imports (statically or on demand), and each output file's
 * sources. test/cli/startup-graph.test.ts reads what start-up initialises.
 */
const MANIFEST = join(DIST, "bundle-meta.json");
const CLI_BUNDLE = join(DIST, "cli.bundle.cjs");

const staging = join(DIST, `.bundle-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
try {
  const result = await build({
    entryPoints: { "cli.bundle": "src/cli.tsx", "engine-thread.bundle": "src/engine/engine-thread.ts" },
    outdir: staging,
    ...CJS_BUNDLE_OPTIONS,
    external: ["@microsoft/durabletask-js", "@microsoft/durabletask-js/*", "@grpc/grpc-js", "@azure/identity"],
    plugins: [noTopLevelAwaitPlugin(), lazyChildProcessPlugin(), startFlagFieldsPlugin(), inkRenderCachesPlugin()],
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  });
  const inputs = {};
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    // Every module's edge to the injected import.meta.url shim is left out: it is not something the module imports.
    const imports = input.imports.filter((i) => !CJS_BUNDLE_OPTIONS.inject.includes(i.path));
    inputs[file] = { imports: imports.map((i) => ({ path: i.path, kind: i.kind, external: Boolean(i.external) })) };
  }
  const outputs = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith(".map")) outputs[relative(staging, file)] = { inputs: Object.keys(output.inputs) };
  }
  for (const file of Object.keys(outputs)) {
    const path = join(staging, file);
    const source = readFileSync(path, "utf8");
    writeFileSync(path, stampBuildId(source, createHash("sha256").update(source).digest("hex")));
  }
  mkdirSync(DIST, { recursive: true });
  for (const file of readdirSync(staging)) renameSync(join(staging, file), join(DIST, file));
  writeFileSync(MANIFEST, JSON.stringify({ inputs, outputs }, null, 1) + "\n");
  // What the ES module build of earlier versions left behind.
  rmSync(join(DIST, "chunks"), { recursive: true, force: true });
  for (const old of ["cli.bundle.js", "cli.bundle.js.map", "engine-thread.bundle.js", "engine-thread.bundle.js.map"]) rmSync(join(DIST, old), { force: true });
} finally {
  rmSync(staging, { recursive: true, force: true });
}

// Every command's --help, rendered by the CLI just built: the bin prints it without loading the CLI (a third of the
// start-up). Written to a temporary name and renamed, like the rest.
const HELP = join(DIST, "help.json");
const { renderHelpTexts } = createRequire(import.meta.url)(resolve(CLI_BUNDLE));
writeFileSync(`${HELP}.${process.pid}`, JSON.stringify(await renderHelpTexts()) + "\n");
renameSync(`${HELP}.${process.pid}`, HELP);
