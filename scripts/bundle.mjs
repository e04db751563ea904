// Bundles the CLI into dist/cli.bundle.js (+ dist/chunks/ for what commands load on demand), which the bin runs:
// start-up then reads a few files instead of hundreds. The SDK, gRPC and Azure identity stay external packages
// (and Ink's optional react-devtools-core): they load only in commands that talk to a backend, and the SDK reads its
// generated protobuf files from its own directory. tsc's dist/ output (same sources) stays for the benches and for
// type declarations.
//
// A program already running from this checkout (a dashboard, a worker) keeps working through a rebuild: esbuild writes
// into a temporary directory, new chunks are moved into dist/chunks/ before the entry point is replaced (each a rename,
// so no file is ever half-written or missing), and the previous build's chunks stay until the next build.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { NODE_BUNDLE_OPTIONS } from "./bundle-options.mjs";
import { requireBuiltins } from "./builtin-requires.mjs";
import { inkRenderCachesPlugin } from "./ink-render-caches-plugin.mjs";
import { startFlagFieldsPlugin } from "./start-flag-fields-plugin.mjs";

const DIST = "dist";
const CHUNKS = join(DIST, "chunks");
/**
 * What the build in place is made of: each output file with the sources in it and what it imports (statically or on
 * demand). The next build keeps this one's chunks; test/cli/startup-graph.test.ts reads what start-up loads.
 */
const MANIFEST = join(DIST, "bundle-meta.json");

const staging = join(DIST, `.bundle-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
try {
  const result = await build({
    // The dashboard's engine thread (src/engine/threaded-engine.ts) runs the second entry; the two share chunks.
    entryPoints: { "cli.bundle": "src/cli.tsx", "engine-thread.bundle": "src/engine/engine-thread.ts" },
    outdir: staging,
    chunkNames: "chunks/[name]-[hash]",
    ...NODE_BUNDLE_OPTIONS,
    splitting: true,
    external: ["@microsoft/durabletask-js", "@microsoft/durabletask-js/*", "@grpc/grpc-js", "@azure/identity", "react-devtools-core"],
    plugins: [startFlagFieldsPlugin(), inkRenderCachesPlugin()],
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  });
  const meta = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith(".map")) continue;
    meta[relative(staging, file)] = {
      inputs: Object.keys(output.inputs),
      imports: output.imports.map((i) => ({ path: i.external ? i.path : relative(staging, i.path), kind: i.kind, external: Boolean(i.external) })),
    };
  }
  const outputs = Object.keys(result.metafile.outputs).map((file) => relative(staging, file));
  for (const file of outputs.filter((f) => f.endsWith(".js"))) {
    const path = join(staging, file);
    writeFileSync(path, requireBuiltins(readFileSync(path, "utf8")));
  }
  const chunks = outputs.filter((file) => file.startsWith("chunks/")).map((file) => basename(file));
  const previous = existsSync(MANIFEST)
    ? Object.keys(JSON.parse(readFileSync(MANIFEST, "utf8")).outputs ?? {})
        .filter((file) => file.startsWith("chunks/"))
        .flatMap((file) => [basename(file), `${basename(file)}.map`])
    : [];

  mkdirSync(CHUNKS, { recursive: true });
  for (const chunk of chunks) renameSync(join(staging, "chunks", chunk), join(CHUNKS, chunk));
  for (const file of outputs.filter((f) => !f.startsWith("chunks/"))) renameSync(join(staging, file), join(DIST, file));
  writeFileSync(MANIFEST, JSON.stringify({ outputs: meta }, null, 1) + "\n");
  // Chunk names carry a content hash: older builds' chunks go, so dist/ does not grow build after build.
  const keep = new Set([...chunks, ...previous]);
  for (const file of readdirSync(CHUNKS)) if (!keep.has(file)) rmSync(join(CHUNKS, file), { force: true });
} finally {
  rmSync(staging, { recursive: true, force: true });
}

// Every command's --help, rendered by the CLI just built: the bin prints it without loading the CLI (a third of the
// start-up). Written to a temporary name and renamed, like the rest.
const HELP = join(DIST, "help.json");
const { renderHelpTexts } = await import(pathToFileURL(join(DIST, "cli.bundle.js")).href);
writeFileSync(`${HELP}.${process.pid}`, JSON.stringify(await renderHelpTexts()) + "\n");
renameSync(`${HELP}.${process.pid}`, HELP);
